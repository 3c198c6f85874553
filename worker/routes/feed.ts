import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../env'
import { badRequest, ErrorBody, issueField, reply } from '../errors'
import { IdempotencyHeader, json } from '../schemas/common'
import { FeedMovementsIn, FeedQuery, FeedResult, SnapshotIn } from '../schemas/feed'
import { postMovements, postSnapshot, type FeedFormat } from '../services/feed'
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

/** The body as JSON or as CSV text, by its Content-Type; the service checks every line (not the route's schema, which documents it). */
async function bodyOf(c: Context<AppEnv>): Promise<{ format: FeedFormat; body: unknown }> {
  const type = c.req.header('content-type') ?? ''
  if (/^text\/csv\b/i.test(type)) return { format: 'csv', body: await c.req.text() }
  if (/^application\/json\b/i.test(type)) return { format: 'json', body: await c.req.json() }
  throw badRequest('body', 'Send the lines as application/json or text/csv')
}

/** The site and the batch key (checked again here: a failed body check reaches the handler before the route's own). */
function params(c: Context<AppEnv>) {
  const q = FeedQuery.safeParse(c.req.query())
  if (!q.success) throw badRequest(issueField(q.error.issues[0]) ?? 'site', q.error.issues[0].message)
  const h = IdempotencyHeader.safeParse({ 'idempotency-key': c.req.header('idempotency-key') })
  if (!h.success) throw badRequest('idempotency-key', h.error.issues[0].message)
  return { site: q.data.site, key: h.data['idempotency-key'] }
}

/** A failed body check goes to the handler too (the service answers every bad line); a bad query or header as anywhere. */
const hook =
  (handler: (c: Context<AppEnv>) => Promise<Response>) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (result: { success: boolean; target: string; error?: z.ZodError }, c: Context<AppEnv>): any => {
    if (result.success || !result.error) return
    if (result.target === 'json') return handler(c)
    const issue = result.error.issues[0]
    return reply(c, 400, 'invalid_input', issue.message, issueField(issue))
  }

async function snapshot(c: Context<AppEnv>) {
  const { format, body } = await bodyOf(c)
  const { site, key } = params(c)
  const { result, replayed } = await postSnapshot(c.env.DB, c.var.actor, site, format, body, key)
  if (replayed) c.header('Idempotent-Replayed', 'true')
  return c.json(result, 201)
}
async function movementsFeed(c: Context<AppEnv>) {
  const { format, body } = await bodyOf(c)
  const { site, key } = params(c)
  const { result, replayed } = await postMovements(c.env.DB, c.var.actor, site, format, body, key)
  if (replayed) c.header('Idempotent-Replayed', 'true')
  return c.json(result, 201)
}

const csvBody = (description: string) => ({ 'text/csv': { schema: z.string().openapi({ description }) } })

feed.openapi(
  createRoute({
    method: 'post',
    path: '/snapshot',
    tags: ['feed'],
    security,
    description:
      'A stock snapshot of the site: one line per lot with the units counted now. Known lots are adjusted to the count, new lot ids are received, and (complete, the default) lots held here but not listed are counted as 0. ' +
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
  snapshot,
  hook(snapshot),
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
      body: {
        description: 'The movements',
        content: { 'application/json': { schema: FeedMovementsIn }, ...csvBody('The movements as CSV with a header row') },
      },
    },
    responses: { 201: json(FeedResult, 'Applied (or the stored result of a retry with the same key; Idempotent-Replayed: true)'), ...lineErrors },
  }),
  movementsFeed,
  hook(movementsFeed),
)
