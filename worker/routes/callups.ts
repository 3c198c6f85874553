import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, IdParam, json } from '../schemas/common'
import { Callup, CallupCreate, CallupMove, CallupQuery } from '../schemas/donor'
import { createCallups, getCallup, listCallups, moveCallup } from '../services/donors/callups'
import { linkCtx } from '../link/donors'
import { errors as baseErrors, security } from './responses'

export const callups = new OpenAPIHono<AppEnv>()
const errors = { ...baseErrors, 403: json(ErrorBody, 'Not allowed for this role or station') }

callups.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['callups'],
    security,
    request: { query: CallupQuery },
    description: "Call-ups a coordinator sees, or a director's own (collected at or asked for by their station), newest first. Not for planners.",
    responses: { 200: json(z.object({ callups: z.array(Callup) }), 'Call-ups'), ...errors },
  }),
  async (c) => c.json({ callups: await listCallups(c.env.DB, c.var.actor, c.req.valid('query')) }, 200),
)

callups.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['callups'],
    security,
    request: { body: body(CallupCreate) },
    description:
      "Calls pool donors for an aid request (a coordinator, or the requesting station's director). Each donor must match, consent, " +
      'not be on the joint deferral list and have no live call-up.',
    responses: {
      201: json(z.object({ callups: z.array(Callup) }), 'Asked'),
      404: json(ErrorBody, 'No such request'),
      409: json(ErrorBody, 'Donor deferred, not matching, without consent or already called; request closed'),
      ...errors,
    },
  }),
  async (c) => c.json({ callups: await createCallups(c.env.DB, c.var.actor, c.req.valid('json')) }, 201),
)

callups.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['callups'],
    security,
    request: { params: IdParam },
    responses: { 200: json(Callup, 'The call-up'), 404: json(ErrorBody, 'No such call-up'), ...errors },
  }),
  async (c) => c.json(await getCallup(c.env.DB, c.var.actor, c.req.valid('param').id), 200),
)

callups.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/status',
    tags: ['callups'],
    security,
    request: { params: IdParam, body: body(CallupMove) },
    description:
      'asked → scheduled (scheduledAt) → donated (donatedAt; the intervals must allow it) → released (a new lot at the collecting station, ' +
      "which the next plan can send); asked or scheduled → declined; asked, scheduled or donated → deferred. The collecting station's director, or a coordinator.",
    responses: {
      200: json(Callup, 'Moved'),
      404: json(ErrorBody, 'No such call-up'),
      409: json(ErrorBody, 'invalid_transition, donor_deferred, interval_not_met, already_released'),
      ...errors,
    },
  }),
  async (c) => c.json(await moveCallup(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json'), linkCtx(c.env)), 200),
)
