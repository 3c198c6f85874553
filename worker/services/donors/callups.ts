// Call-ups: a donor asked to give for an aid request, through asked → scheduled → donated → released (or declined,
// deferred on the day). A released unit is a new lot at the collecting station, which the next plan can send.
import type { Abo, Component, Rhd } from '../../../solver'
import {
  insertDonationStmt,
  insertCallupStmt,
  selectCallup,
  selectCallups,
  selectDonorReadyHours,
  selectDonors,
  selectSiteGeo,
  setCallupStatusStmt,
  type CallupRow,
} from '../../db/donors'
import { insertLotStmt } from '../../db/lots'
import { insertBatchStmt, insertMovementStmt } from '../../db/movements'
import { selectRequest } from '../../db/requests'
import { ApiError, badRequest, conflict, forbidden, notFound } from '../../errors'
import { newId } from '../../lib/crypto'
import { nowIso } from '../../lib/time'
import type { CallupCreateT, CallupMoveT, CallupT } from '../../schemas/donor'
import { auditStmt } from '../audit'
import { canWriteSite, type Actor } from '../auth'
import { donationKind, isEligibleAt } from './eligibility'
import { donorView, matches } from './pool'
import { roadHoursOf } from './road'
import { isRaised, isUnique } from '../../db/constraints'
import { selectInboundFor } from '../../db/donor-link'
import type { CallupProgressMessageT, LinkCtx } from '../../link/donors'
import { outboxStmt } from '../../link/outbox'

const HOUR = 3_600_000
/** Units a released donation gives: 400 mL of whole blood is 2 U of red cells (or whole blood); one apheresis is one dose. */
export const UNITS_PER_DONATION: Record<string, number> = { WB: 2, RBC: 2, PLT: 1, FFP: 2, CRYO: 2 }

async function withTimes(db: D1Database, rows: CallupRow[]): Promise<CallupT[]> {
  if (rows.length === 0) return []
  const [sites, ready] = await Promise.all([selectSiteGeo(db), selectDonorReadyHours(db)])
  const road = await roadHoursOf(db, sites)
  const hours = new Map(ready.map((c) => [c.code, c.readyHours ?? 12]))
  return rows.map((r) => {
    const start = r.status === 'donated' ? r.donatedAt : r.status === 'scheduled' ? r.scheduledAt : r.status === 'asked' ? r.createdAt : null
    const readyMs = start ? Date.parse(start) + hours.get(r.component)! * HOUR : null
    const arrivesMs = readyMs === null ? null : readyMs + road(r.siteId, r.requestSiteId) * HOUR
    return {
      id: r.id,
      donorCode: r.donorCode,
      requestId: r.requestId,
      siteId: r.siteId,
      requestSiteId: r.requestSiteId,
      component: r.component as CallupT['component'],
      status: r.status as CallupT['status'],
      scheduledAt: r.scheduledAt,
      donatedAt: r.donatedAt,
      lotId: r.lotId,
      readyAt: readyMs === null ? null : new Date(readyMs).toISOString(),
      arrivesAt: arrivesMs === null ? null : new Date(arrivesMs).toISOString(),
      meetsDeadline: arrivesMs === null ? null : !r.neededBy || arrivesMs <= Date.parse(r.neededBy),
      note: r.note,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }
  })
}

/** Who sees a call-up: coordinators and admins all; a director those collected at or asked for by their station. Planners none. */
function canSee(actor: Actor, c: { siteId: string; requestSiteId: string }) {
  if (actor.role === 'coordinator' || actor.role === 'admin') return true
  return actor.role === 'director' && (actor.siteId === c.siteId || actor.siteId === c.requestSiteId)
}

export async function listCallups(db: D1Database, actor: Actor, f: { request?: string; site?: string; status?: string }): Promise<CallupT[]> {
  if (actor.role === 'planner') throw forbidden('Planners see pool counts only')
  const rows = (await selectCallups(db, f)).filter((c) => canSee(actor, c))
  return withTimes(db, rows)
}

export async function getCallup(db: D1Database, actor: Actor, id: string): Promise<CallupT> {
  const r = await selectCallup(db, id)
  if (!r) throw notFound('call-up', id)
  if (!canSee(actor, r)) throw forbidden('Only the collecting or requesting station, or a coordinator, sees this call-up')
  return (await withTimes(db, [r]))[0]!
}

export type CallupFor = { id: string; siteId: string; component: string; abo: string; rhd: string; antigens: string; allowRhPositive: boolean }

/**
 * The call-ups of donors for a request and their audit rows, for the caller's batch (also used when another province
 * asks this one to call its donors: services/donors/link.ts). Each donor must match the request (group, antigens),
 * consent, not be deferred (the joint list; a trigger checks it again inside the batch) and have no live call-up
 * (a unique index): else 400/409 naming donorCodes.<i>.
 */
export async function callupStmts(db: D1Database, actor: Actor, req: CallupFor, donorCodes: string[], note: string, now: string) {
  const codes = [...new Set(donorCodes)]
  const rows = new Map((await selectDonors(db, now, { codes })).map((r) => [r.code, r]))
  const match = {
    component: req.component as Component,
    abo: req.abo as Abo,
    rhd: req.rhd as Rhd,
    antigens: req.antigens,
    allowRhPositive: req.allowRhPositive,
  }
  const ids: { id: string; donorCode: string }[] = []
  const stmts: D1PreparedStatement[] = []
  codes.forEach((code) => {
    const field = `donorCodes.${donorCodes.indexOf(code)}`
    const r = rows.get(code)
    if (!r) throw badRequest(field, `No donor ${code} in the pool`)
    if (!matches(r, match))
      throw conflict('donor_not_matching', `Donor ${code} (${r.abo}${r.rhd} ${r.antigens}) does not match ${req.abo}${req.rhd} ${req.antigens}`, field)
    const d = donorView(r, req.component, now)
    if (d.deferred || d.eligibleFrom.WB === null) throw conflict('donor_deferred', `Donor ${code} is on the joint deferral list`, field)
    if (!d.consent) throw conflict('donor_no_consent', `Donor ${code} has not agreed to be called`, field)
    if (d.callupId) throw conflict('donor_called', `Donor ${code} already has call-up ${d.callupId}`, field)
    const id = newId('cu')
    ids.push({ id, donorCode: code })
    stmts.push(
      insertCallupStmt(db, { id, donorCode: code, requestId: req.id, siteId: r.siteId, component: req.component, note }, actor.id, now),
      auditStmt(
        db,
        actor,
        'callup.create',
        'callup',
        id,
        { donorCode: code, requestId: req.id, siteId: r.siteId, requestSiteId: req.siteId, component: req.component },
        now,
      ),
    )
  })
  return { ids, stmts }
}

/** What a failed call-up batch means: a guard that fired between the checks above and the batch. */
export function callupBatchError(e: unknown): unknown {
  if (isRaised(e, 'donor_deferred')) return conflict('donor_deferred', 'A donor was put on the joint deferral list meanwhile', 'donorCodes')
  if (isRaised(e, 'donor_no_consent')) return conflict('donor_no_consent', 'A donor withdrew consent meanwhile', 'donorCodes')
  if (isUnique(e, 'callup')) return conflict('donor_called', 'A donor was called meanwhile', 'donorCodes')
  return e
}

/**
 * Calls donors for a request: a coordinator or admin, or the requesting station's director for their own patient.
 * Each donor must match the request (group, antigens), consent, not be deferred (the joint list; a trigger checks it
 * again inside the batch) and have no live call-up (a unique index). One batch: the call-ups and their audit rows.
 */
export async function createCallups(db: D1Database, actor: Actor, input: CallupCreateT): Promise<CallupT[]> {
  const req = await selectRequest(db, input.requestId)
  if (!req) throw notFound('aid request', input.requestId, 'requestId')
  if (!canWriteSite(actor, req.siteId))
    throw forbidden(
      actor.role === 'director'
        ? `You direct ${actor.siteId}; only ${req.siteId}'s director or a coordinator calls donors for this request`
        : `A ${actor.role} may not call donors`,
    )
  if (!['open', 'planned', 'partly_fulfilled'].includes(req.status)) throw conflict('request_closed', `Request ${req.id} is ${req.status}`, 'requestId')
  const now = nowIso()
  const { ids, stmts } = await callupStmts(db, actor, req, input.donorCodes, input.note ?? '', now)
  try {
    await db.batch(stmts)
  } catch (e) {
    throw callupBatchError(e)
  }
  return withTimes(
    db,
    (await selectCallups(db, { request: req.id })).filter((c) => ids.some((x) => x.id === c.id)),
  )
}

/**
 * Moves a call-up on: the collecting station's director, or a coordinator or admin. Donated records the donation
 * (the intervals must allow it at that time); released puts the unit into stock as a new lot at the collecting
 * station (ledger receipt, batch id fixed per call-up so it happens once), carrying the donor's group and antigens.
 */
export async function moveCallup(db: D1Database, actor: Actor, id: string, input: CallupMoveT, link: LinkCtx = null): Promise<CallupT> {
  const c = await selectCallup(db, id)
  if (!c) throw notFound('call-up', id)
  if (!canWriteSite(actor, c.siteId))
    throw forbidden(
      actor.role === 'director' ? `Only the collecting station (${c.siteId}) or a coordinator moves this call-up` : `A ${actor.role} may not move call-ups`,
    )
  if (c.status === input.status) throw new ApiError(409, 'invalid_transition', `Call-up ${id} is already ${c.status}`, 'status')
  const now = nowIso()
  const [donor] = await selectDonors(db, now, { codes: [c.donorCode] })
  const stmts: D1PreparedStatement[] = []
  const detail: Record<string, unknown> = { from: c.status, to: input.status, siteId: c.siteId, requestId: c.requestId }
  let lotId: string | null = null
  if (input.status === 'scheduled') {
    if (!input.scheduledAt) throw badRequest('scheduledAt', 'Give the time the donor comes')
    detail.scheduledAt = input.scheduledAt
  }
  const donatedAt = input.status === 'donated' ? new Date(input.donatedAt ?? now).toISOString() : null
  if (donatedAt) {
    if (Date.parse(donatedAt) > Date.parse(now) + 5 * 60_000) throw badRequest('donatedAt', 'donatedAt cannot be in the future')
    const kind = donationKind(c.component)
    if (c.status === 'scheduled' && donor && !isEligibleAt(kind, { lastWb: donor.lastWb, lastPlt: donor.lastPlt, plt24th: donor.plt24th }, donatedAt))
      throw conflict(
        'interval_not_met',
        `Donor ${c.donorCode} may not give ${kind === 'PLT' ? 'apheresis platelets' : 'whole blood'} yet (GB 18467-2011 intervals)`,
        'donatedAt',
      )
    stmts.push(insertDonationStmt(db, c.donorCode, kind, donatedAt, c.id))
    detail.donatedAt = donatedAt
  }
  if (input.status === 'released' && c.status === 'donated' && donor) {
    const life = (await selectDonorReadyHours(db)).find((x) => x.code === c.component)!.shelfLifeHours
    const qty = input.qty ?? UNITS_PER_DONATION[c.component] ?? 1
    lotId = `RD-${c.id.slice(3)}` // no donor code in lot ids: stock and plan exports never show one
    const batch = `release-${c.id}`
    const collected = c.donatedAt ?? now
    stmts.push(
      insertBatchStmt(db, { id: batch, actorId: actor.id, idempotencyKey: batch, requestHash: 'callup', source: 'api', at: now }),
      insertLotStmt(db, {
        id: lotId,
        siteId: c.siteId,
        component: c.component,
        abo: donor.abo,
        rhd: donor.rhd,
        antigens: donor.antigens,
        collectedAt: collected,
        expiresAt: new Date(Date.parse(collected) + life * HOUR).toISOString(),
        createdAt: now,
      }),
      insertMovementStmt(db, {
        batchId: batch,
        lotId,
        siteId: c.siteId,
        kind: 'receipt',
        delta: qty,
        reason: `rare-donor call-up ${c.id} for ${c.requestId}`,
        actorId: actor.id,
        at: now,
      }),
    )
    detail.lotId = lotId
    detail.qty = qty
  }
  // an illegal move or a deferred donor fails this statement and with it the whole batch (after the lot it names)
  stmts.push(
    setCallupStatusStmt(
      db,
      id,
      { status: input.status, scheduledAt: input.scheduledAt ? new Date(input.scheduledAt).toISOString() : null, donatedAt, lotId, note: input.note ?? null },
      now,
    ),
  )
  stmts.push(auditStmt(db, actor, `callup.${input.status}`, 'callup', id, detail, now))
  // a call-up issued for another province (services/donors/link.ts): its progress travels back, in this batch
  const inbound = link ? await selectInboundFor(db, c.requestId) : null
  if (inbound && link!.peers.includes(inbound.peerProvince)) {
    const body: CallupProgressMessageT = { id: inbound.id, callupId: id, donorCode: c.donorCode, status: input.status, at: now }
    stmts.push(outboxStmt(db, { to: inbound.peerProvince, kind: 'callup.progress', body, at: now }).stmt)
  }
  try {
    await db.batch(stmts)
  } catch (e) {
    if (isRaised(e, 'callup_status')) throw new ApiError(409, 'invalid_transition', `A call-up cannot go from ${c.status} to ${input.status}`, 'status')
    if (isRaised(e, 'donor_deferred'))
      throw conflict('donor_deferred', `Donor ${c.donorCode} is on the joint deferral list: record the call-up as deferred`, 'status')
    if (isUnique(e, 'movement_batch') || isUnique(e, 'lot')) throw conflict('already_released', `Call-up ${id} was already released`, 'status')
    throw e
  }
  return getCallup(db, actor, id)
}
