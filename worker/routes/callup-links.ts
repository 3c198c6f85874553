import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { linkCtx } from '../link/donors'
import { body, IdParam, json } from '../schemas/common'
import { CallupLink, CallupLinkCreate, CallupLinkDecision, CallupLinkQuery } from '../schemas/donor-link'
import { askPeerCallup, declinePeerCallup, getCallupLink, issuePeerCallup, listCallupLinks } from '../services/donors/link'
import { errors as baseErrors, security } from './responses'

/** Call-ups of another province's donors, asked through its coordinator (docs/donors.md, "Across the link"). */
export const callupLinks = new OpenAPIHono<AppEnv>()
const errors = { ...baseErrors, 403: json(ErrorBody, 'Not allowed for this role or station') }

callupLinks.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['callups'],
    security,
    request: { query: CallupLinkQuery },
    description:
      "Call-up requests across the link: 'out' asked by this province, 'in' another province's asks for this province's donors; pending first. " +
      'Coordinators and admins all; a director the ones asked for their station. Not for planners.',
    responses: { 200: json(z.object({ requests: z.array(CallupLink) }), 'Requests'), ...errors },
  }),
  async (c) => c.json({ requests: await listCallupLinks(c.env.DB, c.var.actor, c.req.valid('query')) }, 200),
)

callupLinks.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['callups'],
    security,
    request: { body: body(CallupLinkCreate) },
    description:
      "Asks a linked province to call some of its donors for one of this province's aid requests (its station's director or a coordinator). " +
      "Sent as a 'callup.request' link message in the same batch; that province's coordinator issues or declines.",
    responses: {
      201: json(CallupLink, 'Asked'),
      404: json(ErrorBody, 'No such aid request'),
      409: json(ErrorBody, 'The request is closed, or this system is not linked'),
      ...errors,
    },
  }),
  async (c) => c.json(await askPeerCallup(c.env.DB, c.var.actor, linkCtx(c.env), c.req.valid('json')), 201),
)

callupLinks.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['callups'],
    security,
    request: { params: IdParam },
    responses: { 200: json(CallupLink, 'The request'), 404: json(ErrorBody, 'No such request'), ...errors },
  }),
  async (c) => c.json(await getCallupLink(c.env.DB, c.var.actor, c.req.valid('param').id), 200),
)

callupLinks.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/issue',
    tags: ['callups'],
    security,
    request: { params: IdParam, body: body(CallupLinkDecision) },
    description:
      "Issues another province's request in this province's own system (a coordinator or admin here): an aid request at the first donor's " +
      'home station and a call-up per donor, with every call-up guard (409 donor_deferred, donor_called, donor_not_matching…). The outcome travels back.',
    responses: {
      200: json(CallupLink, 'Issued'),
      404: json(ErrorBody, 'No such request from another province'),
      409: json(ErrorBody, 'Already decided, or a donor cannot be called'),
      ...errors,
    },
  }),
  async (c) => c.json(await issuePeerCallup(c.env.DB, c.var.actor, linkCtx(c.env), c.req.valid('param').id, c.req.valid('json')), 200),
)

callupLinks.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/decline',
    tags: ['callups'],
    security,
    request: { params: IdParam, body: body(CallupLinkDecision) },
    description: "Declines another province's request (a coordinator or admin here), saying why; the answer travels back.",
    responses: {
      200: json(CallupLink, 'Declined'),
      404: json(ErrorBody, 'No such request from another province'),
      409: json(ErrorBody, 'Already decided'),
      ...errors,
    },
  }),
  async (c) => c.json(await declinePeerCallup(c.env.DB, c.var.actor, linkCtx(c.env), c.req.valid('param').id, c.req.valid('json')), 200),
)
