import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { NationalEnv } from '../national-env'
import { ErrorBody } from '../errors'
import { json } from '../schemas/common'
import { NationalSummary } from '../schemas/national'
import { requireRole } from '../services/auth'
import { nationalSummary } from '../services/national-summary'
import { errors, security } from './responses'

export const national = new OpenAPIHono<NationalEnv>()

national.openapi(
  createRoute({
    method: 'get',
    path: '/summary',
    tags: ['national'],
    security,
    description:
      "Every province's summary (stations with warning levels, stock per component and group), read from each province's own database in parallel, with national totals. Planners, coordinators and admins.",
    responses: { 200: json(NationalSummary, 'Per province and national totals'), ...errors, 403: json(ErrorBody, 'Not a planner, coordinator or admin') },
  }),
  async (c) => {
    requireRole(c.var.actor, 'planner', 'coordinator', 'admin')
    return c.json(await nationalSummary(provinceBindings(c.env)), 200)
  },
)

/** The provinces named by NATIONAL_PROVINCES ({"GD": "Guangdong", …}), each with its binding DB_<code>. */
function provinceBindings(env: NationalEnv['Bindings']) {
  const named = JSON.parse(env.NATIONAL_PROVINCES ?? '{}') as Record<string, string>
  return Object.entries(named).map(([code, province]) => ({ code, province, db: env[`DB_${code}`] as D1Database | undefined }))
}
