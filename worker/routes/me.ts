import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { provinceOf } from '../link/config'
import { json } from '../schemas/common'
import { Actor } from '../schemas/user'
import { errors as baseErrors, security } from './responses'

export const me = new OpenAPIHono<AppEnv>()

const Me = Actor.extend({ province: z.string().nullable().openapi({ description: 'the province this system serves (issue 24)', example: 'Sichuan' }) }).openapi(
  'Me',
)

me.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['auth'],
    security,
    description: 'Who the bearer token belongs to, and the province whose system this is (null in the one-region mode).',
    responses: { 200: json(Me, 'The signed-in user'), ...baseErrors },
  }),
  (c) => {
    const { id, name, role, siteId } = c.var.actor
    return c.json({ id, name, role, siteId, province: provinceOf(c.env) }, 200)
  },
)
