import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { json } from '../schemas/common'
import { Actor } from '../schemas/user'
import { errors as baseErrors, security } from './responses'

export const me = new OpenAPIHono<AppEnv>()

me.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['auth'],
    security,
    description: 'Who the bearer token belongs to.',
    responses: { 200: json(Actor, 'The signed-in user'), ...baseErrors },
  }),
  (c) => c.json(c.var.actor, 200),
)
