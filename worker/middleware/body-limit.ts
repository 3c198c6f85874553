import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { reply } from '../errors'

/** An ordinary JSON body is small; a 5 MB `pad` in a user was accepted before this limit. */
export const MAX_BODY_BYTES = 256 * 1024
/** Plan instances (up to 25,000 lots, about 130 bytes each), CSV imports (a stock count is at most 2,000,000 bytes) and machine feeds. */
export const MAX_LARGE_BODY_BYTES = 8 * 1024 * 1024

const isLarge = (path: string) => path === '/api/plans/preview' || path.startsWith('/api/csv/') || path.startsWith('/api/feed/') || path.endsWith('/csv')
const limiter = (maxSize: number) =>
  bodyLimit({ maxSize, onError: (c) => reply(c, 413, 'too_large', `The request body may be at most ${maxSize} bytes`, 'body') })
const small = limiter(MAX_BODY_BYTES)
const large = limiter(MAX_LARGE_BODY_BYTES)

/** 413 too_large in the one error shape, before anything reads the body. */
export const limitBody: MiddlewareHandler = (c, next) => (isLarge(c.req.path) ? large : small)(c, next)
