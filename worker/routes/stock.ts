import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { json } from '../schemas/common'
import { Lot, LotQuery, RareQuery, StockQuery, StockRow, StockSummary, SummaryQuery } from '../schemas/stock'
import { findRare, listLots, stockRows, stockSummary } from '../services/stock'
import { requireSiteReader } from '../services/auth'
import { errors as baseErrors, security } from './responses'

export const stock = new OpenAPIHono<AppEnv>()
const errors = { ...baseErrors }

stock.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['stock'],
    security,
    request: { query: StockQuery },
    description:
      'Stock per site × component × ABO/RhD with days of supply and warning level. Any role; hospitals only by site=<hospital id> ' +
      '(its own blood bank, the director of its station, a coordinator, planner or admin).',
    responses: { 200: json(z.object({ rows: z.array(StockRow) }), 'Stock rows'), ...errors },
  }),
  async (c) => {
    const q = c.req.valid('query')
    if (q.site) await requireSiteReader(c.env.DB, c.var.actor, q.site)
    return c.json({ rows: await stockRows(c.env.DB, q) }, 200)
  },
)

stock.openapi(
  createRoute({
    method: 'get',
    path: '/summary',
    tags: ['stock'],
    security,
    request: { query: SummaryQuery },
    description: 'Region-wide totals per component × group and site counts per warning level.',
    responses: { 200: json(StockSummary, 'Summary'), ...errors },
  }),
  async (c) => c.json(await stockSummary(c.env.DB, c.req.valid('query').province), 200),
)

stock.openapi(
  createRoute({
    method: 'get',
    path: '/lots',
    tags: ['stock'],
    security,
    request: { query: LotQuery },
    description: 'Lots, soonest expiry first. By default only in-date lots with stock.',
    responses: { 200: json(z.object({ lots: z.array(Lot) }), 'Lots'), ...errors },
  }),
  async (c) => {
    const q = c.req.valid('query')
    if (q.site) await requireSiteReader(c.env.DB, c.var.actor, q.site)
    return c.json({ lots: await listLots(c.env.DB, q) }, 200)
  },
)

stock.openapi(
  createRoute({
    method: 'get',
    path: '/rare',
    tags: ['stock'],
    security,
    request: { query: RareQuery },
    description: 'Rare units region-wide by antigen (e.g. Fy(a-)) and/or RhD: in-date lots with stock, with their site.',
    responses: { 200: json(z.object({ lots: z.array(Lot) }), 'Matching lots'), ...errors },
  }),
  async (c) => c.json({ lots: await findRare(c.env.DB, c.req.valid('query')) }, 200),
)
