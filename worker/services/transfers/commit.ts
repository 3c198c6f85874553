import { selectLotsByIds, type LotRow } from '../../db/lots'
import { insertBatchStmt, insertMovementStmt, selectBatchByKey } from '../../db/movements'
import { selectPlanFloors, selectPlanStatus, setPlanStatusStmt } from '../../db/plans'
import {
  selectLines,
  selectPointless,
  selectTransferRow,
  selectTransferRows,
  selectTransferRowsByIds,
  type LotLineRow,
  type RequestLineRow,
  type TransferRow,
} from '../../db/transfers/read'
import {
  closePlanIfDoneStmt,
  closeUnapprovedStmts,
  insertCommitStmt,
  insertCoverageCheckStmt,
  insertFloorCheckStmt,
  releaseRequestsStmts,
  selectCommitted,
  selectFloorStock,
  selectUncovered,
  setStatusStmt,
} from '../../db/transfers/state'
import { ApiError, conflict, notFound } from '../../errors'
import { newId, sha256Hex } from '../../lib/crypto'
import { nowIso } from '../../lib/time'
import type { CommitResultT, TransferT } from '../../schemas/transfer'
import { auditStmt } from '../audit'
import { asReplay, withIdempotency, type Stored } from '../idempotency'
import { requireRole, type Actor } from '../auth'
import { refreshAfterWrite } from '../movements'
import { setRequestStatus } from '../requests'
import { getTransfer, loadRow, mapGuardError, requireTransition } from './state'
import { rejectTransfer } from './review'
import { returnStmts } from './transport'
import { isCheck, isNotNull, isRaised, isUnique } from '../../db/constraints'

/**
 * Commit: stock leaves the donor lots (ledger transfer_out) so it is reserved for the transfer. One db.batch per
 * commit, all or nothing; every guard that protects it fails inside the batch (keys, CHECKs, triggers).
 */

type Lots = Map<string, LotRow>

/** Why a commit failed, in words and as the detail the UI names it by (the transfer, its stations, the lot or request). */
type Failure = { message: string; detail: Record<string, string | number> }
const about = (t: TransferRow) => ({ transferId: t.id, fromSite: t.fromSite, toSite: t.toSite, component: t.component, group: `${t.abo}${t.rhd}`, qty: t.qty })

/** The first transfer whose lot lines the current stock cannot cover (taking the transfers in order), or whose lot has expired. */
function findShortfall(rows: TransferRow[], lines: LotLineRow[], lots: Lots, now: string): Failure | null {
  const used = new Map<string, number>()
  for (const t of rows) {
    for (const line of lines.filter((l) => l.transferId === t.id)) {
      const lot = lots.get(line.lotId)
      const need = (used.get(line.lotId) ?? 0) + line.qty
      const detail = { ...about(t), lotId: line.lotId, lotSite: lot?.siteId ?? t.fromSite, needed: need }
      if (!lot) return { message: `Transfer ${t.id}: lot ${line.lotId} no longer exists`, detail: { ...detail, problem: 'lot_gone' } }
      if (lot.expiresAt <= now)
        return {
          message: `Transfer ${t.id}: lot ${line.lotId} at ${lot.siteId} expired at ${lot.expiresAt}`,
          detail: { ...detail, problem: 'lot_expired', expiresAt: lot.expiresAt },
        }
      if (lot.qty < need) {
        const other = need - line.qty
        return {
          message: `Transfer ${t.id}: lot ${line.lotId} at ${lot.siteId} holds ${lot.qty} units, ${line.qty} needed${other ? ` (after ${other} for other transfers in this commit)` : ''}`,
          detail: { ...detail, problem: 'lot_short', holds: lot.qty },
        }
      }
      used.set(line.lotId, need)
    }
  }
  return null
}

type Floor = { transferId: string; planId: string; site: string; component: string; abo: string; rhd: string; floor: number; takes: number; hospital?: true }

/**
 * The donor floors this commit must hold: per donor site × component × group drawn on (ordinary lots only; the
 * rare pool has no reserve), the reserve its plan recorded. In a disaster-mode plan a transfer serving an
 * emergency may go below the floor (as the planner allowed), so it adds none; a hospital's floor holds always.
 */
async function floorsOf(db: D1Database, rows: TransferRow[], lines: LotLineRow[], requests: RequestLineRow[], lots: Lots): Promise<Floor[]> {
  const plans = new Map((await selectPlanFloors(db, [...new Set(rows.map((r) => r.planId).filter((p): p is string => !!p))])).map((p) => [p.id, p]))
  const floors = new Map<string, Floor>()
  for (const t of rows) {
    const plan = t.planId ? plans.get(t.planId) : undefined
    if (!plan) continue
    type Group = { site: string; component: string; abo: string; rhd: string }
    const same = (r: Group) => r.site === t.fromSite && r.component === t.component && r.abo === t.abo && r.rhd === t.rhd
    // a hospital's floor (issue 23) holds in every mode, also against an emergency
    const hospital = plan.hospitalFloors ? (JSON.parse(plan.hospitalFloors) as (Group & { floor: number })[]).find(same) : undefined
    const emergencyInDisaster = plan.mode === 'disaster' && requests.some((r) => r.transferId === t.id && r.urgency === 'emergency')
    const reserve = hospital
      ? { qty: hospital.floor }
      : plan.reserves && !emergencyInDisaster
        ? (JSON.parse(plan.reserves) as (Group & { qty: number })[]).find(same)
        : undefined
    const takes = lines.filter((l) => l.transferId === t.id && lots.get(l.lotId)?.antigens === '').reduce((s, l) => s + l.qty, 0)
    if (!reserve || reserve.qty <= 0 || takes === 0) continue
    const k = `${t.fromSite}|${t.component}|${t.abo}|${t.rhd}`
    const prev = floors.get(k)
    floors.set(
      k,
      prev
        ? { ...prev, floor: Math.max(prev.floor, reserve.qty), takes: prev.takes + takes, transferId: t.id }
        : {
            transferId: t.id,
            planId: plan.id,
            site: t.fromSite,
            component: t.component,
            abo: t.abo,
            rhd: t.rhd,
            floor: reserve.qty,
            takes,
            ...(hospital ? { hospital: true as const } : {}),
          },
    )
  }
  return [...floors.values()]
}

/** The first floor this commit would break, naming the transfer and the station; null when all hold. */
async function brokenFloor(db: D1Database, rows: TransferRow[], floors: Floor[], now: string): Promise<Failure | null> {
  for (const f of floors) {
    const have = (await selectFloorStock(db, f, now)) ?? 0
    const after = have - f.takes
    if (after < f.floor) {
      const t = rows.find((r) => r.id === f.transferId)!
      return {
        message:
          `Transfer ${f.transferId} would take ${f.site}'s ${f.component} ${f.abo}${f.rhd} to ${after} units, below the reserve of ${f.floor} ` +
          `recorded in plan ${f.planId} (${f.hospital ? "the hospital's floor, days of its own use" : "the station's red-level floor"})`,
        detail: { ...about(t), site: f.site, after, floor: f.floor },
      }
    }
  }
  return null
}

/** The first request this commit would cover beyond what it asked (another plan's transfers were committed first). */
async function overCovered(db: D1Database, rows: TransferRow[], requests: RequestLineRow[]): Promise<Failure | null> {
  const left = new Map((await selectUncovered(db, [...new Set(requests.map((r) => r.requestId))])).map((r) => [r.id, r.uncovered]))
  for (const r of requests) {
    const now = (left.get(r.requestId) ?? 0) - r.qty
    left.set(r.requestId, now)
    if (now < 0) {
      const t = rows.find((x) => x.id === r.transferId)!
      return {
        message: `Transfer ${r.transferId} would cover request ${r.requestId} (${r.siteId}) beyond the ${r.requestQty} units it asked: other committed transfers already cover it; reject this one`,
        detail: { ...about(t), requestId: r.requestId, requestSite: r.siteId },
      }
    }
  }
  return null
}

const failed = (code: string, f: Failure) => conflict(code, `${f.message}; nothing was committed`, undefined, f.detail)

/** What a commit stored under a key (its movement_batch), for withIdempotency. */
const commitLookup =
  (db: D1Database, actor: Actor) =>
  async (key: string): Promise<Stored<CommitResultT> | null> => {
    const b = await selectBatchByKey(db, actor.id, key)
    if (!b) return null
    return {
      hash: b.requestHash,
      answer: async () => {
        const committed = await selectCommitted(db, actor.id, key)
        const planId = committed.length ? ((await selectTransferRow(db, committed[0]))?.planId ?? null) : null
        return asReplay({ planId, batchId: b.id, committed, closed: [], at: b.at })
      },
    }
  }

/**
 * Commits approved transfers in ONE db.batch (D1's transaction): the movement_batch row first (UNIQUE
 * (actor, Idempotency-Key): a retry is refused whole and answered from what the first call stored), then per
 * transfer its transfer_commit row (primary key: committed once; qty re-checked), the ledger transfer_out lines
 * (lot.qty >= 0 CHECK), the status change (trigger: only approved → committed) and an audit row; then a
 * commit_check row per donor floor and per request served (CHECK have >= floor: a donor below the reserve its
 * plan recorded, or a request covered twice by two plans, fails the whole batch), the served requests marked
 * planned, and — for a plan — its unapproved proposals closed.
 */
async function commitTransfers(
  db: D1Database,
  actor: Actor,
  key: string,
  hash: string,
  planId: string | null,
  rows: TransferRow[],
  opts: { keepPlanOpen?: boolean } = {},
): Promise<CommitResultT> {
  const ids = rows.map((r) => r.id).sort()
  rows = [...rows].sort((a, b) => a.id.localeCompare(b.id))
  const { lots: lines, requests } = await selectLines(db, ids)
  const lots: Lots = new Map((await selectLotsByIds(db, [...new Set(lines.map((l) => l.lotId))])).map((l) => [l.id, l]))
  const now = nowIso()
  const short = findShortfall(rows, lines, lots, now)
  if (short) throw failed('insufficient_stock', short)
  const closed = await selectPointless(db, ids)
  if (closed.length)
    throw conflict('requests_closed', `Every request transfer ${closed.join(', ')} serves is cancelled or fulfilled; reject it; nothing was committed`)
  const floors = await floorsOf(db, rows, lines, requests, lots)
  const below = await brokenFloor(db, rows, floors, now)
  if (below) throw failed('below_floor', below)
  const over = await overCovered(db, rows, requests)
  if (over) throw failed('request_covered', over)

  const batchId = newId('mb')
  const stmts: D1PreparedStatement[] = [
    insertBatchStmt(db, { id: batchId, actorId: actor.id, idempotencyKey: key, requestHash: hash, source: 'transfer', at: now }),
  ]
  for (const t of rows) {
    const mine = lines.filter((l) => l.transferId === t.id)
    if (mine.reduce((s, l) => s + l.qty, 0) !== t.qty) throw conflict('transfer_changed', `Transfer ${t.id}: its lot lines do not add up to its qty; retry`)
    stmts.push(insertCommitStmt(db, t.id, key, actor.id, t.qty, now))
    for (const l of mine) {
      stmts.push(
        insertMovementStmt(db, {
          batchId,
          lotId: l.lotId,
          siteId: t.fromSite,
          kind: 'transfer_out',
          delta: -l.qty,
          reason: `transfer ${t.id} to ${t.toSite}`,
          transferId: t.id,
          actorId: actor.id,
          at: now,
        }),
      )
    }
    stmts.push(setStatusStmt(db, t.id, 'committed', now, { committed_at: now }))
    stmts.push(auditStmt(db, actor, 'transfer.commit', 'transfer', t.id, { qty: t.qty, batchId, lots: mine.map(({ lotId, qty }) => ({ lotId, qty })) }, now))
  }
  for (const f of floors)
    stmts.push(
      insertFloorCheckStmt(db, { batchId, transferId: f.transferId, site: f.site, component: f.component, abo: f.abo, rhd: f.rhd, floor: f.floor, now }),
    )
  for (const r of requests) stmts.push(insertCoverageCheckStmt(db, { batchId, transferId: r.transferId, requestId: r.requestId }))
  for (const reqId of new Set(requests.map((r) => r.requestId))) stmts.push(...setRequestStatus(db, actor, reqId, 'planned', undefined, { batchId }))

  const planIds = planId ? [planId] : [...new Set(rows.map((r) => r.planId).filter((p): p is string => !!p))]
  const closing = planId ? (await selectTransferRows(db, { planId, status: 'proposed' })).map((t) => t.id) : []
  for (const p of planIds) {
    if (!opts.keepPlanOpen) stmts.push(setPlanStatusStmt(db, p, 'committed'))
    if (planId) {
      stmts.push(...closeUnapprovedStmts(db, p, actor.id, now))
      stmts.push(...releaseRequestsStmts(db, closing, actor.id, now))
      stmts.push(auditStmt(db, actor, 'plan.commit', 'plan', p, { transfers: ids, closed: closing, closeReason: 'not_approved_at_commit', batchId }, now))
    }
  }
  try {
    await db.batch(stmts)
  } catch (e) {
    if (isUnique(e, 'movement_batch', 'actor_id')) throw e // the same key won meanwhile: withIdempotency answers it
    if (isCheck(e, 'commit_check_holds')) {
      // another commit took the spare units (or covered the request) between our reads and our batch
      const floor = await brokenFloor(db, rows, floors, now)
      if (floor) throw failed('below_floor', floor)
      const over = await overCovered(db, rows, requests)
      throw over
        ? failed('request_covered', over)
        : conflict('request_covered', `Transfer ${ids.join(', ')} would break a donor's floor or over-cover a request; nothing was committed`)
    }
    if (isRaised(e, 'plan_superseded')) throw await supersededError(db, planIds[0])
    if (isCheck(e)) {
      const lotsNow = new Map((await selectLotsByIds(db, [...lots.keys()])).map((l) => [l.id, l]))
      const why = findShortfall(rows, lines, lotsNow, now)
      throw why
        ? failed('insufficient_stock', why)
        : conflict('insufficient_stock', `Stock of transfer ${ids.join(', ')} was taken meanwhile; nothing was committed`)
    }
    if (isUnique(e, 'transfer_commit', 'transfer_id'))
      throw conflict('already_committed', `A transfer among ${ids.join(', ')} was committed meanwhile; nothing was committed`, 'status')
    if (isNotNull(e, 'transfer_commit', 'at')) throw conflict('transfer_changed', `A transfer among ${ids.join(', ')} changed meanwhile; nothing was committed`)
    if (isRaised(e, 'transfer_status'))
      throw conflict('invalid_transition', `A transfer among ${ids.join(', ')} is no longer approved; nothing was committed`, 'status')
    throw e
  }
  for (const site of new Set(rows.map((r) => r.fromSite))) await refreshAfterWrite(db, site)
  return { planId, batchId, committed: ids, closed: closing, at: now }
}

/**
 * A commit under a key (withIdempotency). Besides the key's own guard, a 409 may come from a concurrent call with
 * the same key that has just committed (it took the stock or the approved status first): that call's stored
 * result answers it.
 */
async function keyed(db: D1Database, actor: Actor, key: string, hash: string, run: () => Promise<CommitResultT>): Promise<CommitResultT> {
  const race = (e: unknown) => isUnique(e, 'movement_batch', 'actor_id') || (e instanceof ApiError && e.status === 409 && e.code !== 'idempotency_key_reused')
  return (await withIdempotency(key, hash, commitLookup(db, actor), run, race)).result
}

/** A superseded plan cannot be committed: the 409 names the plan that replaced it. */
async function supersededError(db: D1Database, planId: string): Promise<ApiError> {
  const p = await selectPlanStatus(db, planId)
  const newer = p?.supersededBy ?? ''
  return conflict(
    'plan_superseded',
    `Plan ${planId} was superseded by plan ${newer}, which covers the same requests; review and commit that one, or plan again`,
    undefined,
    { planId, supersededBy: newer },
  )
}

export async function commitPlanTransfers(db: D1Database, actor: Actor, planId: string, key: string): Promise<CommitResultT> {
  requireRole(actor, 'coordinator', 'admin')
  const hash = await sha256Hex(`commit-plan:${planId}`)
  return keyed(db, actor, key, hash, async () => {
    const plan = await selectPlanStatus(db, planId)
    if (!plan) throw notFound('plan', planId)
    if (plan.status === 'superseded') throw await supersededError(db, planId)
    const rows = await selectTransferRows(db, { planId, status: 'approved' })
    if (rows.length === 0) throw conflict('nothing_approved', `Plan ${planId} has no approved transfer to commit`, 'status')
    return commitTransfers(db, actor, key, hash, planId, rows)
  })
}

export async function commitOneTransfer(db: D1Database, actor: Actor, id: string, key: string): Promise<CommitResultT> {
  requireRole(actor, 'coordinator', 'admin')
  const hash = await sha256Hex(`commit-transfer:${id}`)
  return keyed(db, actor, key, hash, async () => {
    const t = await loadRow(db, id)
    requireTransition(t, 'committed')
    const result = await commitTransfers(db, actor, key, hash, null, [t])
    return { ...result, planId: t.planId }
  })
}

/**
 * The green channel of an incident (worker/services/incidents): its emergency transfers, already approved, committed
 * at once with the usual checks in one batch, so the donor stations may dispatch. The plan stays under review for
 * the rest of its transfers. The key is derived from the transfers, so a retry is applied once.
 */
export async function commitGreenChannel(db: D1Database, actor: Actor, incidentId: string, ids: string[]): Promise<CommitResultT> {
  requireRole(actor, 'coordinator', 'admin')
  const sorted = [...ids].sort()
  const hash = await sha256Hex(`green-channel:${incidentId}:${sorted.join(',')}`)
  const key = `green-${incidentId}-${hash.slice(0, 24)}`
  return keyed(db, actor, key, hash, async () => {
    const rows = await selectTransferRowsByIds(db, sorted)
    for (const t of rows) requireTransition(t, 'committed')
    return commitTransfers(db, actor, key, hash, null, rows, { keepPlanOpen: true })
  })
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
  const source = new Map(
    (
      await selectLotsByIds(
        db,
        lines.map((l) => l.lotId),
      )
    ).map((l) => [l.id, l]),
  )
  const stmts: D1PreparedStatement[] = [
    insertBatchStmt(db, {
      id: batchId,
      actorId: actor.id,
      idempotencyKey: `cancel:${id}`,
      requestHash: await sha256Hex(`cancel:${id}`),
      source: 'transfer',
      at,
    }),
    setStatusStmt(db, id, 'cancelled', at, { reject_reason: reason ?? 'cancelled', close_reason: 'cancelled' }),
    // units go back to their lots; thawed ones are discarded, never refrozen (transport.ts)
    ...returnStmts(db, actor, t, lines, source, batchId, at),
    auditStmt(
      db,
      actor,
      'transfer.cancel',
      'transfer',
      id,
      {
        reason: reason ?? 'cancelled',
        returned: lines.map(({ lotId, qty }) => ({ lotId, qty })),
        ...(t.thawedAt ? { thawedAt: t.thawedAt, discarded: 'thawed, unused' } : {}),
      },
      at,
    ),
    ...releaseRequestsStmts(db, [id], actor.id, at),
    ...(t.planId ? [closePlanIfDoneStmt(db, t.planId)] : []),
  ]
  try {
    await db.batch(stmts)
  } catch (e) {
    if (isUnique(e, 'movement_batch')) throw conflict('invalid_transition', `Transfer ${id} was already cancelled`, 'status')
    mapGuardError(e, t, 'cancelled')
  }
  await refreshAfterWrite(db, t.fromSite)
  return getTransfer(db, id)
}
