// The demo region (demo.ts) as SQL statements for D1, in foreign-key order.
import { demoPoolSql } from './donors'
import { ADMIN, DAY, demoRegion, iso, type DemoLot, type DemoMovement, type DemoOptions, type DemoRegion } from './demo'
import { POPULATION_M, SPLIT_POPULATION } from './volumes'

// ---------------------------------------------------------------------------------------------
// SQL

/** A SQL literal: strings single-quoted with quotes doubled; NULL; finite numbers. */
export function lit(v: string | number | boolean | null): string {
  if (v === null) return 'NULL'
  if (typeof v === 'boolean') return v ? '1' : '0'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Not a finite number: ${v}`)
    return String(v)
  }
  return `'${v.replaceAll("'", "''")}'`
}

const ROWS_PER_INSERT = 100

function inserts(table: string, columns: string[], rows: (string | number | boolean | null)[][]): string[] {
  const out: string[] = []
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const values = rows
      .slice(i, i + ROWS_PER_INSERT)
      .map((r) => `(${r.map(lit).join(',')})`)
      .join(',\n')
    out.push(`INSERT INTO ${table} (${columns.join(', ')}) VALUES\n${values}`)
  }
  return out
}

/**
 * Ledger rows, compactly: each statement selects from a VALUES list of (lot, kind, delta, at, seq) and
 * derives the site from the lot, the batch from the day, the reason from the kind. ORDER BY seq keeps
 * the ledger order (receipt before issue), which the lot.qty >= 0 check relies on.
 */
function movementInserts(movements: DemoMovement[], epochMs: number): string[] {
  const out: string[] = []
  const per = ROWS_PER_INSERT * 2
  const kind = { receipt: 'r', issue: 'i', discard: 'd' } as const
  for (let i = 0; i < movements.length; i += per) {
    const values = movements
      .slice(i, i + per)
      .map(
        (m, j) =>
          `(${lit(m.lotId)},'${kind[m.kind]}',${m.delta},${Date.parse(m.at) - epochMs},${i + j},${lit(m.hospitalId ? m.hospitalId.slice(m.siteId.length) : null)})`,
      )
      .join(',\n')
    out.push(
      `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at, hospital_id)
SELECT 'seed-' || substr(v.at, 1, 10), v.column1, l.site_id, v.kind, v.column3,
  CASE v.kind WHEN 'discard' THEN 'expired' WHEN 'issue' THEN (CASE WHEN v.column6 IS NULL THEN 'transfusion' ELSE 'hospital issue' END)
    ELSE (CASE WHEN l.site_id IN (SELECT id FROM site WHERE kind = 'hospital') THEN 'from the station' ELSE 'collection' END) END,
  ${lit(ADMIN)}, v.at, l.site_id || v.column6
FROM (SELECT *, ${isoSql(epochMs, 'column4')} AS at, CASE column2 WHEN 'r' THEN 'receipt' WHEN 'i' THEN 'issue' ELSE 'discard' END AS kind
      FROM (VALUES\n${values})) AS v JOIN lot l ON l.id = v.column1
ORDER BY v.column5`,
    )
  }
  return out
}

/**
 * Compact SQL for the ledger and the lots (every byte counts: tens of thousands of rows): times are written as
 * milliseconds after `epochMs` and turned back into the ISO form toISOString() gives (…T05:33:00.000Z).
 */
const isoSql = (epochMs: number, col: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${epochMs} + ${col}) / 1000.0, 'unixepoch')`

function lotInserts(lots: DemoLot[], epochMs: number): string[] {
  const out: string[] = []
  const per = ROWS_PER_INSERT * 2
  for (let i = 0; i < lots.length; i += per) {
    const values = lots
      .slice(i, i + per)
      .map(
        (l) =>
          `(${lit(l.id)},${lit(l.siteId)},'${l.component}','${l.abo}','${l.rhd}',${lit(l.antigens)},${Date.parse(l.collectedAt) - epochMs},${Date.parse(l.expiresAt) - epochMs},${Date.parse(l.createdAt) - epochMs},${l.frozen ? 1 : 0})`,
      )
      .join(',\n')
    out.push(
      `INSERT INTO lot (id, site_id, component, abo, rhd, antigens, collected_at, expires_at, qty, created_at, frozen)
SELECT column1, column2, column3, column4, column5, column6, ${isoSql(epochMs, 'column7')}, ${isoSql(epochMs, 'column8')}, 0, ${isoSql(epochMs, 'column9')}, column10
FROM (VALUES\n${values})`,
    )
  }
  return out
}

/** The region as SQL statements (no trailing semicolons), in foreign-key order. */
export function demoRegionSql(r: DemoRegion): string[] {
  const nowMs = Date.parse(r.now)
  const setupAt = iso(nowMs - 365 * DAY)
  return [
    // stations and centres first: a storage point's parent must exist when it is inserted
    ...inserts(
      'site',
      ['id', 'name_zh', 'name_en', 'kind', 'province', 'city', 'lat', 'lng', 'parent_id', 'created_at', 'updated_at'],
      [...r.sites]
        .sort((a, b) => Number(a.kind === 'storage') - Number(b.kind === 'storage'))
        .map((s) => [s.id, s.nameZh, s.nameEn, s.kind, s.province, s.city, s.lat, s.lng, s.parentId ?? null, setupAt, setupAt]),
    ),
    ...inserts(
      'hospital',
      ['id', 'site_id', 'name_zh', 'name_en', 'county', 'created_at'],
      r.hospitals.map((h) => [h.id, h.siteId, h.nameZh, h.nameEn ?? '', h.county, setupAt]),
    ),
    // the people CQ and WZ serve, as the demo splits Chongqing (seed/volumes.ts), over migration 0059's rows
    ...r.sites
      .filter((s) => s.id in SPLIT_POPULATION)
      .map(
        (s) =>
          `INSERT INTO site_population (site_id, people, year, source, source_zh) VALUES (${[s.id, Math.round(POPULATION_M[s.id] * 1e6), 2020, SPLIT_POPULATION[s.id].source, SPLIT_POPULATION[s.id].sourceZh].map(lit).join(', ')})
ON CONFLICT (site_id) DO UPDATE SET people = excluded.people, year = excluded.year, source = excluded.source, source_zh = excluded.source_zh`,
      ),
    ...inserts(
      'road_time',
      ['from_site', 'to_site', 'hours', 'note', 'updated_by', 'updated_at'],
      r.roadTimes.map((t) => [t.from, t.to, t.hours, t.note, 'seed', setupAt]),
    ),
    ...inserts(
      'user',
      ['id', 'name', 'role', 'site_id', 'token_hash', 'created_at'],
      r.users.map((u) => [u.id, u.name, u.role, u.siteId, u.tokenHash, setupAt]),
    ),
    ...inserts(
      'movement_batch',
      ['id', 'actor_id', 'idempotency_key', 'request_hash', 'source', 'at'],
      r.batches.map((b) => [b.id, ADMIN, b.key, 'seed', 'seed', b.at]),
    ),
    ...lotInserts(r.lots, nowMs),
    ...movementInserts(r.movements, nowMs),
    ...inserts(
      'aid_request',
      [
        'id',
        'site_id',
        'component',
        'abo',
        'rhd',
        'antigens',
        'qty',
        'urgency',
        'needed_by',
        'allow_rh_positive',
        'reason',
        'status',
        'created_by',
        'created_at',
        'updated_at',
        'rh_consent_by',
        'rh_consent_at',
        'rh_anti_d_screen',
        'rh_patient_note',
      ],
      r.requests.map((q) => [
        q.id,
        q.siteId,
        q.component,
        q.abo,
        q.rhd,
        q.antigens,
        q.qty,
        q.urgency,
        q.neededBy,
        q.allowRhPositive,
        q.reason,
        'open',
        q.createdBy,
        q.createdAt,
        q.createdAt,
        q.rhPositiveConsent?.consentBy ?? null,
        q.rhPositiveConsent?.consentAt ?? null,
        q.rhPositiveConsent?.antiDScreen ?? null,
        q.rhPositiveConsent?.patientNote ?? null,
      ]),
    ),
    ...demoPoolSql(r.pool, setupAt, lit, ADMIN),
    ...inserts(
      'audit_log',
      ['actor_id', 'action', 'entity', 'entity_id', 'detail', 'at'],
      [
        [
          ADMIN,
          'seed.load',
          'region',
          'demo',
          JSON.stringify({ sites: r.sites.length, lots: r.lots.length, movements: r.movements.length, requests: r.requests.length }),
          r.now,
        ],
        ...r.requests.map((q) => [
          q.createdBy,
          'request.create',
          'aid_request',
          q.id,
          JSON.stringify({ siteId: q.siteId, component: q.component, abo: q.abo, rhd: q.rhd, qty: q.qty, urgency: q.urgency, source: 'seed' }),
          q.createdAt,
        ]),
      ],
    ),
  ]
}

/** The demo region at `now` as SQL statements. */
export async function demoSql(opts: DemoOptions = {}): Promise<string[]> {
  return demoRegionSql(await demoRegion(opts))
}
