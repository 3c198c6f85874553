import { newId } from '../lib/crypto'

/**
 * A message to another province, as a statement for the sender's own db.batch(): it is written together with
 * the change it announces, or not at all. Delivery (worker/link/courier.ts) sends it until the receiver
 * acknowledges; the receiver applies it once by its id (worker/link/inbox.ts). A route needs to do nothing more:
 * every successful write in province mode pokes the couriers (worker/middleware/link-poke.ts). `from` is the
 * sender's PROVINCE (worker/link/config.ts provinceOf), filled in by the courier.
 */
export type LinkMessage = { id: string; from: string; to: string; kind: string; body: unknown; at: string }

export function outboxStmt(db: D1Database, m: { to: string; kind: string; body: unknown; at: string; id?: string }): { id: string; stmt: D1PreparedStatement } {
  const id = m.id ?? newId('lnk')
  const stmt = db
    .prepare('INSERT INTO link_outbox (id, to_province, kind, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)')
    .bind(id, m.to, m.kind, JSON.stringify(m.body), m.at)
  return { id, stmt }
}
