import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, json, SiteParam } from '../schemas/common'
import { Site, SiteCreate, SitePatch, SiteQuery } from '../schemas/site'
import { createSite, editSite, getSite, listSites } from '../services/sites'
import { z } from '@hono/zod-openapi'
import { errors as baseErrors, security } from './responses'
import { provinceOf } from '../link/config'

export const sites = new OpenAPIHono<AppEnv>()
const errors = {
  ...baseErrors,
  403: json(ErrorBody, 'Not allowed for this role'),
}

sites.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['sites'],
    security,
    request: { query: SiteQuery },
    responses: { 200: json(z.object({ sites: z.array(Site) }), 'Sites'), ...errors },
  }),
  async (c) => c.json({ sites: await listSites(c.env.DB, c.req.valid('query')) }, 200),
)

sites.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['sites'],
    security,
    request: { params: SiteParam },
    responses: { 200: json(Site, 'The site'), 404: json(ErrorBody, 'No such site'), ...errors },
  }),
  async (c) => c.json(await getSite(c.env.DB, c.req.valid('param').id), 200),
)

sites.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['sites'],
    security,
    request: { body: body(SiteCreate) },
    responses: { 201: json(Site, 'Created'), 409: json(ErrorBody, 'Id taken'), ...errors },
  }),
  async (c) => c.json(await createSite(c.env.DB, c.var.actor, c.req.valid('json'), provinceOf(c.env)), 201),
)

sites.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['sites'],
    security,
    request: { params: SiteParam, body: body(SitePatch) },
    responses: { 200: json(Site, 'Updated'), 404: json(ErrorBody, 'No such site'), ...errors },
  }),
  async (c) => c.json(await editSite(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json'), provinceOf(c.env)), 200),
)
