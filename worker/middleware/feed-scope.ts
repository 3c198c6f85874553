import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { reply } from '../errors'

/** A machine token (role feed) writes its site's feed and nothing else: 403 on every other route. */
export const feedScope = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.actor?.role === 'feed' && !c.req.path.startsWith('/api/feed/'))
    return reply(c, 403, 'forbidden', 'A machine token may only post its site’s feed (/api/feed/…)')
  await next()
})
