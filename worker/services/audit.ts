import { nowIso } from '../lib/crypto'
import type { Actor } from './auth'

/** An audit row as a statement, so it joins the same db.batch() as the change it records. */
export const auditStmt = (db: D1Database, actor: Actor, action: string, entity: string, entityId: string, detail: unknown = {}, at = nowIso()) =>
  db
    .prepare('INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(actor.id, action, entity, entityId, JSON.stringify(detail), at)
