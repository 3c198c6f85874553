import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { json } from '../schemas/common'
import { LinkMessage, LinkMessagesQuery, LinkOutcome } from '../schemas/link'
import { ProvinceSummary } from '../schemas/province'
import { listLinkMessages, receiveLinkMessage, summaryForPeer } from '../services/link'
import { errors as baseErrors, security } from './responses'

/** The link between provincial systems (issue 24): what a peer province calls (signed), and the admins' view. */
export const link = new OpenAPIHono<AppEnv>()

// Signed by the peer province instead of a bearer token (worker/link/signature.ts)
const signed = [{ link: [] }]
const linkHeaders = (c: Context<AppEnv>) => ({
  from: c.req.header('x-link-from'),
  timestamp: c.req.header('x-link-timestamp'),
  signature: c.req.header('x-link-signature'),
})
const linkErrors = {
  400: json(ErrorBody, 'Not a link message: `field` names what is at fault (nothing is written)'),
  401: json(ErrorBody, 'link_refused: unknown sender, bad signature, or a timestamp more than 5 minutes off (nothing is written)'),
}

link.openapi(
  createRoute({
    method: 'post',
    path: '/inbox',
    tags: ['link'],
    security: signed,
    description:
      'A message from a peer province, `{id, from, to, kind, body, at}` signed with HMAC-SHA256 over `from\\ntimestamp\\nbody` ' +
      '(X-Link-From, X-Link-Timestamp, X-Link-Signature). Applied once by its id: a known id answers replay. A body its ' +
      'kind refuses, or an unknown kind, is kept as rejected and answered 200 rejected, so the sender stops retrying it.',
    responses: {
      200: json(LinkOutcome, 'Applied, a replay, or kept as rejected'),
      ...linkErrors,
      413: baseErrors[413],
      503: json(ErrorBody, 'link_busy: a transient failure (D1 busy); the sender retries'),
    },
  }),
  async (c) => c.json(await receiveLinkMessage(c.env, linkHeaders(c), await c.req.text()), 200),
)

link.openapi(
  createRoute({
    method: 'get',
    path: '/summary',
    tags: ['link'],
    security: signed,
    description:
      "This province's summary for a peer (signed like the inbox, over an empty body): stations with levels, stock totals; no lots, donors or users.",
    responses: { 200: json(ProvinceSummary, "This province's summary"), ...linkErrors },
  }),
  async (c) => c.json(await summaryForPeer(c.env, linkHeaders(c)), 200),
)

link.openapi(
  createRoute({
    method: 'get',
    path: '/messages',
    tags: ['link'],
    security,
    request: { query: LinkMessagesQuery },
    description: 'Link messages both ways (outbox and inbox), rejected first, then pending, then newest. Admins.',
    responses: { 200: json(z.object({ messages: z.array(LinkMessage) }), 'Link messages'), ...baseErrors, 403: json(ErrorBody, 'Not an admin') },
  }),
  async (c) => c.json({ messages: await listLinkMessages(c.env.DB, c.var.actor, c.req.valid('query').limit) }, 200),
)
