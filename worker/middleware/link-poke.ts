import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { pokeCouriers } from '../link/courier'
import { provinceOf } from '../link/config'

/**
 * In province mode, after any write that succeeded, poke the link's couriers (worker/link/courier.ts): whichever
 * service wrote link_outbox rows in its batch (a notice, an aid request, a deferral…), delivery starts at once
 * without each route remembering to ask. A poke only arms an idle courier's alarm, so a write that sent nothing
 * costs one cheap call; the hourly cron pokes too.
 */
export const pokeLinkAfterWrites = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  if (c.req.method === 'GET' || c.res.status >= 400 || !provinceOf(c.env) || c.req.path === '/api/link/inbox') return
  c.executionCtx.waitUntil(pokeCouriers(c.env).catch((e) => console.error(`link poke: ${(e as Error).message}`)))
})
