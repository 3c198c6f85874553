import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { json } from '../schemas/common'
import { errors as baseErrors, security } from './responses'

export const me = new OpenAPIHono<AppEnv>()

const Actor = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(['coordinator', 'director', 'planner', 'admin']),
    siteId: z.string().nullable().openapi({ description: 'The site a director runs; null for province-wide roles' }),
  })
  .openapi('Actor')

me.openapi(
  createRoute({ method: 'get', path: '/', tags: ['auth'], security, description: 'Who the bearer token belongs to.',
    responses: { 200: json(Actor, 'The signed-in user'), ...baseErrors } }),
  (c) => c.json(c.var.actor, 200),
)
