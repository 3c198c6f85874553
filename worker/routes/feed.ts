import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../env'
import { badRequest, ErrorBody, issueField, reply } from '../errors'
import { IdempotencyHeader, json } from '../schemas/common'
import { FeedMovementsIn, FeedQuery, FeedResult, SnapshotIn } from '../schemas/feed'
import { LinesError, postMovements, postSnapshot, type FeedFormat } from '../services/feed'
import { errors, security } from './responses'

/** Machine feeds: a hospital's or a station's own system posts its stock (docs in README, "Stock feeds for machines"). */
export const feed = new OpenAPIHono<AppEnv>()

const lineErrors = {
  ...errors,
  400: json(ErrorBody, 'invalid_lines: `detail` maps every bad line’s field (lines.3.abo) to its problem, `field` is the first; nothing was applied'),
  403: json(ErrorBody, "Another site's feed (a machine token feeds its own site only)"),
  404: json(ErrorBody, 'Unknown site'),
  409: json(ErrorBody, 'idempotency_key_reused, or a line the stock no longer allows (field names it)'),
}

/** Every problem of a JSON body at once, in the feed's error (not only the first, as elsewhere). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const allIssues = (result: { success: boolean; error?: z.ZodError }, c: Context<AppEnv>): any => {
  if (result.success || !result.error) return
  const e = new LinesError(result.error.issues.map((i) => ({ field: issueField(i) ?? 'body', message: i.message })))
  return reply(c, 400, e.code, e.message, e.field, e.detail)
}

/** The body as JSON (already checked against the schema) or as CSV text, by its Content-Type. */
async function bodyOf(c: Context<AppEnv>): Promise<{ format: FeedFormat; body: unknown }> {
  const type = c.req.header('content-type') ?? ''
  if (/^text\/csv\b/i.test(type)) return { format: 'csv', body: await c.req.text() }
  if (/^application\/json\b/i.test(type)) return { format: 'json', body: await c.req.json() }
  throw badRequest('body', 'Send the lines as application/json or text/csv')
}

const csvBody = (description: string) => ({ 'text/csv': { schema: z.string().openapi({ description }) } })

feed.openapi(
  createRoute({
    method: 'post',
    path: '/snapshot',
    tags: ['feed'],
    security,
    description:
      "A stock snapshot of the site: one line per lot with the units counted now. Known lots are adjusted to the count, new lot ids are received, and (complete, the default) lots held here but not listed are counted as 0. " +
      'JSON {lines:[{lotId, component, abo, rhd, qty, expiresAt, collectedAt?, antigens?, frozen?}], complete?} or CSV with columns lot_id, component, abo, rhd, qty, expires_at[, collected_at][, antigens][, frozen] (complete). ' +
      'Every bad line is answered at once and nothing is applied; otherwise one movement batch under the Idempotency-Key (the batch key): a retry answers the same result. ' +
      "A machine token (role feed) for its own site; a site's director, a coordinator or an admin.",
    request: {
      query: FeedQuery,
      headers: IdempotencyHeader,
      body: { description: 'The snapshot', content: { 'application/json': { schema: SnapshotIn }, ...csvBody('The snapshot as CSV with a header row') } },
    },
    responses: { 201: json(FeedResult, 'Applied (or the stored result of a retry with the same key; Idempotent-Replayed: true)'), ...lineErrors },
  }),
  async (c) => {
    const { format, body } = await bodyOf(c)
    const { result, replayed } = await postSnapshot(c.env.DB, c.var.actor, c.req.valid('query').site, format, body, c.req.valid('header')['idempotency-key'])
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(result, 201)
  },
  allIssues,
)

feed.openapi(
  createRoute({
    method: 'post',
    path: '/movements',
    tags: ['feed'],
    security,
    description:
      'A batch of movements for the site (receipt, issue, discard, adjust), as POST /api/movements takes them: JSON {lines:[…]} or CSV with columns ' +
      'kind, lot_id, qty[, component, abo, rhd, collected_at, expires_at, antigens, frozen][, hospital_id, urgency, cap_reason][, counted_qty, delta][, reason]. ' +
      'Every bad line is answered at once and nothing is applied; otherwise one movement batch under the Idempotency-Key (the batch key). ' +
      "A machine token (role feed) for its own site; a site's director, a coordinator or an admin.",
    request: {
      query: FeedQuery,
      headers: IdempotencyHeader,
      body: { description: 'The movements', content: { 'application/json': { schema: FeedMovementsIn }, ...csvBody('The movements as CSV with a header row') } },
    },
    responses: { 201: json(FeedResult, 'Applied (or the stored result of a retry with the same key; Idempotent-Replayed: true)'), ...lineErrors },
  }),
  async (c) => {
    const { format, body } = await bodyOf(c)
    const { result, replayed } = await postMovements(c.env.DB, c.var.actor, c.req.valid('query').site, format, body, c.req.valid('header')['idempotency-key'])
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(result, 201)
  },
  allIssues,
)
