import type { PolicyPutT, PolicyT, WarningEventQueryT, WarningQueryT } from '../schemas/warning'
import { LEVELS, type Level } from '../../solver/domain'

const POLICY = `province, component, yellow_days AS yellowDays, orange_days AS orangeDays, red_days AS redDays, consecutive_days AS consecutiveDays,
  cut_yellow_pct AS cutYellowPct, cut_orange_pct AS cutOrangePct, cut_red_pct AS cutRedPct, updated_at AS updatedAt`

export const selectPolicies = (db: D1Database, f: { province?: string; component?: string } = {}) =>
  db
    .prepare(`SELECT ${POLICY} FROM warning_policy WHERE (?1 IS NULL OR province = ?1) AND (?2 IS NULL OR component = ?2) ORDER BY province, component`)
    .bind(f.province ?? null, f.component ?? null)
    .all<PolicyT>()
    .then((r) => r.results)

export const upsertPolicyStmt = (db: D1Database, p: PolicyPutT, at: string) =>
  db
    .prepare(
      `INSERT INTO warning_policy (province, component, yellow_days, orange_days, red_days, consecutive_days, cut_yellow_pct, cut_orange_pct, cut_red_pct, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
       ON CONFLICT (province, component) DO UPDATE SET yellow_days = excluded.yellow_days, orange_days = excluded.orange_days, red_days = excluded.red_days,
         consecutive_days = excluded.consecutive_days, cut_yellow_pct = excluded.cut_yellow_pct, cut_orange_pct = excluded.cut_orange_pct,
         cut_red_pct = excluded.cut_red_pct, updated_at = excluded.updated_at`,
    )
    .bind(p.province, p.component, p.yellowDays, p.orangeDays, p.redDays, p.consecutiveDays, p.cutYellowPct, p.cutOrangePct, p.cutRedPct, at)

export type StateRow = {
  siteId: string
  province: string
  component: string
  abo: string
  rhd: string
  level: Level
  daysOfSupply: number | null
  since: string
}

const SEVERITY = `CASE w.level ${LEVELS.map((l, i) => `WHEN '${l}' THEN ${i}`).join(' ')} END`
const sev = (l?: string) => (l ? LEVELS.indexOf(l as Level) : null)

export const selectStates = (db: D1Database, q: WarningQueryT) =>
  db
    .prepare(
      `SELECT w.site_id AS siteId, s.province, w.component, w.abo, w.rhd, w.level, w.days_of_supply AS daysOfSupply, w.since
       FROM warning_state w JOIN site s ON s.id = w.site_id
       WHERE (?1 IS NULL OR w.site_id = ?1) AND (?2 IS NULL OR s.province = ?2) AND (?3 IS NULL OR w.component = ?3) AND (?4 IS NULL OR w.level = ?4)
         AND (?5 IS NULL OR w.abo = ?5) AND (?6 IS NULL OR w.rhd = ?6) AND (?7 IS NULL OR ${SEVERITY} >= ?7)
       ORDER BY ${SEVERITY} DESC, w.site_id, w.component, w.abo, w.rhd`,
    )
    .bind(q.site ?? null, q.province ?? null, q.component ?? null, q.level ?? null, q.abo ?? null, q.rhd ?? null, sev(q.minLevel))
    .all<StateRow>()
    .then((r) => r.results)

export const selectEvents = (db: D1Database, q: WarningEventQueryT) =>
  db
    .prepare(
      `SELECT id, site_id AS siteId, component, abo, rhd, from_level AS fromLevel, to_level AS toLevel, days_of_supply AS daysOfSupply, at
       FROM warning_event WHERE (?1 IS NULL OR site_id = ?1) AND (?2 IS NULL OR component = ?2) AND (?3 IS NULL OR at >= ?3)
       ORDER BY id DESC LIMIT ?4`,
    )
    .bind(q.site ?? null, q.component ?? null, q.since ?? null, q.limit)
    .all<{
      id: number
      siteId: string
      component: string
      abo: string
      rhd: string
      fromLevel: Level | null
      toLevel: Level
      daysOfSupply: number | null
      at: string
    }>()
    .then((r) => r.results)

export type LevelKey = { siteId: string; component: string; abo: string; rhd: string }

/**
 * The event first (only when the stored level, missing = normal, differs), then the state upsert. Both read
 * the stored level when they run, so two refreshes racing cannot record one change twice.
 */
export const writeLevelStmts = (db: D1Database, k: LevelKey, level: Level, days: number | null, at: string) => [
  db
    .prepare(
      `INSERT INTO warning_event (site_id, component, abo, rhd, from_level, to_level, days_of_supply, at)
       SELECT ?1, ?2, ?3, ?4, (SELECT level FROM warning_state WHERE site_id = ?1 AND component = ?2 AND abo = ?3 AND rhd = ?4), ?5, ?6, ?7
       WHERE COALESCE((SELECT level FROM warning_state WHERE site_id = ?1 AND component = ?2 AND abo = ?3 AND rhd = ?4), 'normal') <> ?5`,
    )
    .bind(k.siteId, k.component, k.abo, k.rhd, level, days, at),
  db
    .prepare(
      `INSERT INTO warning_state (site_id, component, abo, rhd, level, days_of_supply, since) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (site_id, component, abo, rhd) DO UPDATE SET
         since = CASE WHEN warning_state.level <> excluded.level THEN excluded.since ELSE warning_state.since END,
         level = excluded.level, days_of_supply = excluded.days_of_supply`,
    )
    .bind(k.siteId, k.component, k.abo, k.rhd, level, days, at),
]

export const selectSiteProvinces = (db: D1Database, siteId?: string) =>
  db
    // a hospital's level is read from its own figures (GET /api/hospitals), not declared among the region's warnings
    .prepare("SELECT id, province FROM site WHERE (?1 IS NULL OR id = ?1) AND kind <> 'hospital' ORDER BY id")
    .bind(siteId ?? null)
    .all<{ id: string; province: string }>()
    .then((r) => r.results)

export type ReadingLot = { id: string; siteId: string; component: string; abo: string; rhd: string; qty: number; expiresAt: string }

/** Liquid lots that could be usable at some time after `oldest` (frozen ones are counted apart), with ledger deltas written after it. */
export async function selectReadingInputs(db: D1Database, oldest: string, siteId?: string) {
  const [lots, deltas, states] = await db.batch<any>([
    db
      .prepare(
        `SELECT id, site_id AS siteId, component, abo, rhd, qty, expires_at AS expiresAt FROM lot
         WHERE expires_at > ?1 AND (?2 IS NULL OR site_id = ?2) AND frozen = 0`, // frozen red cells are not days of supply
      )
      .bind(oldest, siteId ?? null),
    db
      .prepare('SELECT m.lot_id AS lotId, m.delta, m.at FROM movement m JOIN lot l ON l.id = m.lot_id WHERE m.at > ?1 AND (?2 IS NULL OR l.site_id = ?2)')
      .bind(oldest, siteId ?? null),
    db.prepare('SELECT site_id AS siteId, component, abo, rhd, level FROM warning_state WHERE (?1 IS NULL OR site_id = ?1)').bind(siteId ?? null),
  ])
  return {
    lots: lots.results as ReadingLot[],
    deltas: deltas.results as { lotId: string; delta: number; at: string }[],
    states: states.results as (LevelKey & { level: Level })[],
  }
}

/** Level changes of a site, oldest first, for its level history (optionally one component or group). */
export const selectLevelChanges = (db: D1Database, q: { site: string; component?: string; abo?: string; rhd?: string }) =>
  db
    .prepare(
      `SELECT component, abo, rhd, from_level AS fromLevel, to_level AS toLevel, days_of_supply AS daysOfSupply, at
       FROM warning_event WHERE site_id = ?1 AND (?2 IS NULL OR component = ?2) AND (?3 IS NULL OR abo = ?3) AND (?4 IS NULL OR rhd = ?4)
       ORDER BY component, abo, rhd, id`,
    )
    .bind(q.site, q.component ?? null, q.abo ?? null, q.rhd ?? null)
    .all<{ component: string; abo: string; rhd: string; fromLevel: Level | null; toLevel: Level; daysOfSupply: number | null; at: string }>()
    .then((r) => r.results)
