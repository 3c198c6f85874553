import { insertAuditStmt, selectAudit } from '../db/audit'
import { nowIso } from '../lib/time'
import type { AuditQueryT } from '../schemas/audit'
import { requireRole, type Actor } from './auth'

/** An audit row for what `actor` did, as a statement for the caller's db.batch() (recorded with the change or not at all). */
export const auditStmt = (db: D1Database, actor: Actor, action: string, entity: string, entityId: string, detail: unknown = {}, at = nowIso()) =>
  insertAuditStmt(db, { actorId: actor.id, action, entity, entityId, detail, at })

/** The audit log, newest first: coordinators and admins only. */
export function listAudit(db: D1Database, actor: Actor, q: AuditQueryT) {
  requireRole(actor, 'coordinator', 'admin')
  return selectAudit(db, q)
}
