import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { actorForToken } from '../services/auth'

/** Every /api route but the public ones needs a bearer token; sets c.var.actor or throws 401. */
const PUBLIC = new Set(['/api/openapi.json', '/api/health'])

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  if (!PUBLIC.has(c.req.path)) c.set('actor', await actorForToken(c.env.DB, c.req.header('authorization')))
  await next()
})
