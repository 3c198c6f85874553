import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { json } from '../schemas/common'
import { EventPage, EventQuery } from '../schemas/event'
import { listEvents } from '../services/events'
import { errors as baseErrors, security } from './responses'

export const events = new OpenAPIHono<AppEnv>()

events.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['events'],
    security,
    request: { query: EventQuery },
    summary: 'What changed since a cursor: new and changed aid requests, transfers and plans (poll it)',
    description:
      'Clients poll with the last cursor every few seconds (the UI every 5 s). A director sees the events of their own station. ' +
      'Without `since` the answer holds no events and the current cursor.',
    responses: { 200: json(EventPage, 'Events, oldest first, and the cursor to poll from next'), ...baseErrors },
  }),
  async (c) => c.json(await listEvents(c.env.DB, c.var.actor, c.req.valid('query')), 200),
)
