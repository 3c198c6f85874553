import { z } from '@hono/zod-openapi'
import { insertAuditStmt } from '../db/audit'
import { insertCallupLinkStmt, insertReceivedDeferralStmt, receiveOutcomeStmt, receiveProgressStmt } from '../db/donor-link'
import { newId } from '../lib/crypto'
import { Abo, ComponentCode, IsoDateTime, Rhd, SiteId, Urgency } from '../schemas/common'
import { CallupStatus, DeferralReason, DonorCode } from '../schemas/donor'
import { ApiError } from '../errors'
import { linkPeers, linkSecret, provinceOf, type LinkEnv } from './config'
import type { LinkHandler } from './handler'
import { signLink, verifyLink } from './signature'

/**
 * The donor side of the link (docs/donors.md, "Across the link"): the joint deferral list both ways, and call-ups of
 * the other province's donors through its coordinator. Each kind's body schema is what the receiver accepts; a body
 * that fails it is kept as rejected by the inbox, never applied.
 */

/** This province and the provinces it is linked to; null in the one-region mode (no PROVINCE), where nothing is sent. */
export type LinkCtx = { province: string; peers: string[] } | null

export function linkCtx(bindings: object): LinkCtx {
  const env = bindings as LinkEnv
  const own = provinceOf(env)
  if (!own) return null
  return { province: own, peers: Object.keys(linkPeers(env)).filter((p) => p !== own) }
}

const PEER_TIMEOUT_MS = 3000

/**
 * A signed GET to a linked province. The signature covers the path and query (signed as the body, which a GET has
 * not), so a search cannot be altered on the way; an answer later than 3 s counts as unreachable.
 */
export function peerGetter(bindings: object): ((province: string, pathAndQuery: string) => Promise<Response>) | null {
  const env = bindings as LinkEnv
  const own = provinceOf(env)
  if (!own) return null
  const peers = linkPeers(env)
  return async (province, pathAndQuery) => {
    const secret = linkSecret(env, province)
    if (!peers[province] || !secret) throw new Error(`no link to ${province} configured (LINK_PEERS, LINK_SECRET)`)
    return fetch(`${peers[province]}${pathAndQuery}`, { headers: await signLink(secret, own, pathAndQuery), signal: AbortSignal.timeout(PEER_TIMEOUT_MS) })
  }
}

/** The province that signed a GET of `pathAndQuery` (see peerGetter); 401 link_refused unless a known peer did. */
export async function requireSignedGet(bindings: object, h: { from?: string; timestamp?: string; signature?: string }, pathAndQuery: string): Promise<string> {
  const env = bindings as LinkEnv
  const own = provinceOf(env)
  const known = !!h.from && !!own && h.from !== own && h.from in linkPeers(env)
  const why = await verifyLink(known ? linkSecret(env, h.from!) : null, h, pathAndQuery)
  if (why) throw new ApiError(401, 'link_refused', `Link request refused: ${why}`)
  return h.from!
}

/** Who did it, in the audit log, when a message from another province did it. */
export const linkActorId = (province: string) => `link:${province}`

const Station = z.object({ id: SiteId, nameZh: z.string().min(1).max(100), nameEn: z.string().min(1).max(100) }).strict()

export const DeferralMessage = z
  .object({
    id: z.string().min(1).max(64), // the deferral's id in the sending province
    donorCode: DonorCode,
    reason: DeferralReason,
    from: IsoDateTime,
    until: IsoDateTime.nullable(),
    note: z.string().max(500),
    site: Station, // the recording station, in the sending province
  })
  .strict()
  .refine((d) => d.until === null || Date.parse(d.until) > Date.parse(d.from), { message: 'until must be after from', path: ['until'] })
export type DeferralMessageT = z.infer<typeof DeferralMessage>

export const CallupRequestMessage = z
  .object({
    id: z.string().regex(/^clk_[0-9a-f]{16}$/),
    requestId: z.string().min(1).max(64),
    requestSite: Station,
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    antigens: z.string().max(200),
    urgency: Urgency,
    neededBy: IsoDateTime.nullable(),
    donorCodes: z.array(DonorCode).min(1).max(20),
    note: z.string().max(500),
    askedBy: z.string().min(1).max(100),
  })
  .strict()
export type CallupRequestMessageT = z.infer<typeof CallupRequestMessage>

export const CallupOutcomeMessage = z
  .object({
    id: z.string().regex(/^clk_[0-9a-f]{16}$/),
    status: z.enum(['issued', 'declined']),
    callups: z.array(z.object({ donorCode: DonorCode, callupId: z.string().min(1).max(64) }).strict()).max(20),
    note: z.string().max(500),
    decidedBy: z.string().min(1).max(100),
    decidedAt: IsoDateTime,
  })
  .strict()
  .refine((o) => o.status === 'issued' || o.callups.length === 0, { message: 'a declined request has no call-ups', path: ['callups'] })
export type CallupOutcomeMessageT = z.infer<typeof CallupOutcomeMessage>

/** A call-up issued for another province moved on (scheduled, donated, released, declined, deferred): the asking side follows it. */
export const CallupProgressMessage = z
  .object({
    id: z.string().regex(/^clk_[0-9a-f]{16}$/),
    callupId: z.string().min(1).max(64),
    donorCode: DonorCode,
    status: CallupStatus,
    at: IsoDateTime,
  })
  .strict()
export type CallupProgressMessageT = z.infer<typeof CallupProgressMessage>

const audit = (db: D1Database, from: string, action: string, entity: string, entityId: string, detail: unknown, at: string) =>
  insertAuditStmt(db, { actorId: linkActorId(from), action, entity, entityId, detail, at })

/** A deferral recorded in another province: on this province's joint list from now on, so a call-up here is refused. */
const deferral: LinkHandler<typeof DeferralMessage> = {
  body: DeferralMessage,
  apply: async (db, msg) => {
    const b = msg.body
    const id = newId('def')
    return [
      insertReceivedDeferralStmt(
        db,
        {
          id,
          donorCode: b.donorCode,
          reason: b.reason,
          from: new Date(b.from).toISOString(),
          until: b.until ? new Date(b.until).toISOString() : null,
          note: b.note,
          fromProvince: msg.from,
          sourceId: b.id,
          sourceSite: b.site.id,
          sourceSiteNameZh: b.site.nameZh,
          sourceSiteNameEn: b.site.nameEn,
        },
        msg.at,
      ),
      audit(
        db,
        msg.from,
        'deferral.receive',
        'donor',
        b.donorCode,
        { deferralId: id, fromProvince: msg.from, sourceId: b.id, site: b.site.id, reason: b.reason },
        msg.at,
      ),
    ]
  },
}

/** Another province asks this one to call some of its donors: kept pending for a coordinator here, who issues or declines. */
const callupRequest: LinkHandler<typeof CallupRequestMessage> = {
  body: CallupRequestMessage,
  apply: async (db, msg) => {
    const b = msg.body
    return [
      insertCallupLinkStmt(db, {
        id: b.id,
        direction: 'in',
        peerProvince: msg.from,
        requestId: b.requestId,
        requestSite: b.requestSite.id,
        requestSiteZh: b.requestSite.nameZh,
        requestSiteEn: b.requestSite.nameEn,
        component: b.component,
        abo: b.abo,
        rhd: b.rhd,
        antigens: b.antigens,
        urgency: b.urgency,
        neededBy: b.neededBy ? new Date(b.neededBy).toISOString() : null,
        donorCodes: JSON.stringify(b.donorCodes),
        note: b.note,
        askedBy: b.askedBy,
        createdAt: msg.at,
      }),
      audit(db, msg.from, 'callup_link.receive', 'callup_link', b.id, { fromProvince: msg.from, requestId: b.requestId, donorCodes: b.donorCodes }, msg.at),
    ]
  },
}

/** The donors' province issued the call-ups or declined: recorded on the asking side's request. */
const callupOutcome: LinkHandler<typeof CallupOutcomeMessage> = {
  body: CallupOutcomeMessage,
  apply: async (db, msg) => {
    const b = msg.body
    return [
      receiveOutcomeStmt(
        db,
        b.id,
        {
          status: b.status,
          callups: JSON.stringify(b.callups),
          decidedBy: b.decidedBy,
          decidedAt: new Date(b.decidedAt).toISOString(),
          note: b.note,
        },
        msg.at,
      ),
      audit(db, msg.from, `callup_link.${b.status}`, 'callup_link', b.id, { fromProvince: msg.from, callups: b.callups, note: b.note }, msg.at),
    ]
  },
}

/** Progress of a call-up issued for us: its status on the asking side's request (unknown call-ups change nothing). */
const callupProgress: LinkHandler<typeof CallupProgressMessage> = {
  body: CallupProgressMessage,
  apply: async (db, msg) => {
    const b = msg.body
    return [
      receiveProgressStmt(db, b.id, b.callupId, b.status, msg.at),
      audit(db, msg.from, 'callup_link.progress', 'callup_link', b.id, { fromProvince: msg.from, callupId: b.callupId, status: b.status, at: b.at }, msg.at),
    ]
  },
}

/** The donor kinds of link message (registered in worker/link/handlers.ts). */
export const DONOR_HANDLERS: Record<string, LinkHandler> = {
  'donor.deferral': deferral as unknown as LinkHandler,
  'callup.request': callupRequest as unknown as LinkHandler,
  'callup.outcome': callupOutcome as unknown as LinkHandler,
  'callup.progress': callupProgress as unknown as LinkHandler,
}
