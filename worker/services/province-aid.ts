import {
  insertAidStmt,
  insertForeignSiteStmt,
  selectAid,
  selectAids,
  selectShipments,
  selectSiteBrief,
  setAidStatusStmt,
  setGiverPlanningStmt,
  setGiverPlanStmt,
  type AidRow,
} from '../db/province-aid'
import { insertRequest, selectRequest, statusChangeStmts } from '../db/requests'
import { selectTransferRows } from '../db/transfers/read'
import { isRaised } from '../db/constraints'
import { ApiError, badRequest, conflict, forbidden, notFound } from '../errors'
import { newId } from '../lib/crypto'
import { nowIso } from '../lib/time'
import { outboxStmt } from '../link/outbox'
import type { AidSide, OfferT, ProvinceAidCreateT, ProvinceAidOfferT, ProvinceAidT } from '../schemas/province-aid'
import type { CommitResultT } from '../schemas/transfer'
import { auditStmt } from './audit'
import { requireRole, type Actor } from './auth'
import { claimKeyStmt, claimLookup, isClaimViolation, requestHash, withIdempotency } from './idempotency'
import { createPlan } from './plans'
import { byOf, foreignSiteId } from './province-aid-shipments'
import { commitPlanTransfers } from './transfers/commit'
import { approveTransfer, editTransferQty } from './transfers/review'
import type { PlanDetailT } from '../schemas/plan'

/**
 * Aid across the border (issue 24, docs/province-aid.md). The asking province writes its row and an 'aid.request'
 * message in one batch; the province asked (the giver) plans with its own planner — the aid becomes a need at an
 * external site standing for the receiving station — and offers, counters or declines; the asker accepts or refuses
 * the offer. Once accepted the giver commits; each dispatch and receipt writes its message in its own batch
 * (worker/link/aid.ts applies them on the other side).
 */

/** The province this system is and the provinces it is linked to (env PROVINCE, LINK_PEERS). */
export type Here = { province: string | undefined; peers: string[] }

function provinceOf(here: Here): string {
  if (!here.province) throw conflict('not_province_mode', 'Aid across the border needs province mode (PROVINCE is not set): this system is the whole region')
  return here.province
}

async function withShipments(db: D1Database, rows: AidRow[]): Promise<ProvinceAidT[]> {
  const ships = rows.length
    ? await selectShipments(
        db,
        rows.map((r) => r.id),
        null,
      )
    : []
  return rows.map((r) => ({ ...r, shipments: ships.filter((s) => s.aidId === r.id && s.side === r.side).map((s) => s.shipment) }))
}

export async function listAids(db: D1Database, actor: Actor, here: Here): Promise<ProvinceAidT[]> {
  requireRole(actor, 'coordinator', 'admin', 'planner')
  return withShipments(db, await selectAids(db, provinceOf(here)))
}

/** This province's row of an aid: the asker's if it asked, the giver's if it was asked. */
async function mine(db: D1Database, here: Here, id: string): Promise<AidRow> {
  const p = provinceOf(here)
  const [asker, giver] = await Promise.all([selectAid(db, id, 'asker'), selectAid(db, id, 'giver')])
  const row = asker?.asker === p ? asker : giver?.giver === p ? giver : null
  if (!row) throw notFound('aid', id)
  return row
}

export async function getAid(db: D1Database, actor: Actor, here: Here, id: string): Promise<ProvinceAidT> {
  requireRole(actor, 'coordinator', 'admin', 'planner')
  return (await withShipments(db, [await mine(db, here, id)]))[0]
}

/** This province's row, as the side that may take this step (403 for the other side). */
async function asSide(db: D1Database, here: Here, id: string, side: AidSide, step: string): Promise<AidRow> {
  const row = await mine(db, here, id)
  if (row.side !== side)
    throw forbidden(side === 'asker' ? `Only the asking province (${row.asker}) may ${step}` : `Only the province asked (${row.giver}) may ${step}`)
  return row
}

const illegal = (row: AidRow, step: string) => conflict('aid_state', `Aid ${row.id} is ${row.status}; it cannot be ${step} now`, 'status')

/** Runs a batch whose status move the trigger guards: a move it refuses is a 409. */
async function guarded(db: D1Database, stmts: D1PreparedStatement[], row: AidRow, step: string): Promise<void> {
  try {
    await db.batch(stmts)
  } catch (e) {
    if (isRaised(e, 'province_aid_status')) throw illegal(row, step)
    throw e
  }
}

/**
 * A coordinator asks another province for blood for a station of their own: the row and the 'aid.request' message
 * in ONE batch. With an Idempotency-Key a retry answers the aid the first call made.
 */
export async function createAid(
  db: D1Database,
  actor: Actor,
  here: Here,
  input: ProvinceAidCreateT,
  key?: string,
): Promise<{ aid: ProvinceAidT; created: boolean }> {
  requireRole(actor, 'coordinator', 'admin')
  const province = provinceOf(here)
  if (input.giver === province) throw badRequest('giver', 'Ask another province; your own plans come from the plan page')
  if (!here.peers.includes(input.giver)) throw badRequest('giver', `${input.giver} is not linked to ${province} (linked: ${here.peers.join(', ') || 'none'})`)
  const site = await selectSiteBrief(db, input.siteId)
  if (!site || site.external) throw badRequest('siteId', `No station ${input.siteId}`)
  if (site.province !== province) throw forbidden(`${input.siteId} is a station of ${site.province}; ${province} asks for its own stations only`, 'siteId')
  if (site.kind !== 'center' && site.kind !== 'station') throw badRequest('siteId', `${input.siteId} is a ${site.kind}; a blood centre or station receives aid`)
  if (input.requestId) {
    const r = await selectRequest(db, input.requestId)
    if (!r) throw badRequest('requestId', `No aid request ${input.requestId}`)
    if (r.siteId !== input.siteId) throw badRequest('requestId', `Request ${input.requestId} is for ${r.siteId}, not ${input.siteId}`)
  }
  const hash = await requestHash({ provinceAid: input })
  const lookup = claimLookup(db, actor.id, (aidId) => getAid(db, actor, here, aidId))
  const { result, replayed } = await withIdempotency(
    key,
    hash,
    lookup,
    async () => {
      const id = newId('aid')
      const at = nowIso()
      const neededBy = new Date(input.neededBy).toISOString()
      const siteRef = { id: site.id, nameZh: site.nameZh, nameEn: site.nameEn, lat: site.lat, lng: site.lng }
      const fields = {
        component: input.component,
        abo: input.abo,
        rhd: input.rhd,
        antigens: input.antigens ?? '',
        qty: input.qty,
        urgency: input.urgency,
        neededBy,
        reason: input.reason,
      }
      const msg = outboxStmt(db, { to: input.giver, kind: 'aid.request', at, body: { aidId: id, site: siteRef, ...fields, by: byOf(actor), at } })
      await db.batch([
        ...(key ? [claimKeyStmt(db, { actorId: actor.id, key, action: 'province_aid.create', hash, entityId: id, at })] : []),
        insertAidStmt(db, {
          id,
          side: 'asker',
          asker: province,
          giver: input.giver,
          site: siteRef,
          ...fields,
          requestId: input.requestId ?? null,
          status: 'requested',
          createdBy: actor.id,
          createdAt: at,
        }),
        msg.stmt,
        auditStmt(db, actor, 'province_aid.request', 'province_aid', id, { ...input, message: msg.id }, at),
      ])
      return getAid(db, actor, here, id)
    },
    isClaimViolation,
  )
  return { aid: result, created: !replayed }
}

/**
 * The giver plans with its own planner: the aid becomes an aid request at an external site standing for the receiving
 * station (created once), and a plan is made for that request alone. Planning again makes a new plan (the older one
 * under review is superseded).
 */
export async function planAid(db: D1Database, actor: Actor, here: Here, id: string): Promise<{ aid: ProvinceAidT; plan: PlanDetailT }> {
  requireRole(actor, 'coordinator', 'admin')
  const row = await asSide(db, here, id, 'giver', 'plan it')
  if (row.status !== 'requested') throw illegal(row, 'planned')
  let requestId = row.requestId
  if (!requestId) {
    const at = nowIso()
    const dest = foreignSiteId(row.asker, row.site.id)
    requestId = newId('req')
    await db.batch([
      insertForeignSiteStmt(db, {
        id: dest,
        nameZh: row.site.nameZh,
        nameEn: `${row.site.nameEn} (${row.asker})`,
        province: row.asker,
        lat: row.site.lat,
        lng: row.site.lng,
        at,
      }),
      insertRequest(
        db,
        requestId,
        {
          siteId: dest,
          component: row.component,
          abo: row.abo,
          rhd: row.rhd,
          antigens: row.antigens,
          qty: row.qty,
          urgency: row.urgency,
          neededBy: row.neededBy,
          reason: `${row.asker}: ${row.reason}`,
        } as Parameters<typeof insertRequest>[2],
        actor.id,
        null,
        at,
      ),
      auditStmt(db, actor, 'request.create', 'aid_request', requestId, { provinceAid: id, siteId: dest, qty: row.qty }, at),
      setGiverPlanningStmt(db, id, { destSite: dest, requestId, at }),
    ])
  }
  const plan = await createPlan(db, actor, { requestIds: [requestId] } as Parameters<typeof createPlan>[2])
  const at = nowIso()
  await db.batch([setGiverPlanStmt(db, id, plan.id, at), auditStmt(db, actor, 'province_aid.plan', 'province_aid', id, { planId: plan.id, requestId }, at)])
  return { aid: await getAid(db, actor, here, id), plan }
}

/**
 * The giver offers lines of its plan (each a proposed or approved transfer from one of its own stations to the
 * destination, at most its quantity). Fewer units than asked, or arriving after the deadline, is a counter-offer and
 * needs a note. The offer and its 'aid.offer' message in one batch.
 */
export async function offerAid(db: D1Database, actor: Actor, here: Here, id: string, input: ProvinceAidOfferT): Promise<ProvinceAidT> {
  requireRole(actor, 'coordinator', 'admin')
  const province = provinceOf(here)
  const row = await asSide(db, here, id, 'giver', 'offer')
  if (row.status !== 'requested') throw illegal(row, 'offered')
  if (!row.planId || !row.destSite) throw conflict('not_planned', `Plan aid ${id} first (POST /api/province-aid/${id}/plan)`, 'planId')
  const rows = new Map((await selectTransferRows(db, { planId: row.planId })).map((t) => [t.id, t]))
  const lines: OfferT['lines'] = []
  const seen = new Set<string>()
  for (const [i, l] of input.lines.entries()) {
    const t = rows.get(l.transferId)
    if (!t || t.toSite !== row.destSite) throw badRequest(`lines.${i}.transferId`, `Transfer ${l.transferId} is not in plan ${row.planId} to ${row.destSite}`)
    if (seen.has(t.id)) throw badRequest(`lines.${i}.transferId`, `Transfer ${t.id} is offered twice`)
    seen.add(t.id)
    const from = await selectSiteBrief(db, t.fromSite)
    if (!from || from.external || from.province !== province)
      throw forbidden(`${t.fromSite} is not a station of ${province}; offer only your own stations' units`, `lines.${i}.transferId`)
    if (t.status !== 'proposed' && t.status !== 'approved') throw conflict('invalid_transition', `Transfer ${t.id} is ${t.status}`, `lines.${i}.transferId`)
    if (l.qty > t.proposedQty) throw badRequest(`lines.${i}.qty`, `Transfer ${t.id} was planned for at most ${t.proposedQty} U`)
    lines.push({ transferId: t.id, fromSite: t.fromSite, fromNameZh: from.nameZh, fromNameEn: from.nameEn, qty: l.qty, etaHours: t.etaHours })
  }
  const qty = lines.reduce((s, l) => s + l.qty, 0)
  if (qty > row.qty) throw badRequest('lines', `The lines add up to ${qty} U; ${row.asker} asked for ${row.qty} U`)
  const at = nowIso()
  const dispatchAt = input.dispatchAt && Date.parse(input.dispatchAt) > Date.parse(at) ? new Date(input.dispatchAt).toISOString() : at
  const arriveBy = new Date(Date.parse(dispatchAt) + Math.max(...lines.map((l) => l.etaHours)) * 3_600_000).toISOString()
  const counter = qty < row.qty || arriveBy > row.neededBy
  if (counter && !input.note)
    throw badRequest('note', `${qty} U arriving by ${arriveBy} is less or later than asked (${row.qty} U by ${row.neededBy}): say why in a note`)
  const offer: OfferT = { lines, qty, dispatchAt, arriveBy, counter, note: input.note ?? null, by: byOf(actor), at }
  const msg = outboxStmt(db, { to: row.asker, kind: 'aid.offer', at, body: { aidId: id, offer } })
  await guarded(
    db,
    [
      setAidStatusStmt(db, id, 'giver', 'offered', at, { offer }),
      msg.stmt,
      auditStmt(db, actor, counter ? 'province_aid.counter' : 'province_aid.offer', 'province_aid', id, { ...offer, message: msg.id }, at),
    ],
    row,
    'offered',
  )
  return getAid(db, actor, here, id)
}

/** The request's need at the giver is closed when the aid ends without units (declined or refused). */
const cancelNeedStmts = (db: D1Database, actorId: string, row: AidRow, reason: string, at: string) =>
  row.requestId
    ? statusChangeStmts(db, { actorId, action: 'request.cancel', id: row.requestId, to: 'cancelled', from: ['open', 'planned'], detail: { reason }, at })
    : []

/** The giver declines the request, with a reason. */
export async function declineAid(db: D1Database, actor: Actor, here: Here, id: string, reason: string): Promise<ProvinceAidT> {
  requireRole(actor, 'coordinator', 'admin')
  const row = await asSide(db, here, id, 'giver', 'decline the request')
  if (row.status !== 'requested') throw illegal(row, 'declined')
  const at = nowIso()
  const msg = outboxStmt(db, { to: row.asker, kind: 'aid.decline', at, body: { aidId: id, stage: 'request', reason, by: byOf(actor), at } })
  await guarded(
    db,
    [
      setAidStatusStmt(db, id, 'giver', 'declined', at, { declineReason: reason }),
      msg.stmt,
      ...cancelNeedStmts(db, actor.id, row, reason, at),
      auditStmt(db, actor, 'province_aid.decline', 'province_aid', id, { reason, message: msg.id }, at),
    ],
    row,
    'declined',
  )
  return getAid(db, actor, here, id)
}

/** The asker accepts the offer: once (the trigger refuses a second accept). */
export async function acceptAid(db: D1Database, actor: Actor, here: Here, id: string): Promise<ProvinceAidT> {
  requireRole(actor, 'coordinator', 'admin')
  const row = await asSide(db, here, id, 'asker', 'accept the offer')
  if (row.status !== 'offered') throw illegal(row, 'accepted')
  const at = nowIso()
  const msg = outboxStmt(db, { to: row.giver, kind: 'aid.accept', at, body: { aidId: id, by: byOf(actor), at } })
  await guarded(
    db,
    [
      setAidStatusStmt(db, id, 'asker', 'accepted', at),
      msg.stmt,
      auditStmt(db, actor, 'province_aid.accept', 'province_aid', id, { qty: row.offer?.qty, message: msg.id }, at),
    ],
    row,
    'accepted',
  )
  return getAid(db, actor, here, id)
}

/** The asker declines the offer, with a reason. */
export async function refuseAid(db: D1Database, actor: Actor, here: Here, id: string, reason: string): Promise<ProvinceAidT> {
  requireRole(actor, 'coordinator', 'admin')
  const row = await asSide(db, here, id, 'asker', 'decline the offer')
  if (row.status !== 'offered') throw illegal(row, 'declined')
  const at = nowIso()
  const msg = outboxStmt(db, { to: row.giver, kind: 'aid.decline', at, body: { aidId: id, stage: 'offer', reason, by: byOf(actor), at } })
  await guarded(
    db,
    [
      setAidStatusStmt(db, id, 'asker', 'refused', at, { declineReason: reason }),
      msg.stmt,
      auditStmt(db, actor, 'province_aid.refuse', 'province_aid', id, { reason, message: msg.id }, at),
    ],
    row,
    'declined',
  )
  return getAid(db, actor, here, id)
}

/**
 * Once accepted, the giver commits exactly what it offered: each offered transfer approved at the offered quantity,
 * then the plan committed with the existing commit (stock reserved, the rest of the plan closed).
 */
export async function commitAid(db: D1Database, actor: Actor, here: Here, id: string, key: string): Promise<CommitResultT> {
  requireRole(actor, 'coordinator', 'admin')
  const row = await asSide(db, here, id, 'giver', 'commit it')
  if (row.status !== 'accepted' || !row.offer || !row.planId) throw illegal(row, 'committed')
  const byId = new Map((await selectTransferRows(db, { planId: row.planId })).map((t) => [t.id, t]))
  for (const l of row.offer.lines) {
    const t = byId.get(l.transferId)
    if (!t) throw new ApiError(409, 'invalid_transition', `Offered transfer ${l.transferId} is gone from plan ${row.planId}`)
    if (t.status === 'proposed') {
      if (t.qty !== l.qty) await editTransferQty(db, actor, t.id, l.qty)
      await approveTransfer(db, actor, t.id, l.qty)
    } else if (t.status === 'approved' && t.qty !== l.qty)
      throw conflict('qty_changed', `Transfer ${t.id} is approved for ${t.qty} U; the offer was ${l.qty} U`, 'qty')
  }
  return commitPlanTransfers(db, actor, row.planId, key)
}
