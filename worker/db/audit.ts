import type { z } from '@hono/zod-openapi'
import type { AuditEntry, AuditQuery } from '../schemas/audit'

export async function selectAudit(db: D1Database, q: z.infer<typeof AuditQuery>): Promise<z.infer<typeof AuditEntry>[]> {
  const { results } = await db
    .prepare(
      `SELECT id, actor_id AS actorId, action, entity, entity_id AS entityId, detail, at FROM audit_log
       WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2) AND (?3 IS NULL OR actor_id = ?3) AND (?4 IS NULL OR at >= ?4)
       ORDER BY id DESC LIMIT ?5`,
    )
    .bind(q.entity ?? null, q.entityId ?? null, q.actorId ?? null, q.since ?? null, q.limit)
    .all<{ detail: string } & Omit<z.infer<typeof AuditEntry>, 'detail'>>()
  return results.map((r) => ({ ...r, detail: JSON.parse(r.detail) }))
}

/** An audit row as a statement, so it joins the same db.batch() as the change it records. */
export const insertAuditStmt = (db: D1Database, a: { actorId: string; action: string; entity: string; entityId: string; detail: unknown; at: string }) =>
  db
    .prepare('INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(a.actorId, a.action, a.entity, a.entityId, JSON.stringify(a.detail), a.at)
