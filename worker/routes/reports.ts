import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { json } from '../schemas/common'
import { SupplyReport, SupplyReportQuery } from '../schemas/report'
import { supplyReport, supplyReportCsv } from '../services/reports'
import { errors, security } from './responses'

export const reports = new OpenAPIHono<AppEnv>()

reports.openapi(
  createRoute({
    method: 'get',
    path: '/supply',
    tags: ['reports'],
    security,
    request: { query: SupplyReportQuery },
    description:
      "A station's supply analysis for a range of days in China time (default: the last full quarter; at most 366 days): units collected " +
      '(receipts) and estimated donations, the donation rate per 1,000 people served, units supplied to, returned by and discarded or expired at each ' +
      "hospital by component, the station's own discards, and days at each warning level. format=csv gives the same figures as CSV. " +
      "The station's director, coordinators and admins.",
    responses: {
      200: {
        description: 'The report (JSON), or the same as CSV with format=csv',
        content: { 'application/json': { schema: SupplyReport }, 'text/csv': { schema: z.string() } },
      },
      ...errors,
      403: json(ErrorBody, "Another station's director, or a role that does not read reports"),
      404: json(ErrorBody, 'Unknown site (field site)'),
    },
  }),
  async (c) => {
    const q = c.req.valid('query')
    const rep = await supplyReport(c.env.DB, c.var.actor, q)
    if (q.format === 'csv')
      return c.body(supplyReportCsv(rep, q.lang), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="supply-${rep.site.id}-${rep.period.from}-${rep.period.to}.csv"`,
      })
    return c.json(rep, 200)
  },
)
