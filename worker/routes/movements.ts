import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../env'
import { ErrorBody, issueField, reply } from '../errors'
import { body, IdempotencyHeader, json } from '../schemas/common'
import { BatchResult, Movement, MovementBatchIn, MovementQuery, MovementWrite, Reconcile, ReconcileQuery, SingleMovementIn } from '../schemas/movement'
import { listMovements, reconcile, recordMovements } from '../services/movements'
import { requireSiteReader } from '../services/auth'
import { errors as baseErrors, security } from './responses'

export const movements = new OpenAPIHono<AppEnv>()

/** The body is a union (batch or single); on failure, name the field of the form the client meant. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function batchOrSingleHook(result: { success: boolean; target: string; error?: z.ZodError }, c: Context<AppEnv>): Promise<any> {
  if (result.success || !result.error) return
  let issue = result.error.issues[0]
  if (result.target === 'json') {
    const input: unknown = await c.req.json().catch(() => undefined)
    const meant = input && typeof input === 'object' && 'movements' in input ? MovementBatchIn : SingleMovementIn
    const again = meant.safeParse(input)
    if (!again.success) issue = again.error.issues[0]
  }
  return reply(c, 400, 'invalid_input', issue.message, issueField(issue))
}
const errors = { ...baseErrors }

movements.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['movements'],
    security,
    description:
      'Records one movement or a batch for a site: receipt (new lot), issue, discard, adjust (stock count). ' +
      "Whole or nothing. The site's director, or a coordinator/admin. A retry with the same Idempotency-Key answers the same result.",
    request: { headers: IdempotencyHeader, body: body(MovementWrite, 'A batch {siteId, movements:[…]} or one movement {siteId, kind, …}') },
    responses: {
      201: json(BatchResult, 'Applied (or, on a retry with the same key, the stored result; header Idempotent-Replayed: true)'),
      ...errors,
      403: json(ErrorBody, 'Not a writer for this site'),
      404: json(ErrorBody, 'Unknown lot (field names the line)'),
      409: json(ErrorBody, 'insufficient_stock (field names the line), lot_expired, lot_exists, or idempotency_key_reused'),
    },
  }),
  async (c) => {
    const raw = c.req.valid('json')
    const input =
      'movements' in raw
        ? raw
        : (() => {
            const { siteId, ...m } = raw
            return { siteId, movements: [m] }
          })()
    const { result, replayed } = await recordMovements(c.env.DB, c.var.actor, input as z.infer<typeof MovementBatchIn>, {
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    })
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(result, 201)
  },
  batchOrSingleHook,
)

movements.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['movements'],
    security,
    request: { query: MovementQuery },
    description: 'The stock ledger, newest first. Any role.',
    responses: { 200: json(z.object({ movements: z.array(Movement) }), 'Ledger rows'), ...errors },
  }),
  async (c) => {
    const q = c.req.valid('query')
    if (q.site) await requireSiteReader(c.env.DB, c.var.actor, q.site)
    return c.json({ movements: await listMovements(c.env.DB, q) }, 200)
  },
)

movements.openapi(
  createRoute({
    method: 'get',
    path: '/reconcile',
    tags: ['movements'],
    security,
    request: { query: ReconcileQuery },
    description: 'Per lot, the cached qty against the sum of its ledger rows; lists any mismatch (there should be none).',
    responses: { 200: json(Reconcile, 'Reconciliation'), ...errors },
  }),
  async (c) => c.json(await reconcile(c.env.DB, c.req.valid('query').site), 200),
)
