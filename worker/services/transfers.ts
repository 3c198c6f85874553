import {
  insertBatchStmt, insertCommitStmt, insertLotStmt, insertMovementStmt, selectBatch, selectCommitted,
  selectLines, selectLotsByIds, selectRequestUrgency, selectTransferRow, selectTransferRows, releaseRequestsStmts, setQtyStmts, setStatusStmt,
  withLines, type LotLineRow, type TransferRow,
} from '../db/transfers'
import { setPlanStatusStmt } from '../db/plans'
import { ApiError, badRequest, conflict, forbidden, notFound } from '../errors'
import { newId, nowIso, sha256Hex } from '../lib/crypto'
import type { CommitResultT, TransferStatusT, TransferT } from '../schemas/transfer'
import { auditStmt } from './audit'
import { refreshAfterWrite } from './movements'
import { recordFulfilment } from './requests'
import { requireRole, type Actor } from './auth'

/** The moves the transfer_status_guard trigger allows; checked first only to answer with a clear message. */
const NEXT: Record<TransferStatusT, TransferStatusT[]> = {
  proposed: ['approved', 'rejected'],
  approved: ['proposed', 'rejected', 'committed'],
  committed: ['dispatched', 'cancelled'],
  dispatched: ['received'],
  rejected: [],
  received: [],
  cancelled: [],
}

const invalidTransition = (t: { id: string; status: string }, to: string) =>
  conflict('invalid_transition', `Transfer ${t.id} is ${t.status}; it cannot become ${to}`)

function requireTransition(t: { id: string; status: TransferStatusT }, to: TransferStatusT) {
  if (!NEXT[t.status].includes(to)) throw invalidTransition(t, to)
}

/** Maps the guards' failures (triggers, keys, CHECKs) to 409s; anything else is rethrown. */
function mapGuardError(e: unknown, t: { id: string; status: string }, to: string): never {
  const msg = String(e)
  if (msg.includes('illegal transfer status change')) throw invalidTransition({ id: t.id, status: 'no longer ' + t.status }, to)
  if (msg.includes('transfer quantity is fixed')) throw conflict('invalid_transition', `Transfer ${t.id} is committed; its quantity is fixed`)
  throw e
}

const plansClosedStmt = (db: D1Database, planId: string | null) =>
  planId
    ? db.prepare(
        `UPDATE plan SET status = 'closed' WHERE id = ?1 AND status <> 'closed' AND NOT EXISTS
           (SELECT 1 FROM transfer WHERE plan_id = ?1 AND status NOT IN ('received', 'rejected', 'cancelled'))`,
      ).bind(planId)
    : null

/** Transfers (of those given) all of whose requests are cancelled or already fulfilled: nothing left to serve. */
async function pointless(db: D1Database, ids: string[]): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT tr.transfer_id AS id FROM transfer_request tr JOIN aid_request r ON r.id = tr.request_id
       WHERE tr.transfer_id IN (SELECT value FROM json_each(?1))
       GROUP BY tr.transfer_id HAVING SUM(r.status NOT IN ('cancelled', 'fulfilled')) = 0`,
    )
    .bind(JSON.stringify(ids))
    .all<{ id: string }>()
  return results.map((r) => r.id)
}

async function loadRow(db: D1Database, id: string): Promise<TransferRow> {
  const row = await selectTransferRow(db, id)
  if (!row) throw notFound('transfer', id)
  return row
}

export async function getTransfer(db: D1Database, id: string): Promise<TransferT> {
  const [t] = await withLines(db, [await loadRow(db, id)])
  return t
}

export async function listTransfers(db: D1Database, f: { status?: string; site?: string; planId?: string }): Promise<TransferT[]> {
  return withLines(db, await selectTransferRows(db, f))
}

export async function approveTransfer(db: D1Database, actor: Actor, id: string): Promise<TransferT> {
  requireRole(actor, 'coordinator', 'admin')
  const t = await loadRow(db, id)
  requireTransition(t, 'approved')
  if ((await pointless(db, [id])).length) throw conflict('requests_closed', `Every request transfer ${id} serves is cancelled or fulfilled; reject it instead`)
  const at = nowIso()
  try {
    await db.batch([
      setStatusStmt(db, id, 'approved', at, { reviewed_by: actor.id, reviewed_at: at }),
      auditStmt(db, actor, 'transfer.approve', 'transfer', id, { qty: t.qty }, at),
    ])
  } catch (e) { mapGuardError(e, t, 'approved') }
  return getTransfer(db, id)
}

export async function rejectTransfer(db: D1Database, actor: Actor, id: string, reason: string, action = 'transfer.reject'): Promise<TransferT> {
  requireRole(actor, 'coordinator', 'admin')
  const t = await loadRow(db, id)
  requireTransition(t, 'rejected')
  const at = nowIso()
  try {
    await db.batch([
      setStatusStmt(db, id, 'rejected', at, { reviewed_by: actor.id, reviewed_at: at, reject_reason: reason }),
      auditStmt(db, actor, action, 'transfer', id, { reason, from: t.status }, at),
      ...releaseRequestsStmts(db, id, actor.id, at),
      ...[plansClosedStmt(db, t.planId)].filter((s) => s !== null),
    ])
  } catch (e) { mapGuardError(e, t, 'rejected') }
  return getTransfer(db, id)
}

/** Fill `qty` from lines in the given order (each at most its own qty). */
function fill<T extends { qty: number }>(lines: T[], qty: number): T[] {
  const out: T[] = []
  let left = qty
  for (const l of lines) {
    if (left <= 0) break
    const take = Math.min(l.qty, left)
    out.push({ ...l, qty: take })
    left -= take
  }
  return out
}

const URGENCY_RANK: Record<string, number> = { emergency: 0, urgent: 1, routine: 2 }

/**
 * Sets a reviewed quantity (1 ≤ qty ≤ proposedQty) and rebuilds the lot and request lines from the planner's
 * original lines: the earliest-expiring lots are kept, so lowering drops the latest-expiring units first and
 * near-expiry lots still go; the most urgent requests keep their units.
 */
export async function editTransferQty(db: D1Database, actor: Actor, id: string, qty: number): Promise<TransferT> {
  requireRole(actor, 'coordinator', 'admin')
  const t = await loadRow(db, id)
  if (t.status !== 'proposed' && t.status !== 'approved') throw conflict('invalid_transition', `Transfer ${id} is ${t.status}; only a proposed or approved transfer's quantity may change`)
  if (qty > t.proposedQty) throw badRequest('qty', `qty may be at most the proposed ${t.proposedQty}`)
  if (qty === t.qty) return getTransfer(db, id)

  const proposedLots = JSON.parse(t.proposedLots) as { lotId: string; qty: number }[]
  const proposedRequests = JSON.parse(t.proposedRequests) as { requestId: string; qty: number }[]
  const expiry = new Map((await selectLotsByIds(db, proposedLots.map((l) => l.lotId))).map((l) => [l.id, l.expiresAt]))
  const lots = fill([...proposedLots].sort((a, b) => (expiry.get(a.lotId) ?? '').localeCompare(expiry.get(b.lotId) ?? '') || a.lotId.localeCompare(b.lotId)), qty)
  const meta = new Map((await selectRequestUrgency(db, proposedRequests.map((r) => r.requestId))).map((r) => [r.id, r]))
  const order = (r: { requestId: string }) => [URGENCY_RANK[meta.get(r.requestId)?.urgency ?? 'routine'] ?? 2, meta.get(r.requestId)?.neededBy ?? '9999'] as const
  const requests = fill(
    [...proposedRequests].sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1].localeCompare(order(b)[1]) || a.requestId.localeCompare(b.requestId)),
    qty,
  )
  const at = nowIso()
  try {
    await db.batch([
      ...setQtyStmts(db, id, qty, lots, requests, at),
      auditStmt(db, actor, 'transfer.edit', 'transfer', id, { qty: { from: t.qty, to: qty }, lots }, at),
    ])
  } catch (e) { mapGuardError(e, t, t.status) }
  return getTransfer(db, id)
}

/** The first transfer whose lot lines the current stock cannot cover (taking the transfers in order), or whose lot has expired. */
async function findShortfall(db: D1Database, rows: TransferRow[], lines: LotLineRow[]): Promise<string | null> {
  const now = nowIso()
  const lots = new Map((await selectLotsByIds(db, [...new Set(lines.map((l) => l.lotId))])).map((l) => [l.id, l]))
  const used = new Map<string, number>()
  for (const t of rows) {
    for (const line of lines.filter((l) => l.transferId === t.id)) {
      const lot = lots.get(line.lotId)
      const need = (used.get(line.lotId) ?? 0) + line.qty
      if (!lot) return `Transfer ${t.id}: lot ${line.lotId} no longer exists`
      if (lot.expiresAt <= now) return `Transfer ${t.id}: lot ${line.lotId} at ${lot.siteId} expired at ${lot.expiresAt}`
      if (lot.qty < need) {
        const other = need - line.qty
        return `Transfer ${t.id}: lot ${line.lotId} at ${lot.siteId} holds ${lot.qty} units, ${line.qty} needed${other ? ` (after ${other} for other transfers in this commit)` : ''}`
      }
      used.set(line.lotId, need)
    }
  }
  return null
}

async function replayCommit(db: D1Database, actor: Actor, key: string, hash: string): Promise<CommitResultT | null> {
  const b = await selectBatch(db, actor.id, key)
  if (!b) return null
  if (b.requestHash !== hash) throw conflict('idempotency_key_reused', 'This Idempotency-Key was already used for a different request', 'idempotency-key')
  const committed = await selectCommitted(db, actor.id, key)
  const planId = committed.length ? ((await selectTransferRow(db, committed[0]))?.planId ?? null) : null
  return { planId, batchId: b.id, committed, at: b.at }
}

/**
 * Commits approved transfers in ONE db.batch (D1's transaction): the movement_batch row first (UNIQUE
 * (actor, Idempotency-Key): a retry is refused whole and answered from what the first call stored), then per
 * transfer its transfer_commit row (primary key: committed once; qty re-checked), the ledger transfer_out
 * lines from its lots (lot.qty >= 0 CHECK: if stock was taken meanwhile the whole batch fails and nothing is
 * reserved), the status change (trigger: only approved → committed) and an audit row.
 */
async function commitTransfers(db: D1Database, actor: Actor, key: string, hash: string, planId: string | null, rows: TransferRow[]): Promise<CommitResultT> {
  const ids = rows.map((r) => r.id).sort()
  rows = [...rows].sort((a, b) => a.id.localeCompare(b.id))
  const { lots: lines } = await selectLines(db, ids)
  const short = await findShortfall(db, rows, lines)
  if (short) throw conflict('insufficient_stock', `${short}; nothing was committed`)
  const closed = await pointless(db, ids)
  if (closed.length) throw conflict('requests_closed', `Every request transfer ${closed.join(', ')} serves is cancelled or fulfilled; reject it; nothing was committed`)

  const at = nowIso()
  const batchId = newId('mb')
  const stmts: D1PreparedStatement[] = [insertBatchStmt(db, batchId, actor.id, key, hash, at)]
  for (const t of rows) {
    const mine = lines.filter((l) => l.transferId === t.id)
    if (mine.reduce((s, l) => s + l.qty, 0) !== t.qty) throw conflict('transfer_changed', `Transfer ${t.id}: its lot lines do not add up to its qty; retry`)
    stmts.push(insertCommitStmt(db, t.id, key, actor.id, t.qty, at))
    for (const l of mine) {
      stmts.push(insertMovementStmt(db, { batchId, lotId: l.lotId, siteId: t.fromSite, kind: 'transfer_out', delta: -l.qty, reason: `transfer ${t.id} to ${t.toSite}`, transferId: t.id, actorId: actor.id, at }))
    }
    stmts.push(setStatusStmt(db, t.id, 'committed', at, { committed_at: at }))
    stmts.push(auditStmt(db, actor, 'transfer.commit', 'transfer', t.id, { qty: t.qty, batchId, lots: mine.map(({ lotId, qty }) => ({ lotId, qty })) }, at))
  }
  const planIds = planId ? [planId] : [...new Set(rows.map((r) => r.planId).filter((p): p is string => !!p))]
  for (const p of planIds) {
    stmts.push(setPlanStatusStmt(db, p, 'committed'))
    if (planId) stmts.push(auditStmt(db, actor, 'plan.commit', 'plan', p, { transfers: ids, batchId }, at))
  }
  try {
    await db.batch(stmts)
  } catch (e) {
    const msg = String(e)
    if (msg.includes('movement_batch.actor_id')) {
      const replay = await replayCommit(db, actor, key, hash)
      if (replay) return replay
    }
    if (msg.includes('CHECK constraint failed')) {
      const now = await findShortfall(db, rows, lines)
      throw conflict('insufficient_stock', `${now ?? `Stock of transfer ${ids.join(', ')} was taken meanwhile`}; nothing was committed`)
    }
    if (msg.includes('transfer_commit.transfer_id')) throw conflict('already_committed', `A transfer among ${ids.join(', ')} was committed meanwhile; nothing was committed`)
    if (msg.includes('transfer_commit.at')) throw conflict('transfer_changed', `A transfer among ${ids.join(', ')} changed meanwhile; nothing was committed`)
    if (msg.includes('illegal transfer status change')) throw conflict('invalid_transition', `A transfer among ${ids.join(', ')} is no longer approved; nothing was committed`)
    throw e
  }
  for (const site of new Set(rows.map((r) => r.fromSite))) await refreshAfterWrite(db, site)
  return { planId, batchId, committed: ids, at }
}

export async function commitPlanTransfers(db: D1Database, actor: Actor, planId: string, key: string): Promise<CommitResultT> {
  requireRole(actor, 'coordinator', 'admin')
  const hash = await sha256Hex(`commit-plan:${planId}`)
  const replay = await replayCommit(db, actor, key, hash)
  if (replay) return replay
  const plan = await db.prepare('SELECT id FROM plan WHERE id = ?1').bind(planId).first()
  if (!plan) throw notFound('plan', planId)
  return orReplay(db, actor, key, hash, async () => {
    const rows = await selectTransferRows(db, { planId, status: 'approved' })
    if (rows.length === 0) throw conflict('nothing_approved', `Plan ${planId} has no approved transfer to commit`)
    return commitTransfers(db, actor, key, hash, planId, rows)
  })
}

/**
 * A 409 may come from a concurrent call with the same key that has just committed (it took the stock or the
 * approved status first): answer with what that call stored instead.
 */
async function orReplay(db: D1Database, actor: Actor, key: string, hash: string, run: () => Promise<CommitResultT>): Promise<CommitResultT> {
  try {
    return await run()
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && e.code !== 'idempotency_key_reused') {
      const replay = await replayCommit(db, actor, key, hash)
      if (replay) return replay
    }
    throw e
  }
}

export async function commitOneTransfer(db: D1Database, actor: Actor, id: string, key: string): Promise<CommitResultT> {
  requireRole(actor, 'coordinator', 'admin')
  const hash = await sha256Hex(`commit-transfer:${id}`)
  const replay = await replayCommit(db, actor, key, hash)
  if (replay) return replay
  const t = await loadRow(db, id)
  return orReplay(db, actor, key, hash, async () => {
    requireTransition(t, 'committed')
    const result = await commitTransfers(db, actor, key, hash, null, [t])
    return { ...result, planId: t.planId }
  })
}

/** committed → dispatched: the units already left the source lots at commit; this records departure. */
export async function dispatchTransfer(db: D1Database, actor: Actor, id: string): Promise<TransferT> {
  const t = await loadRow(db, id)
  const allowed = actor.role === 'coordinator' || actor.role === 'admin' || (actor.role === 'director' && actor.siteId === t.fromSite)
  if (!allowed) throw forbidden(actor.role === 'director' ? `Only the source site ${t.fromSite} or a coordinator may dispatch this transfer` : `A ${actor.role} may not dispatch transfers`)
  requireTransition(t, 'dispatched')
  const at = nowIso()
  try {
    await db.batch([
      setStatusStmt(db, id, 'dispatched', at, { dispatched_at: at }),
      auditStmt(db, actor, 'transfer.dispatch', 'transfer', id, { qty: t.qty }, at),
    ])
  } catch (e) { mapGuardError(e, t, 'dispatched') }
  return getTransfer(db, id)
}

/**
 * proposed/approved → rejected; committed → cancelled with the units put back: transfer_in movements to the
 * same source lots, in one batch whose movement_batch id is fixed per transfer, so the stock returns once.
 */
export async function cancelTransfer(db: D1Database, actor: Actor, id: string, reason: string | undefined): Promise<TransferT> {
  requireRole(actor, 'coordinator', 'admin')
  const t = await loadRow(db, id)
  if (t.status === 'proposed' || t.status === 'approved') return rejectTransfer(db, actor, id, reason ?? 'cancelled', 'transfer.cancel')
  requireTransition(t, 'cancelled')
  const at = nowIso()
  const batchId = `mb_cancel_${id}`
  const { lots: lines } = await selectLines(db, [id])
  const stmts: D1PreparedStatement[] = [
    insertBatchStmt(db, batchId, actor.id, `cancel:${id}`, await sha256Hex(`cancel:${id}`), at),
    setStatusStmt(db, id, 'cancelled', at, { reject_reason: reason ?? 'cancelled' }),
    ...lines.map((l) => insertMovementStmt(db, { batchId, lotId: l.lotId, siteId: t.fromSite, kind: 'transfer_in', delta: l.qty, reason: `transfer ${id} cancelled`, transferId: id, actorId: actor.id, at })),
    auditStmt(db, actor, 'transfer.cancel', 'transfer', id, { reason: reason ?? 'cancelled', returned: lines.map(({ lotId, qty }) => ({ lotId, qty })) }, at),
    ...releaseRequestsStmts(db, id, actor.id, at),
    ...[plansClosedStmt(db, t.planId)].filter((s) => s !== null),
  ]
  try {
    await db.batch(stmts)
  } catch (e) {
    if (String(e).includes('movement_batch')) throw conflict('invalid_transition', `Transfer ${id} was already cancelled`)
    mapGuardError(e, t, 'cancelled')
  }
  await refreshAfterWrite(db, t.fromSite)
  return getTransfer(db, id)
}

/**
 * dispatched → received, in one batch: new lots at the destination (same component, group, antigens and
 * expiry as the source lots) filled by transfer_in movements, received/lost quantities on the transfer, and
 * the served requests' fulfilled_qty and status. The movement_batch id is fixed per transfer (received once);
 * (actor, Idempotency-Key) makes a retry answer the same transfer.
 */
export async function receiveTransfer(db: D1Database, actor: Actor, id: string, key: string, receivedQty: number): Promise<TransferT> {
  const t = await loadRow(db, id)
  const allowed = actor.role === 'coordinator' || actor.role === 'admin' || (actor.role === 'director' && actor.siteId === t.toSite)
  if (!allowed) throw forbidden(actor.role === 'director' ? `Only the destination site ${t.toSite} or a coordinator may receive this transfer` : `A ${actor.role} may not receive transfers`)
  const hash = await sha256Hex(`receive:${id}:${receivedQty}`)
  const prior = await selectBatch(db, actor.id, key)
  if (prior) {
    if (prior.requestHash !== hash) throw conflict('idempotency_key_reused', 'This Idempotency-Key was already used for a different request', 'idempotency-key')
    return getTransfer(db, id)
  }
  if (t.status === 'received') {
    // a concurrent call with this key may have just applied it
    const again = await selectBatch(db, actor.id, key)
    if (again?.requestHash === hash) return getTransfer(db, id)
  }
  requireTransition(t, 'received')
  if (receivedQty > t.qty) throw badRequest('receivedQty', `receivedQty may be at most the transfer's qty ${t.qty}`)

  const { lots: lines, requests } = await selectLines(db, [id])
  const source = new Map((await selectLotsByIds(db, lines.map((l) => l.lotId))).map((l) => [l.id, l]))
  const at = nowIso()
  const batchId = `mb_receive_${id}`
  const stmts: D1PreparedStatement[] = [
    insertBatchStmt(db, batchId, actor.id, key, hash, at),
    setStatusStmt(db, id, 'received', at, { received_qty: receivedQty, lost_qty: t.qty - receivedQty, received_at: at }),
  ]
  const newLots: { lotId: string; from: string; qty: number }[] = []
  for (const line of fill(lines, receivedQty)) {
    const src = source.get(line.lotId)
    if (!src) throw new ApiError(409, 'invalid_transition', `Source lot ${line.lotId} of transfer ${id} is missing`)
    const lotId = newId('lot')
    newLots.push({ lotId, from: src.id, qty: line.qty })
    stmts.push(insertLotStmt(db, { ...src, id: lotId, siteId: t.toSite }, at))
    stmts.push(insertMovementStmt(db, { batchId, lotId, siteId: t.toSite, kind: 'transfer_in', delta: line.qty, reason: `transfer ${id} from ${t.fromSite} (lot ${src.id})`, transferId: id, actorId: actor.id, at }))
  }
  // received units go to the most urgent requests first
  const meta = new Map((await selectRequestUrgency(db, requests.map((r) => r.requestId))).map((r) => [r.id, r]))
  const ordered = [...requests].sort((a, b) => (URGENCY_RANK[meta.get(a.requestId)?.urgency ?? 'routine'] ?? 2) - (URGENCY_RANK[meta.get(b.requestId)?.urgency ?? 'routine'] ?? 2))
  const shares = fill(ordered, receivedQty)
  // a request given no units by a short receipt stays planned-but-uncovered, so the next plan picks it up
  for (const s of shares) if (s.qty > 0) stmts.push(...recordFulfilment(db, actor, s.requestId, s.qty, { transferId: id }))
  stmts.push(auditStmt(db, actor, 'transfer.receive', 'transfer', id, { receivedQty, lostQty: t.qty - receivedQty, lots: newLots }, at))
  const close = plansClosedStmt(db, t.planId)
  if (close) stmts.push(close)
  try {
    await db.batch(stmts)
  } catch (e) {
    if (String(e).includes('UNIQUE constraint failed: movement_batch')) {
      const again = await selectBatch(db, actor.id, key)
      if (again?.requestHash === hash) return getTransfer(db, id)
      if (again) throw conflict('idempotency_key_reused', 'This Idempotency-Key was already used for a different request', 'idempotency-key')
      throw conflict('invalid_transition', `Transfer ${id} was already received`)
    }
    mapGuardError(e, t, 'received')
  }
  await refreshAfterWrite(db, t.toSite)
  return getTransfer(db, id)
}
