import { z } from '@hono/zod-openapi'
import { selectLinkMessages } from '../db/link'
import { ApiError, badRequest } from '../errors'
import { linkPeers, linkSecret, provinceOf, type LinkEnv } from '../link/config'
import { applyLinkMessage, InboxBusy, type InboxOutcome } from '../link/inbox'
import { verifyLink } from '../link/signature'
import type { LinkMessageT } from '../schemas/link'
import { requireRole, type Actor } from './auth'
import { provinceSummary } from './province-summary'

type Env_ = Env & LinkEnv
export type LinkHeaders = { from?: string; timestamp?: string; signature?: string }

const Envelope = z.object({
  id: z.string().min(1).max(64),
  from: z.string().min(1).max(64),
  to: z.string().min(1).max(64),
  kind: z.string().min(1).max(64),
  body: z.unknown(),
  at: z.string().min(1).max(40),
})

/** 401 unless a known peer signed this (its name in LINK_PEERS, its secret, a fresh timestamp). */
async function requirePeer(env: Env_, h: LinkHeaders, raw: string): Promise<string> {
  const own = provinceOf(env)
  const known = !!h.from && !!own && h.from !== own && h.from in linkPeers(env)
  const why = await verifyLink(known ? linkSecret(env, h.from!) : null, h, raw)
  if (why) throw new ApiError(401, 'link_refused', `Link request refused: ${why}`)
  return h.from!
}

/**
 * POST /api/link/inbox: a peer's message, applied once (worker/link/inbox.ts). Nothing is written for a request
 * that is not signed by a known peer (401) or is no message at all (400). A message addressed to another
 * province is kept as rejected, like a body its kind refuses.
 */
export async function receiveLinkMessage(env: Env_, h: LinkHeaders, raw: string): Promise<InboxOutcome> {
  const from = await requirePeer(env, h, raw)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw badRequest('body', 'The body is not JSON')
  }
  const env_ = Envelope.safeParse(parsed)
  if (!env_.success) throw badRequest(env_.error.issues[0].path.map(String).join('.') || 'body', env_.error.issues[0].message)
  const msg = env_.data
  if (msg.from !== from) throw new ApiError(401, 'link_refused', `Link request refused: signed by ${from}, claims to be from ${msg.from}`)
  const own = provinceOf(env)!
  try {
    if (msg.to !== own) {
      // kept (shown to both sides' admins) under a kind nobody handles, so it is never applied
      return await applyLinkMessage(env.DB, { ...msg, kind: `misaddressed:${msg.kind}`.slice(0, 64) })
    }
    return await applyLinkMessage(env.DB, msg)
  } catch (e) {
    if (e instanceof InboxBusy) throw new ApiError(503, 'link_busy', `Try again: ${e.message}`)
    throw e
  }
}

/** GET /api/link/summary: this province's summary (stations, levels, totals), for a signed peer. */
export async function summaryForPeer(env: Env_, h: LinkHeaders) {
  await requirePeer(env, h, '')
  return provinceSummary(env.DB, provinceOf(env))
}

/** GET /api/link/messages: both directions, rejected first (admins). */
export async function listLinkMessages(db: D1Database, actor: Actor, limit: number): Promise<LinkMessageT[]> {
  requireRole(actor, 'admin')
  const rows = await selectLinkMessages(db, limit)
  return rows.map((r) => ({ ...r, body: JSON.parse(r.body) as unknown }))
}
