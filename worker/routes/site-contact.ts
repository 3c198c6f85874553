import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, json } from '../schemas/common'
import { setSilenceLimit, siteContact } from '../services/site-contact'
import { errors as baseErrors, security } from './responses'

export const siteContactRoutes = new OpenAPIHono<AppEnv>()

const Kind = z.enum(['center', 'station', 'storage'])
const Limit = z.object({ kind: Kind, hours: z.number() })
const SiteContact = z
  .object({
    siteId: z.string(),
    kind: Kind,
    lastStockReportAt: z.string().nullable().openapi({ description: 'The last ledger line at the site (receipt, issue, discard, count, transfer)' }),
    lastContactAt: z.string().nullable().openapi({ description: 'The later of the last stock report and the last sign-in of a user of the site' }),
    silentHours: z.number().nullable().openapi({ description: 'Hours since the last contact (null: never heard from)' }),
    limitHours: z.number().openapi({ description: "The site kind's silence limit, in hours" }),
    silent: z.boolean().openapi({ description: 'Silent for longer than the limit, or never heard from' }),
  })
  .openapi('SiteContact')

siteContactRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['sites'],
    security,
    summary: "Each site's last contact and last stock report, and which are silent",
    responses: { 200: json(z.object({ at: z.string(), limits: z.array(Limit), sites: z.array(SiteContact) }), 'Per site'), ...baseErrors },
  }),
  async (c) => c.json(await siteContact(c.env.DB), 200),
)

siteContactRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/limits/{kind}',
    tags: ['sites'],
    security,
    summary: 'Set the silence limit for a site kind (coordinator, admin)',
    request: {
      params: z.object({ kind: Kind.openapi({ param: { name: 'kind', in: 'path' } }) }),
      body: body(z.object({ hours: z.number().positive().max(720) }).strict()),
    },
    responses: { 200: json(Limit, 'The new limit'), ...baseErrors, 403: json(ErrorBody, 'Not a coordinator or admin') },
  }),
  async (c) => c.json(await setSilenceLimit(c.env.DB, c.var.actor, c.req.valid('param').kind, c.req.valid('json').hours), 200),
)
