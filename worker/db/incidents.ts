import { urgencyRank } from './requests'
import type { EstimateLine, Factor, GroupShare, IncidentKind, Triage } from '../../solver/incident-demand'

/** Incident SQL: the incident, its receiving points and estimate, the planning factors, its requests and transfers. */

export type IncidentRow = {
  id: string
  name: string
  lat: number
  lng: number
  siteId: string | null
  occurredAt: string
  durationHours: number | null
  critical: number
  severe: number
  moderate: number
  estimateSource: 'casualties' | 'needs' | 'edited'
  status: 'active' | 'closed'
  greenChannel: number
  greenChannelAt: string | null
  createdBy: string
  createdAt: string
  updatedAt: string
  closedAt: string | null
  kind: IncidentKind
  injured: number | null
  hospitalised: number | null
  demandPicks: string
}

const COLUMNS = `id, name, lat, lng, site_id AS siteId, occurred_at AS occurredAt, duration_hours AS durationHours, critical, severe, moderate,
  estimate_source AS estimateSource, status, green_channel AS greenChannel, green_channel_at AS greenChannelAt, created_by AS createdBy,
  created_at AS createdAt, updated_at AS updatedAt, closed_at AS closedAt, kind, injured, hospitalised, demand_picks AS demandPicks`

export const selectIncident = (db: D1Database, id: string) => db.prepare(`SELECT ${COLUMNS} FROM incident WHERE id = ?1`).bind(id).first<IncidentRow>()

export const selectIncidentByKey = (db: D1Database, createdBy: string, key: string) =>
  db.prepare(`SELECT ${COLUMNS} FROM incident WHERE created_by = ?1 AND idempotency_key = ?2`).bind(createdBy, key).first<IncidentRow>()

export const selectIncidents = (db: D1Database, f: { status?: string; limit: number }) =>
  db
    .prepare(`SELECT ${COLUMNS} FROM incident WHERE (?1 IS NULL OR status = ?1) ORDER BY status = 'closed', occurred_at DESC, id LIMIT ?2`)
    .bind(f.status ?? null, f.limit)
    .all<IncidentRow>()
    .then((r) => r.results)

export const insertIncidentStmt = (
  db: D1Database,
  // the row's own fields, as stored when it is declared, with the Idempotency-Key and the time
  i: Pick<
    IncidentRow,
    | 'id'
    | 'name'
    | 'lat'
    | 'lng'
    | 'siteId'
    | 'occurredAt'
    | 'durationHours'
    | 'critical'
    | 'severe'
    | 'moderate'
    | 'createdBy'
    | 'kind'
    | 'injured'
    | 'hospitalised'
  > & {
    estimateSource: string
    key: string | null
    at: string
  },
) =>
  db
    .prepare(
      `INSERT INTO incident (id, name, lat, lng, site_id, occurred_at, duration_hours, critical, severe, moderate, estimate_source,
         created_by, idempotency_key, created_at, updated_at, kind, injured, hospitalised)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16, ?17)`,
    )
    .bind(
      i.id,
      i.name,
      i.lat,
      i.lng,
      i.siteId,
      i.occurredAt,
      i.durationHours,
      i.critical,
      i.severe,
      i.moderate,
      i.estimateSource,
      i.createdBy,
      i.key,
      i.at,
      i.kind,
      i.injured,
      i.hospitalised,
    )

/** An update of an active incident (trigger incident_closed_frozen refuses any change to a closed one). */
export const updateIncidentStmt = (db: D1Database, id: string, set: Record<string, string | number | null>, at: string) => {
  const keys = Object.keys(set)
  const sets = keys.map((k, i) => `${k} = ?${i + 3}`).join(', ')
  return db
    .prepare(`UPDATE incident SET updated_at = ?2${sets ? ', ' + sets : ''} WHERE id = ?1 AND status = 'active'`)
    .bind(id, at, ...keys.map((k) => set[k]))
}

// ---------- reference data: planning factors, triage, group shares ----------

export const selectFactors = (db: D1Database) =>
  db
    .prepare(
      'SELECT category, component, share_transfused AS shareTransfused, units_per_patient AS unitsPerPatient, source FROM planning_factor ORDER BY category, component',
    )
    .all<Factor & { source: string }>()
    .then((r) => r.results)

export const selectTriage = (db: D1Database) =>
  db
    .prepare(`SELECT category, urgency, deadline_hours AS deadlineHours, source FROM triage_category
              ORDER BY CASE category WHEN 'critical' THEN 0 WHEN 'severe' THEN 1 ELSE 2 END`)
    .all<Triage & { source: string }>()
    .then((r) => r.results)

/** Group shares, O first, RhD+ before RhD− (the order the largest-remainder split breaks ties in). */
export const selectGroupShares = (db: D1Database) =>
  db
    .prepare(`SELECT abo, rhd, share FROM group_share ORDER BY CASE abo WHEN 'O' THEN 0 WHEN 'A' THEN 1 WHEN 'B' THEN 2 ELSE 3 END, rhd = '-'`)
    .all<GroupShare>()
    .then((r) => r.results)

export const selectMlPerUnit = (db: D1Database, component: string) =>
  db.prepare('SELECT ml_per_unit AS ml FROM component WHERE code = ?1').bind(component).first<number>('ml')

// ---------- sites and receiving points ----------

export type SiteBrief = { id: string; nameZh: string; nameEn: string; kind: string; province: string; lat: number; lng: number; external: number }

export const selectSiteBriefs = (db: D1Database) =>
  db
    .prepare("SELECT id, name_zh AS nameZh, name_en AS nameEn, kind, province, lat, lng, external FROM site WHERE kind <> 'hospital' ORDER BY id")
    .all<SiteBrief>()
    .then((r) => r.results)

export const insertExternalSiteStmt = (
  db: D1Database,
  s: { id: string; nameZh: string; nameEn: string; province: string; lat: number; lng: number; at: string },
) =>
  db
    .prepare(`INSERT INTO site (id, name_zh, name_en, kind, province, city, lat, lng, external, created_at, updated_at)
              VALUES (?1, ?2, ?3, 'center', ?4, ?3, ?5, ?6, 1, ?7, ?7)`)
    .bind(s.id, s.nameZh, s.nameEn, s.province, s.lat, s.lng, s.at)

export type PointRow = {
  siteId: string
  rank: number
  roadHours: number | null
  quotaComponent: string | null
  quotaUnits: number | null
  quotaMl: number | null
  /** a quota's rare antigen profile ('Fy(a-)'; '' = ordinary units) */
  quotaAntigens: string
}

export const insertPointStmt = (db: D1Database, incidentId: string, p: PointRow) =>
  db
    .prepare(
      `INSERT INTO incident_point (incident_id, site_id, rank, road_hours, quota_component, quota_units, quota_ml, quota_antigens) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(incidentId, p.siteId, p.rank, p.roadHours, p.quotaComponent, p.quotaUnits, p.quotaMl, p.quotaAntigens)

export const selectPoints = (db: D1Database, incidentId: string) =>
  db
    .prepare(`SELECT site_id AS siteId, rank, road_hours AS roadHours, quota_component AS quotaComponent, quota_units AS quotaUnits, quota_ml AS quotaMl,
                quota_antigens AS quotaAntigens
              FROM incident_point WHERE incident_id = ?1 ORDER BY rank, site_id`)
    .bind(incidentId)
    .all<PointRow>()
    .then((r) => r.results)

// ---------- the estimate ----------

export const selectEstimate = (db: D1Database, incidentId: string) =>
  db
    .prepare(`SELECT site_id AS siteId, component, abo, rhd, urgency, qty, needed_by AS neededBy, category FROM incident_need WHERE incident_id = ?1
              ORDER BY ${urgencyRank()}, site_id, component,
                CASE abo WHEN 'O' THEN 0 WHEN 'A' THEN 1 WHEN 'B' THEN 2 ELSE 3 END, rhd = '-'`)
    .bind(incidentId)
    .all<EstimateLine>()
    .then((r) => r.results)

/** Replaces the whole estimate (a few statements; multi-row INSERTs are chunked under D1's 100 bound parameters). */
export function replaceEstimateStmts(db: D1Database, incidentId: string, lines: EstimateLine[]): D1PreparedStatement[] {
  const stmts = [db.prepare('DELETE FROM incident_need WHERE incident_id = ?1').bind(incidentId)]
  const per = 10 // 9 parameters a row
  for (let i = 0; i < lines.length; i += per) {
    const chunk = lines.slice(i, i + per)
    const values = chunk.map((_, j) => `(${Array.from({ length: 9 }, (_, k) => `?${j * 9 + k + 1}`).join(', ')})`).join(', ')
    stmts.push(
      db
        .prepare(`INSERT INTO incident_need (incident_id, site_id, component, abo, rhd, urgency, qty, needed_by, category) VALUES ${values}`)
        .bind(...chunk.flatMap((l) => [incidentId, l.siteId, l.component, l.abo, l.rhd, l.urgency, l.qty, l.neededBy, l.category])),
    )
  }
  return stmts
}

// ---------- the incident's aid requests, plans and transfers ----------

export type IncidentRequestRow = {
  id: string
  siteId: string
  component: string
  abo: string
  rhd: string
  urgency: 'emergency' | 'urgent' | 'routine'
  qty: number
  fulfilledQty: number
  status: string
  neededBy: string | null
  onTheWayQty: number
}

export const selectIncidentRequests = (db: D1Database, incidentId: string) =>
  db
    .prepare(
      `SELECT r.id, r.site_id AS siteId, r.component, r.abo, r.rhd, r.urgency, r.qty, r.fulfilled_qty AS fulfilledQty, r.status,
         r.needed_by AS neededBy,
         COALESCE((SELECT SUM(tr.qty) FROM transfer_request tr JOIN transfer t ON t.id = tr.transfer_id
                   WHERE tr.request_id = r.id AND t.status IN ('committed', 'dispatched')), 0) AS onTheWayQty
       FROM aid_request r WHERE r.incident_id = ?1
       ORDER BY ${urgencyRank('r.urgency')}, r.site_id, r.component, r.abo, r.rhd, r.created_at, r.id`,
    )
    .bind(incidentId)
    .all<IncidentRequestRow>()
    .then((r) => r.results)

export const insertIncidentRequestStmt = (
  db: D1Database,
  r: {
    id: string
    incidentId: string
    siteId: string
    component: string
    abo: string
    rhd: string
    qty: number
    urgency: string
    neededBy: string
    reason: string
    createdBy: string
    at: string
    antigens: string
  },
) =>
  db
    .prepare(
      `INSERT INTO aid_request (id, site_id, component, abo, rhd, antigens, qty, urgency, needed_by, allow_rh_positive, reason, status, created_by,
         created_at, updated_at, incident_id)
       VALUES (?1, ?2, ?3, ?4, ?5, ?13, ?6, ?7, ?8, 0, ?9, 'open', ?10, ?11, ?11, ?12)`,
    )
    .bind(r.id, r.siteId, r.component, r.abo, r.rhd, r.qty, r.urgency, r.neededBy, r.reason, r.createdBy, r.at, r.incidentId, r.antigens)

/** Cancels the incident's requests nothing covers yet (status open), audited one row each. */
export const cancelOpenRequestsStmts = (
  db: D1Database,
  incidentId: string,
  ids: string[] | null,
  actorId: string,
  reason: string,
  at: string,
): D1PreparedStatement[] => {
  const where = `incident_id = ?1 AND status = 'open' AND (?2 IS NULL OR id IN (SELECT value FROM json_each(?2)))`
  const json = ids ? JSON.stringify(ids) : null
  return [
    db
      .prepare(`INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
                SELECT ?3, 'request.cancel', 'aid_request', id, json_object('from', status, 'to', 'cancelled', 'reason', ?4, 'incidentId', ?1), ?5
                FROM aid_request WHERE ${where}`)
      .bind(incidentId, json, actorId, reason, at),
    db
      .prepare(`UPDATE aid_request SET status = 'cancelled', updated_at = ?5 WHERE ${where} AND ?3 IS NOT NULL AND ?4 IS NOT NULL`)
      .bind(incidentId, json, actorId, reason, at),
  ]
}

export const selectIncidentPlans = (db: D1Database, incidentId: string) =>
  db
    .prepare(`SELECT id, status, created_at AS createdAt, created_by AS createdBy FROM plan WHERE incident_id = ?1 ORDER BY created_at DESC, id DESC`)
    .bind(incidentId)
    .all<{ id: string; status: string; createdAt: string; createdBy: string }>()
    .then((r) => r.results)

/** Ids of the transfers serving any of the incident's requests (newest first). */
export const selectIncidentTransferIds = (db: D1Database, incidentId: string) =>
  db
    .prepare(`SELECT DISTINCT t.id FROM transfer t JOIN transfer_request tr ON tr.transfer_id = t.id JOIN aid_request r ON r.id = tr.request_id
              WHERE r.incident_id = ?1 ORDER BY t.created_at DESC, t.id`)
    .bind(incidentId)
    .all<{ id: string }>()
    .then((r) => r.results.map((x) => x.id))

/** The plan's proposed transfers that serve an emergency request of the incident: what the green channel approves. */
export const selectGreenCandidates = (db: D1Database, incidentId: string, planId: string) =>
  db
    .prepare(`SELECT DISTINCT t.id FROM transfer t JOIN transfer_request tr ON tr.transfer_id = t.id JOIN aid_request r ON r.id = tr.request_id
              WHERE r.incident_id = ?1 AND t.plan_id = ?2 AND r.urgency = 'emergency' AND t.status IN ('proposed', 'approved')
                AND r.status NOT IN ('cancelled', 'fulfilled') ORDER BY t.id`)
    .bind(incidentId, planId)
    .all<{ id: string }>()
    .then((r) => r.results.map((x) => x.id))

/** Ordinary unexpired stock per site × component (what days of supply count). */
export const selectUsableBySite = (db: D1Database, now: string) =>
  db
    .prepare(`SELECT site_id AS siteId, component, SUM(qty) AS qty FROM lot WHERE qty > 0 AND antigens = '' AND expires_at > ?1
              AND site_id NOT IN (SELECT id FROM site WHERE kind = 'hospital') GROUP BY site_id, component`)
    .bind(now)
    .all<{ siteId: string; component: string; qty: number }>()
    .then((r) => r.results)

/** The incident's timeline: its own audit rows, and those of its requests, plans and transfers. */
export const selectTimeline = (db: D1Database, incidentId: string, limit: number) =>
  db
    .prepare(
      `SELECT a.id, a.at, a.actor_id AS actorId, u.name AS actorName, a.action, a.entity, a.entity_id AS entityId, a.detail,
         t.from_site AS fromSite, t.to_site AS toSite FROM audit_log a
       LEFT JOIN user u ON u.id = a.actor_id
       LEFT JOIN transfer t ON a.entity = 'transfer' AND t.id = a.entity_id
       WHERE (a.entity = 'incident' AND a.entity_id = ?1)
          OR (a.entity = 'plan' AND a.entity_id IN (SELECT id FROM plan WHERE incident_id = ?1))
          OR (a.entity = 'transfer' AND a.entity_id IN (SELECT tr.transfer_id FROM transfer_request tr JOIN aid_request r ON r.id = tr.request_id WHERE r.incident_id = ?1)
              AND a.action <> 'transfer.close')
       ORDER BY a.id DESC LIMIT ?2`,
    )
    .bind(incidentId, limit)
    .all<{
      id: number
      at: string
      actorId: string
      actorName: string | null
      action: string
      entity: string
      entityId: string
      detail: string
      fromSite: string | null
      toSite: string | null
    }>()
    .then((r) => r.results)

/** Warning-level changes (component as a whole) at the given sites since `since`: which stations fell to which level. */
export const selectLevelChanges = (db: D1Database, sites: string[], since: string) =>
  db
    .prepare(`SELECT site_id AS siteId, component, from_level AS fromLevel, to_level AS toLevel, days_of_supply AS daysOfSupply, at FROM warning_event
              WHERE site_id IN (SELECT value FROM json_each(?1)) AND abo = '*' AND rhd = '*' AND at >= ?2 ORDER BY id`)
    .bind(JSON.stringify(sites), since)
    .all<{ siteId: string; component: string; fromLevel: string | null; toLevel: string; daysOfSupply: number | null; at: string }>()
    .then((r) => r.results)

export const selectCurrentLevels = (db: D1Database, sites: string[]) =>
  db
    .prepare(`SELECT site_id AS siteId, component, level, days_of_supply AS daysOfSupply FROM warning_state
              WHERE site_id IN (SELECT value FROM json_each(?1)) AND abo = '*' AND rhd = '*' ORDER BY site_id, component`)
    .bind(JSON.stringify(sites))
    .all<{ siteId: string; component: string; level: string; daysOfSupply: number | null }>()
    .then((r) => r.results)

export const selectExternalSiteIds = (db: D1Database) =>
  db
    .prepare('SELECT id FROM site WHERE external = 1')
    .all<{ id: string }>()
    .then((r) => r.results.map((x) => x.id))
