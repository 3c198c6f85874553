import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { PlanInstanceSchema } from '../../solver'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, IdempotencyHeader, IdParam, json, OptionalIdempotencyHeader } from '../schemas/common'
import { PlanCreate, PlanDetail, PlanQuery, PlanResult, PlanSummary } from '../schemas/plan'
import { BulkApprove, CommitResult, Transfer } from '../schemas/transfer'
import { createPlan, getPlan, listPlans, planBudget, previewPlan, validateInstance } from '../services/plans'
import { isReplay } from '../services/idempotency'
import { approveMany, commitPlanTransfers } from '../services/transfers'
import { errors as baseErrors, security } from './responses'

export const plans = new OpenAPIHono<AppEnv>()
const errors = {
  ...baseErrors,
  403: json(ErrorBody, 'Not allowed for this role'),
}

plans.openapi(
  createRoute({
    method: 'post',
    path: '/preview',
    tags: ['plans'],
    security,
    summary: 'Simulate: solve a hand-written plan instance; nothing is stored',
    description:
      'The body is a plan instance (docs/plan-instance.md). Bad input answers 400 `invalid_instance` naming the field, e.g. `lots.3.qty`, ' +
      'or an unknown key, e.g. `needs.0.antigenz`. At most 500 sites, 25,000 lots and reserves, 2,500 needs, 100,000 units per qty, an 8 MiB body (413). ' +
      "A solve past the planner's work budget answers 503 `plan_time_limit`. Any signed-in role.",
    request: { body: body(PlanInstanceSchema, 'A plan instance') },
    responses: {
      200: json(PlanResult, "The solver's result"),
      503: json(ErrorBody, "plan_time_limit: the instance needs more work than the planner's budget"),
      ...errors,
    },
  }),
  (c) => c.json(previewPlan(c.req.valid('json'), planBudget(c.env.PLAN_WORK_LIMIT)), 200),
  // The instance schema's own messages, and the code invalid_instance, for any schema failure.
  // (zod-validator hands the hook the raw body as `data`, also on failure.)
  (result) => {
    if (!result.success) validateInstance((result as unknown as { data: unknown }).data)
  },
)

plans.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['plans'],
    security,
    summary: 'Plan from live stock and open aid requests (coordinator or admin)',
    description:
      'Builds an instance from D1 (unexpired lots with stock, open requests minus units already received or covered by committed transfers, and ' +
      "reserves = ceil(14-day average daily issue × the province's red_days) per site × component × group, so no station is stripped " +
      'below its red level), solves it, and stores the plan with one proposed transfer per result transfer. Requests stay open until a commit covers them. ' +
      'Older plans under review that cover any of the same requests become `superseded` (supersededBy this plan; audited plan.supersede), their ' +
      'proposed and approved transfers closed (closeReason superseded).',
    request: { body: { ...body(PlanCreate, 'Options'), required: false }, headers: OptionalIdempotencyHeader },
    responses: {
      201: json(PlanDetail, 'The stored plan (a retry with the same Idempotency-Key answers the same plan, with Idempotent-Replayed: true)'),
      409: json(ErrorBody, 'Idempotency-Key reused for a different request'),
      503: json(ErrorBody, "plan_time_limit: the region needs more work than the planner's budget"),
      ...errors,
    },
  }),
  async (c) => {
    const plan = await createPlan(c.env.DB, c.var.actor, c.req.valid('json') ?? {}, c.req.valid('header')['idempotency-key'])
    if (isReplay(plan)) c.header('Idempotent-Replayed', 'true')
    return c.json(plan, 201)
  },
)

plans.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['plans'],
    security,
    request: { query: PlanQuery },
    responses: { 200: json(z.object({ plans: z.array(PlanSummary) }), 'Plans, newest first'), ...errors },
  }),
  async (c) => c.json({ plans: await listPlans(c.env.DB, c.req.valid('query')) }, 200),
)

plans.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['plans'],
    security,
    request: { params: IdParam },
    responses: { 200: json(PlanDetail, 'The plan with its transfers, lots, requests and unmet explanations'), 404: json(ErrorBody, 'No such plan'), ...errors },
  }),
  async (c) => c.json(await getPlan(c.env.DB, c.req.valid('param').id), 200),
)

plans.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/commit',
    tags: ['plans'],
    security,
    summary: 'Commit every approved transfer of the plan at once (coordinator or admin)',
    description:
      'One D1 batch: the ledger transfer_out lines of all approved transfers, or nothing. 409 insufficient_stock names the transfer and lot ' +
      'when stock changed since planning; 409 below_floor names the transfer and station when a donor would go below the reserve the plan ' +
      'recorded (e.g. another plan took the spare units first); 409 request_covered when another commit already covers a request; each with ' +
      '`error.detail` naming the transfer, its stations and the lot or request. 409 plan_superseded when a newer plan covers the same requests ' +
      '(`detail.supersededBy`). ' +
      "The plan's proposals nobody approved are closed (status rejected, closeReason not_approved_at_commit) and listed in `closed`. " +
      'A retry with the same Idempotency-Key answers the same result and is applied once.',
    request: { params: IdParam, headers: IdempotencyHeader },
    responses: {
      200: json(CommitResult, 'Committed'),
      404: json(ErrorBody, 'No such plan'),
      409: json(ErrorBody, 'Nothing approved, stock changed, or key reused'),
      ...errors,
    },
  }),
  async (c) => {
    const result = await commitPlanTransfers(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('header')['idempotency-key'])
    if (isReplay(result)) c.header('Idempotent-Replayed', 'true')
    return c.json(result, 200)
  },
)

plans.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/approve',
    tags: ['plans'],
    security,
    summary: 'Approve every proposed transfer of the plan serving one request, or going to one station (coordinator or admin)',
    description: 'With `qtys` (transfer id → the quantity the reviewer saw), 409 qty_changed and nothing approved when any stored quantity differs.',
    request: { params: IdParam, body: body(BulkApprove) },
    responses: {
      200: json(z.object({ transfers: z.array(Transfer) }), "The plan's transfers after approval"),
      404: json(ErrorBody, 'No such plan'),
      409: json(ErrorBody, 'Nothing to approve'),
      ...errors,
    },
  }),
  async (c) => c.json({ transfers: await approveMany(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')) }, 200),
)
