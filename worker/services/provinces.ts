import { insertAuditStmt } from '../db/audit'
import { peerFailed, peerOk, selectPeer } from '../db/link'
import { ApiError, notFound } from '../errors'
import { linkPeers, linkSecret, provinceOf, type LinkEnv } from '../link/config'
import { outboxStmt } from '../link/outbox'
import { signLink } from '../link/signature'
import type { PeerProvinceT, ProvinceSummaryT } from '../schemas/province'
import { nowIso } from '../lib/time'
import { requireRole, type Actor } from './auth'
import { provinceSummary } from './province-summary'

type Env_ = Env & LinkEnv
const PEER_TIMEOUT_MS = 3000

/** GET /api/provinces: this province's own summary and each peer's, read live over the link (signed), or since when it has not answered. */
export async function provincesView(env: Env_): Promise<{ own: ProvinceSummaryT; peers: PeerProvinceT[] }> {
  const own = provinceOf(env)
  const [summary, peers] = await Promise.all([
    provinceSummary(env.DB, own),
    Promise.all(Object.entries(linkPeers(env)).map(([peer, url]) => peerView(env, own!, peer, url))),
  ])
  return { own: summary, peers }
}

async function peerView(env: Env_, own: string, peer: string, url: string): Promise<PeerProvinceT> {
  const now = nowIso()
  let summary: ProvinceSummaryT | null = null
  let error: string | null = null
  const secret = linkSecret(env, peer)
  if (!secret) error = 'no LINK_SECRET configured'
  else {
    try {
      const res = await fetch(`${url}/api/link/summary`, { headers: await signLink(secret, own, ''), signal: AbortSignal.timeout(PEER_TIMEOUT_MS) })
      if (res.ok) summary = (await res.json()) as ProvinceSummaryT
      else error = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`
    } catch (e) {
      error = `unreachable: ${(e as Error).message}`
    }
  }
  await (summary ? peerOk(env.DB, peer, now) : peerFailed(env.DB, peer, error!, now)).run()
  const state = await selectPeer(env.DB, peer)
  return {
    province: peer,
    reachable: !!summary,
    summary,
    unreachableSince: state?.unreachableSince ?? null,
    lastOkAt: state?.lastOkAt ?? null,
    error,
  }
}

/**
 * POST /api/provinces/{province}/notices: a coordinator's notice to another province's coordinators, written to
 * the outbox in the same batch as its audit row; the courier delivers it (the route pokes it).
 */
export async function sendNotice(env: Env_, actor: Actor, to: string, input: { text: string; urgent: boolean }) {
  requireRole(actor, 'coordinator', 'admin')
  const own = provinceOf(env)
  if (!own)
    throw new ApiError(409, 'not_province_mode', 'This system serves the whole region (no PROVINCE set): there is no other province to write to', 'province')
  if (!(to in linkPeers(env))) throw notFound('linked province', to, 'province')
  const at = nowIso()
  const body = { text: input.text, byName: actor.name, urgent: input.urgent }
  const { id, stmt } = outboxStmt(env.DB, { to, kind: 'province.notice', body, at })
  await env.DB.batch([
    stmt,
    insertAuditStmt(env.DB, { actorId: actor.id, action: 'notice.send', entity: 'link_message', entityId: id, detail: { to, ...body }, at }),
  ])
  return { id, to, kind: 'province.notice' as const, status: 'pending' as const, at }
}
