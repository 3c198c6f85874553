import type { z } from '@hono/zod-openapi'
import type { LinkMessage } from './outbox'

/**
 * What a province does with each kind of message it receives: the body's schema (a message that fails it is
 * kept as rejected, never dropped) and the statements that apply it. The inbox runs those statements in one
 * db.batch() with the inbox row, so a message is applied whole and once. The registry is worker/link/handlers.ts.
 */
export type LinkHandler<S extends z.ZodType = z.ZodType> = {
  body: S
  apply: (db: D1Database, msg: LinkMessage & { body: z.infer<S> }) => Promise<D1PreparedStatement[]>
}
