// Throttling of failed authentication, per client (CF-Connecting-IP), counted in D1 so that every isolate
// sees the same count. A request that presents a token which fails is slowed once a client has failed
// SLOW_AFTER times in the window; from LIMIT failures on, the client is answered 429 with Retry-After
// until the window (started by its first failure) ends, whatever token it sends, so a blocked client
// learns nothing about the tokens it tries. Requests with a good token never add to the count.
import { recordFailure, selectFailures } from '../db/auth-failures'
import { nowIso } from '../lib/time'

export const THROTTLE = { windowMs: 15 * 60_000, slowAfter: 3, limit: 10, stepMs: 250, maxDelayMs: 2_000 } as const

/**
 * The key failures are counted under. On Cloudflare the edge sets CF-Connecting-IP (a client cannot), so a deployed
 * worker trusts it. A local run (wrangler dev with ALLOW_DEMO_TOKENS, npm start) has no edge: a client could send any
 * CF-Connecting-IP and start a fresh count with each, so there every client shares one key ('local'), unless
 * TRUST_CF_CONNECTING_IP=true says a proxy in front sets the header (the Workers tests do, to tell clients apart).
 */
export function clientOf(header: (name: string) => string | undefined, env: { ALLOW_DEMO_TOKENS?: string; TRUST_CF_CONNECTING_IP?: string }): string {
  const trusted = env.TRUST_CF_CONNECTING_IP === 'true' || (env.TRUST_CF_CONNECTING_IP !== 'false' && env.ALLOW_DEMO_TOKENS !== 'true')
  return trusted ? (header('cf-connecting-ip') ?? 'unknown') : 'local'
}

/** Seconds the client must wait before trying again, or 0 if it may try now. */
export async function blockedFor(db: D1Database, client: string, now = Date.now()): Promise<number> {
  const row = await selectFailures(db, client)
  if (!row || row.failures < THROTTLE.limit) return 0
  const until = Date.parse(row.firstAt) + THROTTLE.windowMs
  return until > now ? Math.ceil((until - now) / 1000) : 0
}

/** Counts a failure and returns how long to hold the 401 back (ms). */
export async function failed(db: D1Database, client: string): Promise<number> {
  const at = nowIso()
  const row = await recordFailure(db, client, at, new Date(Date.parse(at) - THROTTLE.windowMs).toISOString())
  const over = (row?.failures ?? 1) - THROTTLE.slowAfter
  return over > 0 ? Math.min(THROTTLE.maxDelayMs, over * THROTTLE.stepMs) : 0
}
