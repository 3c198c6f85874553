import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { ApiError, reply } from '../errors'
import { provinceOf } from '../link/config'
import { actorForToken } from '../services/auth'
import { blockedFor, clientOf, failed } from '../services/throttle'

/** Every /api route but the public ones needs a bearer token; sets c.var.actor, or answers 401 / 429. */
// The link's routes are signed by the peer province instead (worker/link/signature.ts).
const PUBLIC = new Set(['/api/openapi.json', '/api/health', '/api/link/inbox', '/api/link/summary', '/api/link/donors'])

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  if (PUBLIC.has(c.req.path)) return next()
  const header = c.req.header('authorization')
  const client = clientOf((n) => c.req.header(n), c.env)
  // Only clients that have failed before have a row; a first request costs one indexed read.
  const wait = header ? await blockedFor(c.env.DB, client) : 0
  if (wait > 0) {
    c.header('Retry-After', String(wait))
    return reply(c, 429, 'too_many_failures', `Too many failed sign-ins from this client; try again in ${wait} s`)
  }
  try {
    c.set('actor', await actorForToken(c.env.DB, header, { allowDemo: c.env.ALLOW_DEMO_TOKENS === 'true', province: provinceOf(c.env) }))
  } catch (e) {
    // A missing header is no guess at a token: only a token that fails counts.
    if (e instanceof ApiError && e.status === 401 && header) {
      const delay = await failed(c.env.DB, client)
      if (delay > 0) await new Promise((r) => setTimeout(r, delay))
    }
    throw e
  }
  await next()
})
