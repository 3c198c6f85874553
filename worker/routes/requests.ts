import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { IdParam, json, OptionalIdempotencyHeader, body } from '../schemas/common'
import { AidRequest, AidRequestCancel, AidRequestCreate, AidRequestQuery } from '../schemas/request'
import { cancelRequest, createRequest, getRequest, listRequests } from '../services/requests'
import { errors as baseErrors, security } from './responses'

export const requests = new OpenAPIHono<AppEnv>()
const errors = {
  ...baseErrors,
  403: json(ErrorBody, 'Not allowed for this role or site'),
}

requests.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['requests'],
    security,
    request: { query: AidRequestQuery },
    description: 'Aid requests across the region, most urgent first (emergency, urgent, routine; then the soonest deadline).',
    responses: { 200: json(z.object({ requests: z.array(AidRequest) }), 'Aid requests'), ...errors },
  }),
  async (c) => c.json({ requests: await listRequests(c.env.DB, c.req.valid('query')) }, 200),
)

requests.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['requests'],
    security,
    request: { params: IdParam },
    responses: { 200: json(AidRequest, 'The aid request'), 404: json(ErrorBody, 'No such request'), ...errors },
  }),
  async (c) => c.json(await getRequest(c.env.DB, c.req.valid('param').id), 200),
)

requests.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['requests'],
    security,
    description:
      'A station asks for inter-city aid (急需调剂). Directors file for their own site; coordinators and admins for any. ' +
      'With an Idempotency-Key, a retry answers 200 with the request already filed.',
    request: { headers: OptionalIdempotencyHeader, body: body(AidRequestCreate) },
    responses: {
      201: json(AidRequest, 'Filed'),
      200: json(AidRequest, 'Already filed under this Idempotency-Key (Idempotent-Replayed: true)'),
      409: json(ErrorBody, 'Idempotency-Key reused with a different body'),
      ...errors,
    },
  }),
  async (c) => {
    const { request, created } = await createRequest(c.env.DB, c.var.actor, c.req.valid('json'), c.req.valid('header')['idempotency-key'])
    if (created) return c.json(request, 201)
    c.header('Idempotent-Replayed', 'true')
    return c.json(request, 200)
  },
)

requests.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/cancel',
    tags: ['requests'],
    security,
    description: "Cancels an open or planned request: the site's own director, or a coordinator or admin.",
    request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: AidRequestCancel } } } },
    responses: { 200: json(AidRequest, 'Cancelled'), 404: json(ErrorBody, 'No such request'), 409: json(ErrorBody, 'Not open or planned'), ...errors },
  }),
  async (c) => c.json(await cancelRequest(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json').reason), 200),
)
