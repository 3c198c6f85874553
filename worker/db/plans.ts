import { UNCOVERED } from './transfers/state'
import type { PlanSummaryT } from '../schemas/plan'

export const selectPlanSites = (db: D1Database) =>
  db
    // hospitals hold their own blood bank's stock, not the region's: the planner leaves them out
    .prepare("SELECT id, name_en AS name, lat, lng, province FROM site WHERE kind <> 'hospital' ORDER BY id")
    .all<{ id: string; name: string; lat: number; lng: number; province: string }>()
    .then((r) => r.results)

/** Usable stock: lots with units on hand that have not expired at `now`. */
export const selectLiveLots = (db: D1Database, now: string) =>
  db
    .prepare(
      `SELECT id, site_id AS site, component, abo, rhd, qty, expires_at AS expiresAt, antigens, frozen FROM lot
       WHERE qty > 0 AND expires_at > ?1 AND site_id NOT IN (SELECT id FROM site WHERE kind = 'hospital')
       ORDER BY site_id, component, expires_at, id`,
    )
    .bind(now)
    .all<{ id: string; site: string; component: string; abo: string; rhd: string; qty: number; expiresAt: string; antigens: string; frozen: number }>()
    .then((r) => r.results)

export type OpenNeedRow = {
  id: string
  site: string
  component: string
  abo: string
  rhd: string
  qty: number
  remaining: number
  urgency: string
  neededBy: string | null
  allowRhPositive: number
  status: string
  antigens: string
}

/**
 * Aid requests still to plan: open, planned or partly fulfilled ones, with `remaining` = qty − fulfilled −
 * units covered by committed or dispatched transfers. Proposals under review cover nothing (a request is covered
 * only by what a commit reserved), so an unreviewed or closed proposal never hides a request from the next plan;
 * the commit's coverage check stops two plans from covering one request twice. `ids` limits the selection.
 */
export const selectOpenNeeds = (db: D1Database, ids: string[] | null) =>
  db
    .prepare(
      `SELECT r.id, r.site_id AS site, r.component, r.abo, r.rhd, r.qty, r.urgency, r.needed_by AS neededBy,
         r.allow_rh_positive AS allowRhPositive, r.status, r.antigens,
         ${UNCOVERED('r')} AS remaining
       FROM aid_request r
       WHERE r.status IN ('open', 'planned', 'partly_fulfilled') AND (?1 IS NULL OR r.id IN (SELECT value FROM json_each(?1)))
       ORDER BY r.created_at, r.id`,
    )
    .bind(ids ? JSON.stringify(ids) : null)
    .all<OpenNeedRow>()
    .then((r) => r.results)

export const selectRedDays = (db: D1Database) =>
  db
    .prepare('SELECT province, component, red_days AS redDays FROM warning_policy')
    .all<{ province: string; component: string; redDays: number }>()
    .then((r) => r.results)

export const insertPlanStmt = (
  db: D1Database,
  p: { id: string; createdBy: string; mode: string; instance: unknown; result: unknown; incidentId?: string | null },
  at: string,
) =>
  db
    .prepare(`INSERT INTO plan (id, created_by, created_at, mode, status, instance, result, incident_id) VALUES (?1, ?2, ?3, ?4, 'review', ?5, ?6, ?7)`)
    .bind(p.id, p.createdBy, at, p.mode, JSON.stringify(p.instance), JSON.stringify(p.result), p.incidentId ?? null)

export const setPlanStatusStmt = (db: D1Database, id: string, status: string) => db.prepare('UPDATE plan SET status = ?2 WHERE id = ?1').bind(id, status)

type PlanRow = {
  id: string
  createdBy: string
  createdAt: string
  mode: 'routine' | 'disaster'
  status: 'review' | 'committed' | 'closed' | 'superseded'
  instance: string
  result: string
  transferCount: number
  approvedCount: number
}

const SUMMARY = `p.id, p.created_by AS createdBy, p.created_at AS createdAt, p.mode, p.status, p.incident_id AS incidentId,
  p.superseded_by AS supersededBy, p.superseded_at AS supersededAt,
  (SELECT COUNT(*) FROM transfer t WHERE t.plan_id = p.id) AS transferCount,
  (SELECT COUNT(*) FROM transfer t WHERE t.plan_id = p.id AND t.status = 'approved') AS approvedCount,
  COALESCE((SELECT SUM(json_extract(u.value, '$.qty')) FROM json_each(p.result, '$.unmet') u), 0) AS unmetUnits`

export const selectPlans = (db: D1Database, f: { status?: string; limit: number }) =>
  db
    .prepare(`SELECT ${SUMMARY} FROM plan p WHERE (?1 IS NULL OR p.status = ?1) ORDER BY p.created_at DESC, p.id DESC LIMIT ?2`)
    .bind(f.status ?? null, f.limit)
    .all<PlanSummaryT>()
    .then((r) => r.results.map(withIncident))

export const selectPlan = (db: D1Database, id: string) =>
  db
    .prepare(`SELECT ${SUMMARY}, p.instance, p.result FROM plan p WHERE p.id = ?1`)
    .bind(id)
    .first<PlanRow & { unmetUnits: number; incidentId?: string | null }>()
    .then((r) => (r ? withIncident(r) : null))

/** incidentId only on a plan that responds to an incident (docs/incidents.md), supersededBy only on a superseded plan; other plans keep their shape. */
const withIncident = <T extends { incidentId?: string | null; supersededBy?: string | null; supersededAt?: string | null }>({
  incidentId,
  supersededBy,
  supersededAt,
  ...rest
}: T) => ({ ...rest, ...(incidentId ? { incidentId } : {}), ...(supersededBy ? { supersededBy, supersededAt } : {}) }) as T

/** The aid requests each plan under review covers: the needs of its instance and of its rare-antigen rounds. */
export const selectOpenPlanRequests = (db: D1Database) =>
  db
    .prepare(
      `SELECT p.id AS planId, json_extract(n.value, '$.id') AS requestId FROM plan p, json_each(p.instance, '$.needs') n WHERE p.status = 'review'
       UNION
       SELECT p.id, json_extract(n.value, '$.id') FROM plan p, json_each(p.instance, '$.antigenRounds') r, json_each(r.value, '$.instance.needs') n
       WHERE p.status = 'review'`,
    )
    .all<{ planId: string; requestId: string }>()
    .then((r) => r.results)

/**
 * An older plan under review superseded by a newer one (written after the newer plan, in its batch): the plan names
 * its successor, and its proposed and approved transfers are closed (audited one row each as transfer.close), so
 * nothing of it can be committed; the trigger plan_superseded_final keeps it so.
 */
export const supersedeStmts = (db: D1Database, p: { oldId: string; newId: string; actorId: string; at: string }): D1PreparedStatement[] => [
  db
    .prepare(
      `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
     SELECT ?2, 'transfer.close', 'transfer', id, json_object('reason', 'superseded', 'planId', ?1, 'supersededBy', ?4, 'from', status, 'qty', qty), ?3
     FROM transfer WHERE plan_id = ?1 AND status IN ('proposed', 'approved') ORDER BY id`,
    )
    .bind(p.oldId, p.actorId, p.at, p.newId),
  db
    .prepare(
      `UPDATE transfer SET status = 'rejected', close_reason = 'superseded', updated_at = ?3,
       reject_reason = 'Superseded by plan ' || ?4, reviewed_by = ?2, reviewed_at = ?3
     WHERE plan_id = ?1 AND status IN ('proposed', 'approved')`,
    )
    .bind(p.oldId, p.actorId, p.at, p.newId),
  db.prepare(`UPDATE plan SET status = 'superseded', superseded_by = ?2, superseded_at = ?3 WHERE id = ?1 AND status = 'review'`).bind(p.oldId, p.newId, p.at),
]

export const selectPlanStatus = (db: D1Database, id: string) =>
  db
    .prepare('SELECT id, status, superseded_by AS supersededBy FROM plan WHERE id = ?1')
    .bind(id)
    .first<{ id: string; status: string; supersededBy: string | null }>()

export type PlanFloorsRow = { id: string; mode: 'routine' | 'disaster'; reserves: string | null; hospitalFloors: string | null }

/** The reserves (red-level floors) and hospitals' floors each plan recorded in its instance, to hold them again at commit. */
export const selectPlanFloors = (db: D1Database, ids: string[]) =>
  db
    .prepare(
      `SELECT id, mode, json_extract(instance, '$.reserves') AS reserves, json_extract(instance, '$.hospitalRound.floors') AS hospitalFloors
       FROM plan WHERE id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(ids))
    .all<PlanFloorsRow>()
    .then((r) => r.results)

export const selectPlanExists = (db: D1Database, id: string) => db.prepare('SELECT id FROM plan WHERE id = ?1').bind(id).first<{ id: string }>()
