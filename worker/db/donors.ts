/** Rare-donor pool SQL: donors with their donation history and deferrals, call-ups, screening. */

export type DonorRow = {
  code: string
  siteId: string
  province: string
  abo: string
  rhd: string
  antigens: string
  consent: number
  lastWb: string | null
  lastPlt: string | null
  pltInYear: number
  plt24th: string | null
  deferredNow: number
  deferredUntil: string | null
  deferredPermanent: number
  liveCallup: string | null
  createdAt: string
  updatedAt: string
}

/**
 * One row per donor: the last donation of each kind, platelet donations in the 365 days before `now` and the 24th most
 * recent one (the yearly cap), whether a deferral of the joint list is in force at `now` (and until when, or permanent),
 * and a live call-up.
 */
const DONOR_SELECT = `
  SELECT d.code, d.site_id AS siteId, s.province, d.abo, d.rhd, d.antigens, d.consent, d.created_at AS createdAt, d.updated_at AS updatedAt,
    (SELECT MAX(at) FROM donor_donation x WHERE x.donor_code = d.code AND x.kind = 'WB') AS lastWb,
    (SELECT MAX(at) FROM donor_donation x WHERE x.donor_code = d.code AND x.kind = 'PLT') AS lastPlt,
    (SELECT COUNT(*) FROM donor_donation x WHERE x.donor_code = d.code AND x.kind = 'PLT' AND x.at > strftime('%Y-%m-%dT%H:%M:%fZ', ?1, '-365 days')) AS pltInYear,
    (SELECT at FROM donor_donation x WHERE x.donor_code = d.code AND x.kind = 'PLT' ORDER BY at DESC LIMIT 1 OFFSET 23) AS plt24th,
    EXISTS (SELECT 1 FROM donor_deferral f WHERE f.donor_code = d.code AND f.from_at <= ?1 AND (f.until_at IS NULL OR f.until_at > ?1)) AS deferredNow,
    (SELECT MAX(until_at) FROM donor_deferral f WHERE f.donor_code = d.code AND f.from_at <= ?1 AND f.until_at > ?1) AS deferredUntil,
    EXISTS (SELECT 1 FROM donor_deferral f WHERE f.donor_code = d.code AND f.from_at <= ?1 AND f.until_at IS NULL) AS deferredPermanent,
    (SELECT id FROM callup c WHERE c.donor_code = d.code AND c.status IN ('asked', 'scheduled', 'donated')) AS liveCallup
  FROM donor d JOIN site s ON s.id = d.site_id`

export type DonorFilter = { site?: string | null; abo?: string | null; rhd?: string | null; codes?: string[] | null }

export const selectDonors = (db: D1Database, now: string, f: DonorFilter = {}) =>
  db
    .prepare(`${DONOR_SELECT} WHERE (?2 IS NULL OR d.site_id = ?2) AND (?3 IS NULL OR d.abo = ?3) AND (?4 IS NULL OR d.rhd = ?4)
      AND (?5 IS NULL OR d.code IN (SELECT value FROM json_each(?5))) ORDER BY d.code`)
    .bind(now, f.site ?? null, f.abo ?? null, f.rhd ?? null, f.codes ? JSON.stringify(f.codes) : null)
    .all<DonorRow>()
    .then((r) => r.results)

export const selectDonor = (db: D1Database, now: string, code: string) => db.prepare(`${DONOR_SELECT} WHERE d.code = ?2`).bind(now, code).first<DonorRow>()

export const insertDonorStmt = (
  db: D1Database,
  d: { code: string; siteId: string; abo: string; rhd: string; antigens: string; consent: boolean },
  actorId: string,
  at: string,
) =>
  db
    .prepare('INSERT INTO donor (code, site_id, abo, rhd, antigens, consent, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)')
    .bind(d.code, d.siteId, d.abo, d.rhd, d.antigens, d.consent ? 1 : 0, actorId, at)

/** Upsert for CSV imports: a code held by another station is refused by the WHERE (0 changes), the caller checks first. */
export const upsertDonorStmt = (
  db: D1Database,
  d: { code: string; siteId: string; abo: string; rhd: string; antigens: string; consent: boolean },
  actorId: string,
  at: string,
) =>
  db
    .prepare(`INSERT INTO donor (code, site_id, abo, rhd, antigens, consent, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
      ON CONFLICT (code) DO UPDATE SET abo = excluded.abo, rhd = excluded.rhd, antigens = excluded.antigens, consent = excluded.consent,
        updated_at = excluded.updated_at WHERE donor.site_id = excluded.site_id`)
    .bind(d.code, d.siteId, d.abo, d.rhd, d.antigens, d.consent ? 1 : 0, actorId, at)

export const updateDonorStmt = (db: D1Database, code: string, p: { abo?: string; rhd?: string; antigens?: string; consent?: boolean }, at: string) =>
  db
    .prepare(`UPDATE donor SET abo = COALESCE(?2, abo), rhd = COALESCE(?3, rhd), antigens = COALESCE(?4, antigens),
      consent = COALESCE(?5, consent), updated_at = ?6 WHERE code = ?1`)
    .bind(code, p.abo ?? null, p.rhd ?? null, p.antigens ?? null, p.consent === undefined ? null : p.consent ? 1 : 0, at)

/** A donation; the same donor, kind and time twice is one donation (UNIQUE), so re-imports add nothing. */
export const insertDonationStmt = (db: D1Database, code: string, kind: 'WB' | 'PLT', at: string, callupId: string | null = null) =>
  db.prepare('INSERT INTO donor_donation (donor_code, kind, at, callup_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING').bind(code, kind, at, callupId)

// ---- deferrals

export type DeferralRow = {
  id: string
  donorCode: string
  siteId: string | null // null: received from another province (fromProvince, sourceSite)
  reason: string
  from: string
  until: string | null
  note: string
  createdBy: string | null
  createdAt: string
  fromProvince: string | null
  sourceSite: string | null
  sourceSiteNameZh: string | null
  sourceSiteNameEn: string | null
}
const DEFERRAL_COLUMNS = `id, donor_code AS donorCode, site_id AS siteId, reason, from_at AS "from", until_at AS until, note, created_by AS createdBy,
  created_at AS createdAt, from_province AS fromProvince, source_site AS sourceSite, source_site_name_zh AS sourceSiteNameZh, source_site_name_en AS sourceSiteNameEn`

export const selectDeferrals = (db: D1Database, f: { donor?: string | null; site?: string | null; activeAt?: string | null }) =>
  db
    .prepare(`SELECT ${DEFERRAL_COLUMNS} FROM donor_deferral WHERE (?1 IS NULL OR donor_code = ?1) AND (?2 IS NULL OR site_id = ?2)
      AND (?3 IS NULL OR (from_at <= ?3 AND (until_at IS NULL OR until_at > ?3))) ORDER BY created_at DESC, id`)
    .bind(f.donor ?? null, f.site ?? null, f.activeAt ?? null)
    .all<DeferralRow>()
    .then((r) => r.results)

/** With ignoreDuplicate, the same deferral loaded twice (a re-imported list) is recorded once; without, a duplicate fails the batch. */
export type LocalDeferral = Omit<DeferralRow, 'createdAt' | 'fromProvince' | 'sourceSite' | 'sourceSiteNameZh' | 'sourceSiteNameEn'> & {
  siteId: string
  createdBy: string
}
export const insertDeferralStmt = (db: D1Database, d: LocalDeferral, at: string, ignoreDuplicate = true) =>
  db
    .prepare(`INSERT INTO donor_deferral (id, donor_code, site_id, reason, from_at, until_at, note, created_by, created_at)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)${ignoreDuplicate ? ' ON CONFLICT (donor_code, site_id, reason, from_at) DO NOTHING' : ''}`)
    .bind(d.id, d.donorCode, d.siteId, d.reason, d.from, d.until, d.note, d.createdBy, at)

// ---- call-ups

export type CallupRow = {
  id: string
  donorCode: string
  requestId: string
  siteId: string
  component: string
  status: string
  scheduledAt: string | null
  donatedAt: string | null
  lotId: string | null
  note: string
  createdBy: string
  createdAt: string
  updatedAt: string
  requestSiteId: string
  requestAntigens: string
  requestAbo: string
  requestRhd: string
  urgency: string
  neededBy: string | null
}
const CALLUP_SELECT = `SELECT c.id, c.donor_code AS donorCode, c.request_id AS requestId, c.site_id AS siteId, c.component, c.status,
  c.scheduled_at AS scheduledAt, c.donated_at AS donatedAt, c.lot_id AS lotId, c.note, c.created_by AS createdBy, c.created_at AS createdAt,
  c.updated_at AS updatedAt, r.site_id AS requestSiteId, r.antigens AS requestAntigens, r.abo AS requestAbo, r.rhd AS requestRhd,
  r.urgency, r.needed_by AS neededBy
  FROM callup c JOIN aid_request r ON r.id = c.request_id`

export const selectCallups = (db: D1Database, f: { request?: string | null; site?: string | null; status?: string | null }) =>
  db
    .prepare(`${CALLUP_SELECT} WHERE (?1 IS NULL OR c.request_id = ?1) AND (?2 IS NULL OR c.site_id = ?2 OR r.site_id = ?2)
      AND (?3 IS NULL OR c.status = ?3) ORDER BY c.created_at DESC, c.id`)
    .bind(f.request ?? null, f.site ?? null, f.status ?? null)
    .all<CallupRow>()
    .then((r) => r.results)

export const selectCallup = (db: D1Database, id: string) => db.prepare(`${CALLUP_SELECT} WHERE c.id = ?1`).bind(id).first<CallupRow>()

export const insertCallupStmt = (
  db: D1Database,
  c: { id: string; donorCode: string; requestId: string; siteId: string; component: string; note: string },
  actorId: string,
  at: string,
) =>
  db
    .prepare(`INSERT INTO callup (id, donor_code, request_id, site_id, component, status, note, created_by, created_at, updated_at)
      VALUES (?1, ?2, ?3, ?4, ?5, 'asked', ?6, ?7, ?8, ?8)`)
    .bind(c.id, c.donorCode, c.requestId, c.siteId, c.component, c.note, actorId, at)

/** The status trigger refuses an illegal move, the deferral trigger a deferred donor: both fail the batch. */
export const setCallupStatusStmt = (
  db: D1Database,
  id: string,
  p: { status: string; scheduledAt?: string | null; donatedAt?: string | null; lotId?: string | null; note?: string | null },
  at: string,
) =>
  db
    .prepare(`UPDATE callup SET status = ?2, scheduled_at = COALESCE(?3, scheduled_at), donated_at = COALESCE(?4, donated_at),
      lot_id = COALESCE(?5, lot_id), note = COALESCE(?6, note), updated_at = ?7 WHERE id = ?1`)
    .bind(id, p.status, p.scheduledAt ?? null, p.donatedAt ?? null, p.lotId ?? null, p.note ?? null, at)

export const selectDonorReadyHours = (db: D1Database) =>
  db
    .prepare('SELECT code, donor_ready_hours AS readyHours, shelf_life_hours AS shelfLifeHours FROM component')
    .all<{ code: string; readyHours: number; shelfLifeHours: number }>()
    .then((r) => r.results)

// ---- screening and pool

export type ScreeningRow = {
  id: string
  siteId: string
  antigen: string
  screened: number
  found: number
  periodFrom: string
  periodTo: string
  createdBy: string
  createdAt: string
}
export const insertScreeningStmt = (db: D1Database, s: Omit<ScreeningRow, 'createdAt'>, at: string) =>
  db
    .prepare(`INSERT INTO donor_screening (id, site_id, antigen, screened, found, period_from, period_to, created_by, created_at)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`)
    .bind(s.id, s.siteId, s.antigen, s.screened, s.found, s.periodFrom, s.periodTo, s.createdBy, at)

export const selectScreenings = (db: D1Database, f: { site?: string | null; antigen?: string | null }) =>
  db
    .prepare(`SELECT id, site_id AS siteId, antigen, screened, found, period_from AS periodFrom, period_to AS periodTo, created_by AS createdBy,
      created_at AS createdAt FROM donor_screening WHERE (?1 IS NULL OR site_id = ?1) AND (?2 IS NULL OR antigen = ?2) ORDER BY period_from DESC, site_id, antigen`)
    .bind(f.site ?? null, f.antigen ?? null)
    .all<ScreeningRow>()
    .then((r) => r.results)

export const selectSiteGeo = (db: D1Database) =>
  db
    .prepare("SELECT id, name_en AS name, lat, lng, province FROM site WHERE kind <> 'hospital' ORDER BY id")
    .all<{ id: string; name: string; lat: number; lng: number; province: string }>()
    .then((r) => r.results)
