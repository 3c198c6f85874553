import { DurableObject } from 'cloudflare:workers'
import { markDelivered, markFailed, peerFailed, peerOk, selectPending } from '../db/link'
import { linkPeers, linkSecret, provinceOf, type LinkEnv } from './config'
import { signLink } from './signature'

type CourierEnv = Env & LinkEnv
const BATCH = 25
const FIRST_BACKOFF_MS = 1000
const MAX_BACKOFF_MS = 30_000
const SEND_TIMEOUT_MS = 10_000

/**
 * One courier per peer province (a SQLite-backed Durable Object named after the peer). Its alarm drains that
 * peer's pending link_outbox rows, oldest first, POSTing each to the peer's /api/link/inbox, and stops at the
 * first failure (recording attempts and last_error) with the alarm re-armed 1 s → 2 s → … → 30 s later. The
 * alarm is durable (it survives a restart of this worker, also under wrangler dev), so nothing waits on a
 * request staying alive: a write pokes the courier, the hourly cron pokes it too.
 */
export class LinkCourier extends DurableObject<CourierEnv> {
  /** Deliver soon: arm the alarm now unless one is already armed (a backoff after a failure keeps its time). */
  async poke(peer: string): Promise<void> {
    await this.ctx.storage.put('peer', peer)
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now())
  }

  async alarm(): Promise<void> {
    const peer = await this.ctx.storage.get<string>('peer')
    if (!peer) return
    const failures = (await this.ctx.storage.get<number>('failures')) ?? 0
    let result: 'drained' | 'more' | 'failed'
    try {
      result = await deliverPending(this.env, peer)
    } catch (e) {
      // D1 itself failed (busy, restarting): same backoff as an unreachable peer
      console.error(`link courier ${peer}: ${(e as Error).message}`)
      result = 'failed'
    }
    if (result === 'failed') {
      await this.ctx.storage.put('failures', failures + 1)
      await this.ctx.storage.setAlarm(Date.now() + Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** failures))
      return
    }
    await this.ctx.storage.put('failures', 0)
    if (result === 'more') await this.ctx.storage.setAlarm(Date.now())
  }
}

/** Sends up to BATCH pending messages to one peer, oldest first; 'failed' at the first one that did not get through. */
export async function deliverPending(env: CourierEnv, peer: string): Promise<'drained' | 'more' | 'failed'> {
  const rows = await selectPending(env.DB, peer, BATCH)
  if (!rows.length) return 'drained'
  const from = provinceOf(env)
  const url = linkPeers(env)[peer]
  const secret = linkSecret(env, peer)
  for (const row of rows) {
    const now = new Date().toISOString()
    let error: string
    if (!from || !url || !secret) error = `no ${!from ? 'PROVINCE' : !url ? `LINK_PEERS entry for ${peer}` : 'LINK_SECRET'} configured`
    else {
      const body = JSON.stringify({ id: row.id, from, to: peer, kind: row.kind, body: JSON.parse(row.body), at: row.createdAt })
      try {
        const res = await fetch(`${url}/api/link/inbox`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await signLink(secret, from, body)) },
          body,
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        })
        const text = await res.text()
        if (res.status === 200) {
          const ack = JSON.parse(text) as { outcome: 'applied' | 'replay' | 'rejected'; error?: string }
          await env.DB.batch([markDelivered(env.DB, row.id, ack.outcome, ack.error ?? null, now), peerOk(env.DB, peer, now)])
          continue
        }
        error = `HTTP ${res.status}: ${text.slice(0, 300)}`
      } catch (e) {
        error = `unreachable: ${(e as Error).message}`
      }
    }
    await env.DB.batch([markFailed(env.DB, row.id, error, now), peerFailed(env.DB, peer, error, now)])
    return 'failed'
  }
  return rows.length === BATCH ? 'more' : 'drained'
}

/** Asks each courier to deliver (after a batch that wrote outbox rows, and hourly). */
export function pokeCouriers(env: CourierEnv, peers: string[] = Object.keys(linkPeers(env))): Promise<unknown> {
  const ns = env.LINK_COURIER as unknown as DurableObjectNamespace<LinkCourier>
  return Promise.all(peers.map((p) => ns.getByName(p).poke(p)))
}
