// The donor side of the link between provinces: this pool as another province sees it, a search that also asks the
// linked provinces, and call-ups of another province's donors, asked through its coordinator (docs/donors.md).
import type { Abo, Component, Rhd } from '../../../solver'
import { insertAuditStmt } from '../../db/audit'
import { decideCallupLinkStmt, insertCallupLinkStmt, selectCallupLink, selectCallupLinks, type CallupLinkRow } from '../../db/donor-link'
import { selectDonors } from '../../db/donors'
import { insertRequest, selectRequest } from '../../db/requests'
import { selectSite, selectSites } from '../../db/sites'
import { isRaised } from '../../db/constraints'
import { ApiError, badRequest, conflict, forbidden, notFound } from '../../errors'
import { newId } from '../../lib/crypto'
import { nowIso } from '../../lib/time'
import { linkActorId, type CallupOutcomeMessageT, type CallupRequestMessageT, type LinkCtx } from '../../link/donors'
import { outboxStmt } from '../../link/outbox'
import type { CallupLinkCreateT, CallupLinkDecisionT, CallupLinkT, PeerDonorQueryT, PeerDonorT, PeerSearchT } from '../../schemas/donor-link'
import { auditStmt } from '../audit'
import { canWriteSite, type Actor } from '../auth'
import { callupBatchError, callupStmts, UNITS_PER_DONATION } from './callups'
import { donationKind } from './eligibility'
import { callable, donorView, matches, seesDonors } from './pool'

// ---- this pool, as a linked province sees it

/**
 * Callable donors of this province matching another province's search: code, group, antigens, consent, home
 * station and city, when they may give — no name, phone, history or call-ups. Each donor returned is audited as
 * read by that province (actor link:<province>, the asking user's name in the detail).
 */
export async function peerPool(db: D1Database, from: string, province: string, q: PeerDonorQueryT): Promise<{ province: string; donors: PeerDonorT[] }> {
  const now = nowIso()
  const match = {
    component: q.component as Component,
    abo: q.abo as Abo | undefined,
    rhd: q.rhd as Rhd | undefined,
    antigens: q.antigens,
    allowRhPositive: q.allowRhPositive === 'true',
  }
  const [rows, sites] = await Promise.all([selectDonors(db, now), selectSites(db, {})])
  const site = new Map(sites.map((s) => [s.id, s]))
  const kind = donationKind(q.component)
  const donors = rows
    .filter((r) => matches(r, match))
    .map((r) => ({ r, d: donorView(r, q.component, now) }))
    .filter(({ d }) => callable(d) && (q.eligible !== 'true' || d.eligibleNow))
    .map(({ r, d }): PeerDonorT => {
      const s = site.get(r.siteId)
      return {
        code: r.code,
        abo: d.abo,
        rhd: d.rhd,
        antigens: r.antigens,
        consent: d.consent,
        station: { id: r.siteId, nameZh: s?.nameZh ?? r.siteId, nameEn: s?.nameEn ?? r.siteId, city: s?.city ?? '' },
        eligibleFrom: d.eligibleFrom[kind],
        eligibleNow: d.eligibleNow,
      }
    })
    .sort((a, b) => Date.parse(a.eligibleFrom ?? '9999') - Date.parse(b.eligibleFrom ?? '9999') || a.code.localeCompare(b.code))
  if (donors.length) {
    const detail = { via: 'link', by: q.by ?? null }
    await db.batch(
      donors.map((d) =>
        insertAuditStmt(db, {
          actorId: linkActorId(from),
          action: 'donor.read',
          entity: 'donor',
          entityId: d.code,
          detail: { ...detail, siteId: d.station.id },
          at: now,
        }),
      ),
    )
  }
  return { province, donors }
}

// ---- a search that also asks the linked provinces

/** A signed GET to a linked province (worker/link): the caller passes it, so this service knows nothing of HTTP signing. */
export type PeerGet = (province: string, pathAndQuery: string) => Promise<Response>

/**
 * The linked provinces' answers to a donor search, each within a few seconds: a province that does not answer is
 * listed as unreachable with why, never silently left out. Planners get counts only.
 */
export async function searchPeers(link: LinkCtx, peerGet: PeerGet | null, actor: Actor, q: Omit<PeerDonorQueryT, 'by'>): Promise<PeerSearchT[]> {
  if (!link || !peerGet || link.peers.length === 0) return []
  const params = new URLSearchParams({ component: q.component })
  for (const k of ['antigens', 'abo', 'rhd', 'allowRhPositive', 'eligible'] as const) if (q[k]) params.set(k, q[k]!)
  params.set('by', actor.name)
  return Promise.all(
    link.peers.map(async (province): Promise<PeerSearchT> => {
      const down = (error: string): PeerSearchT => ({ province, reachable: false, error, total: null, eligibleNow: null, donors: null })
      try {
        const res = await peerGet(province, `/api/link/donors?${params}`)
        if (!res.ok) return down(`${province} answered ${res.status}`)
        const body = (await res.json()) as { donors?: PeerDonorT[] }
        if (!Array.isArray(body.donors)) return down(`${province} answered without donors`)
        const donors = body.donors
        return {
          province,
          reachable: true,
          error: null,
          total: donors.length,
          eligibleNow: donors.filter((d) => d.eligibleNow).length,
          donors: seesDonors(actor) ? donors : null,
        }
      } catch (e) {
        return down(e instanceof Error ? e.message : String(e))
      }
    }),
  )
}

// ---- call-ups of another province's donors

const view = (r: CallupLinkRow): CallupLinkT => ({
  id: r.id,
  direction: r.direction,
  province: r.peerProvince,
  requestId: r.requestId,
  requestSite: { id: r.requestSite, nameZh: r.requestSiteZh, nameEn: r.requestSiteEn },
  component: r.component as CallupLinkT['component'],
  abo: r.abo as CallupLinkT['abo'],
  rhd: r.rhd as CallupLinkT['rhd'],
  antigens: r.antigens,
  urgency: r.urgency as CallupLinkT['urgency'],
  neededBy: r.neededBy,
  donorCodes: JSON.parse(r.donorCodes) as string[],
  note: r.note,
  askedBy: r.askedBy,
  status: r.status,
  localRequest: r.localRequest,
  callups: r.callups ? (JSON.parse(r.callups) as CallupLinkT['callups']) : [],
  decidedBy: r.decidedBy,
  decidedAt: r.decidedAt,
  decisionNote: r.decisionNote,
  createdAt: r.createdAt,
})

/** Coordinators and admins see every request across the link; a director those asked for their own station's patients. */
export async function listCallupLinks(db: D1Database, actor: Actor, f: { direction?: string; status?: string; request?: string }) {
  if (actor.role === 'planner') throw forbidden('Planners see pool counts only')
  const rows = await selectCallupLinks(db, { direction: f.direction, status: f.status, requestId: f.request })
  const own = (r: CallupLinkRow) => actor.role === 'coordinator' || actor.role === 'admin' || (r.direction === 'out' && r.requestSite === actor.siteId)
  return rows.filter(own).map(view)
}

export async function getCallupLink(db: D1Database, actor: Actor, id: string) {
  const r = await selectCallupLink(db, id)
  if (!r) throw notFound('call-up request', id)
  if (!(await listCallupLinks(db, actor, { direction: r.direction })).some((x) => x.id === id)) throw forbidden('Not a call-up request of your station')
  return view(r)
}

function requireLinked(link: LinkCtx, province: string) {
  if (!link) throw new ApiError(409, 'not_linked', 'This system is not linked to another province (one-region mode)', 'province')
  if (!link.peers.includes(province)) throw badRequest('province', `${province} is not a linked province (linked: ${link.peers.join(', ') || 'none'})`)
}

/**
 * Asks a linked province to call some of its donors for one of this province's aid requests: the requesting
 * station's director or a coordinator. The request travels as a 'callup.request' message written in the same batch;
 * that province's coordinator issues the call-ups in its own system or declines, and the outcome comes back.
 */
export async function askPeerCallup(db: D1Database, actor: Actor, link: LinkCtx, input: CallupLinkCreateT): Promise<CallupLinkT> {
  requireLinked(link, input.province)
  const req = await selectRequest(db, input.requestId)
  if (!req) throw notFound('aid request', input.requestId, 'requestId')
  if (!canWriteSite(actor, req.siteId))
    throw forbidden(
      actor.role === 'director'
        ? `You direct ${actor.siteId}; only ${req.siteId}'s director or a coordinator asks for donors`
        : `A ${actor.role} may not call donors`,
    )
  if (!['open', 'planned', 'partly_fulfilled'].includes(req.status)) throw conflict('request_closed', `Request ${req.id} is ${req.status}`, 'requestId')
  const site = (await selectSite(db, req.siteId))!
  const now = nowIso()
  const codes = [...new Set(input.donorCodes)]
  const body: CallupRequestMessageT = {
    id: newId('clk'),
    requestId: req.id,
    requestSite: { id: site.id, nameZh: site.nameZh, nameEn: site.nameEn },
    component: req.component as CallupRequestMessageT['component'],
    abo: req.abo as CallupRequestMessageT['abo'],
    rhd: req.rhd as CallupRequestMessageT['rhd'],
    antigens: req.antigens,
    urgency: req.urgency as CallupRequestMessageT['urgency'],
    neededBy: req.neededBy,
    donorCodes: codes,
    note: input.note ?? '',
    askedBy: actor.name,
  }
  await db.batch([
    insertCallupLinkStmt(db, {
      id: body.id,
      direction: 'out',
      peerProvince: input.province,
      requestId: req.id,
      requestSite: site.id,
      requestSiteZh: site.nameZh,
      requestSiteEn: site.nameEn,
      component: req.component,
      abo: req.abo,
      rhd: req.rhd,
      antigens: req.antigens,
      urgency: req.urgency,
      neededBy: req.neededBy,
      donorCodes: JSON.stringify(codes),
      note: body.note,
      askedBy: actor.name,
      createdAt: now,
    }),
    outboxStmt(db, { to: input.province, kind: 'callup.request', body, at: now }).stmt,
    auditStmt(db, actor, 'callup_link.ask', 'callup_link', body.id, { province: input.province, requestId: req.id, donorCodes: codes }, now),
  ])
  return view((await selectCallupLink(db, body.id, 'out'))!)
}

const HOUR = 3_600_000

/** A pending request from another province, decided here by a coordinator or admin of this province. */
async function pendingIn(db: D1Database, actor: Actor, link: LinkCtx, id: string) {
  const r = await selectCallupLink(db, id, 'in')
  if (!r) throw notFound('call-up request from another province', id)
  if (actor.role !== 'coordinator' && actor.role !== 'admin') throw forbidden(`A ${actor.role} may not decide another province's call-up request`)
  if (r.status !== 'pending') throw conflict('callup_link_decided', `This request was already ${r.status}`, 'id')
  requireLinked(link, r.peerProvince)
  return r
}

const outcomeStmt = (db: D1Database, r: CallupLinkRow, body: CallupOutcomeMessageT, at: string) =>
  outboxStmt(db, { to: r.peerProvince, kind: 'callup.outcome', body, at }).stmt

/**
 * Issues the call-ups in this province's own system: the need is recorded here as an aid request at the first
 * donor's home station (its reason names the asking province and request), so the existing call-up flow and every
 * guard apply unchanged (match, consent, the joint deferral list, one live call-up per donor); the released unit
 * then crosses the border as an aid request between provinces. One batch: the request, the call-ups, the decision,
 * the outcome message and the audit rows.
 */
export async function issuePeerCallup(db: D1Database, actor: Actor, link: LinkCtx, id: string, input: CallupLinkDecisionT): Promise<CallupLinkT> {
  const r = await pendingIn(db, actor, link, id)
  const now = nowIso()
  const codes = JSON.parse(r.donorCodes) as string[]
  const [first] = await selectDonors(db, now, { codes: [codes[0]!] })
  if (!first) throw badRequest('donorCodes.0', `No donor ${codes[0]} in this province's pool`)
  if (!canWriteSite(actor, first.siteId)) throw forbidden(`Donor ${first.code}'s station ${first.siteId} is not one you may act for`)
  const localId = newId('req')
  const neededBy = r.neededBy && Date.parse(r.neededBy) > Date.parse(now) ? r.neededBy : new Date(Date.parse(now) + 72 * HOUR).toISOString()
  const req = { id: localId, siteId: first.siteId, component: r.component, abo: r.abo, rhd: r.rhd, antigens: r.antigens, allowRhPositive: false }
  const calls = await callupStmts(db, actor, req, codes, input.note ?? '', now)
  const body: CallupOutcomeMessageT = {
    id: r.id,
    status: 'issued',
    callups: calls.ids.map((c) => ({ donorCode: c.donorCode, callupId: c.id })),
    note: input.note ?? '',
    decidedBy: actor.name,
    decidedAt: now,
  }
  try {
    await db.batch([
      insertRequest(
        db,
        localId,
        {
          siteId: first.siteId,
          component: r.component as Component,
          abo: r.abo as Abo,
          rhd: r.rhd as Rhd,
          qty: codes.length * (UNITS_PER_DONATION[r.component] ?? 1),
          urgency: r.urgency as 'emergency' | 'urgent' | 'routine',
          neededBy,
          reason: `跨省招募 ${r.peerProvince}：${r.requestSiteZh}（${r.requestSite}）申请 ${r.requestId}，${r.id}`,
          antigens: r.antigens || undefined,
        },
        actor.id,
        null,
        now,
      ),
      auditStmt(db, actor, 'request.create', 'aid_request', localId, { siteId: first.siteId, callupLink: r.id, province: r.peerProvince }, now),
      ...calls.stmts,
      decideCallupLinkStmt(
        db,
        r.id,
        'in',
        { status: 'issued', localRequest: localId, callups: JSON.stringify(body.callups), decidedBy: actor.name, decidedAt: now, note: body.note },
        now,
      ),
      outcomeStmt(db, r, body, now),
      auditStmt(db, actor, 'callup_link.issued', 'callup_link', r.id, { province: r.peerProvince, localRequest: localId, callups: body.callups }, now),
    ])
  } catch (e) {
    if (isRaised(e, 'callup_link_decided')) throw conflict('callup_link_decided', 'This request was decided meanwhile', 'id')
    throw callupBatchError(e)
  }
  return view((await selectCallupLink(db, r.id, 'in'))!)
}

/** Declines, with why: the answer travels back. */
export async function declinePeerCallup(db: D1Database, actor: Actor, link: LinkCtx, id: string, input: CallupLinkDecisionT): Promise<CallupLinkT> {
  const r = await pendingIn(db, actor, link, id)
  const now = nowIso()
  const body: CallupOutcomeMessageT = { id: r.id, status: 'declined', callups: [], note: input.note ?? '', decidedBy: actor.name, decidedAt: now }
  try {
    await db.batch([
      decideCallupLinkStmt(
        db,
        r.id,
        'in',
        { status: 'declined', localRequest: null, callups: '[]', decidedBy: actor.name, decidedAt: now, note: body.note },
        now,
      ),
      outcomeStmt(db, r, body, now),
      auditStmt(db, actor, 'callup_link.declined', 'callup_link', r.id, { province: r.peerProvince, note: body.note }, now),
    ])
  } catch (e) {
    if (isRaised(e, 'callup_link_decided')) throw conflict('callup_link_decided', 'This request was decided meanwhile', 'id')
    throw e
  }
  return view((await selectCallupLink(db, r.id, 'in'))!)
}
