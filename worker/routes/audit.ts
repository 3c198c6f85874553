import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { AuditEntry, AuditQuery } from '../schemas/audit'
import { json } from '../schemas/common'
import { listAudit } from '../services/audit'
import { errors as baseErrors, security } from './responses'

export const audit = new OpenAPIHono<AppEnv>()

audit.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['audit'],
    security,
    request: { query: AuditQuery },
    description: 'Who decided what, and when, newest first. Coordinators and admins.',
    responses: { 200: json(z.object({ entries: z.array(AuditEntry) }), 'Audit entries'), ...baseErrors, 403: json(ErrorBody, 'Not a coordinator or admin') },
  }),
  async (c) => c.json({ entries: await listAudit(c.env.DB, c.var.actor, c.req.valid('query')) }, 200),
)
