import { LinkRejected } from './errors'
import { LINK_HANDLERS } from './handlers'
import type { LinkMessage } from './outbox'

export type InboxOutcome = { outcome: 'applied' | 'replay' } | { outcome: 'rejected'; error: string }

/** A transient failure (D1 busy, overloaded): the route answers 503 and the courier tries again. */
export class InboxBusy extends Error {}

const inboxStmt = (db: D1Database, m: LinkMessage, at: string, error: string | null) =>
  db
    .prepare('INSERT INTO link_inbox (id, from_province, kind, body, status, error, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
    .bind(m.id, m.from, m.kind, JSON.stringify(m.body ?? null), error === null ? 'applied' : 'rejected', error, at)

const isReplay = (e: unknown) => /UNIQUE constraint failed: link_inbox\.id/i.test(String((e as Error)?.message ?? e))
/** A constraint the apply statements break (CHECK, UNIQUE, FOREIGN KEY, a trigger's RAISE) fails again on every retry. */
const isDeterministic = (e: unknown) => /constraint failed|SQLITE_CONSTRAINT/i.test(String((e as Error)?.message ?? e))

/**
 * Applies one message from another province exactly once. The inbox row is the batch's FIRST statement, so a
 * message that was already applied (or kept as rejected) fails the batch on link_inbox's PRIMARY KEY and answers
 * 'replay' with nothing applied again. A kind nobody handles, a body failing its kind's schema, or statements
 * breaking a constraint of this database are kept as 'rejected' with the reason (shown to both sides' admins),
 * never dropped and never retried into the void. Anything else (D1 busy) throws InboxBusy: the sender retries.
 */
export async function applyLinkMessage(db: D1Database, msg: LinkMessage, at = new Date().toISOString()): Promise<InboxOutcome> {
  const seen = await db.prepare('SELECT 1 FROM link_inbox WHERE id = ?1').bind(msg.id).first()
  if (seen) return { outcome: 'replay' }
  const handler = LINK_HANDLERS[msg.kind]
  if (!handler) return keepRejected(db, msg, at, `unknown kind ${msg.kind}`)
  const parsed = handler.body.safeParse(msg.body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return keepRejected(db, msg, at, `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`)
  }
  let stmts: D1PreparedStatement[]
  try {
    stmts = await handler.apply(db, { ...msg, body: parsed.data })
  } catch (e) {
    if (e instanceof LinkRejected) return keepRejected(db, msg, at, `apply: ${e.message}`)
    throw new InboxBusy((e as Error).message)
  }
  try {
    await db.batch([inboxStmt(db, msg, at, null), ...stmts])
    return { outcome: 'applied' }
  } catch (e) {
    if (isReplay(e)) return { outcome: 'replay' }
    if (isDeterministic(e)) return keepRejected(db, msg, at, `apply: ${(e as Error).message}`)
    throw new InboxBusy((e as Error).message)
  }
}

async function keepRejected(db: D1Database, msg: LinkMessage, at: string, error: string): Promise<InboxOutcome> {
  try {
    await inboxStmt(db, msg, at, error).run()
  } catch (e) {
    if (isReplay(e)) return { outcome: 'replay' }
    throw new InboxBusy((e as Error).message)
  }
  return { outcome: 'rejected', error }
}
