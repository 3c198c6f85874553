import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, json } from '../schemas/common'
import { errors, security } from './responses'
import { CsvInvalid } from '../schemas/csv'
import { RoadTime, RoadTimeImportResult, RoadTimeKey, RoadTimeList, RoadTimePut, RoadTimeQuery } from '../schemas/road-time'
import { CsvError } from '../services/csv'
import { deleteRoadTime, exportRoadTimesCsv, importRoadTimesCsv, listRoadTimes, putRoadTime } from '../services/road-times'

export const roadTimes = new OpenAPIHono<AppEnv>()
const forbidden = { 403: json(ErrorBody, 'Not an admin') }
const csvText = (description: string) => ({ description, content: { 'text/csv': { schema: z.string() } } })

roadTimes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['road-times'],
    security,
    request: { query: RoadTimeQuery },
    description: 'Road times between sites (hours by car), and the pairs without one, which plans estimate (great-circle km × 1.3 ÷ 60 km/h).',
    responses: { 200: json(RoadTimeList, 'Road times'), ...errors },
  }),
  async (c) => c.json(await listRoadTimes(c.env.DB, c.req.valid('query')), 200),
)

roadTimes.openapi(
  createRoute({
    method: 'put',
    path: '/',
    tags: ['road-times'],
    security,
    request: { body: body(RoadTimePut) },
    description: 'Sets the road time of a pair, both ways unless bothWays is false. Admin; audited.',
    responses: { 200: json(z.object({ roadTimes: z.array(RoadTime) }), 'As stored'), ...errors, ...forbidden },
  }),
  async (c) => c.json({ roadTimes: await putRoadTime(c.env.DB, c.var.actor, c.req.valid('json')) }, 200),
)

roadTimes.openapi(
  createRoute({
    method: 'delete',
    path: '/',
    tags: ['road-times'],
    security,
    request: { query: RoadTimeKey },
    description: 'Removes a pair (both ways unless bothWays=false): plans estimate it again. Admin; audited.',
    responses: { 200: json(z.object({ deleted: z.number().int() }), 'Removed'), ...errors, ...forbidden, 404: json(ErrorBody, 'No such pair') },
  }),
  async (c) => c.json(await deleteRoadTime(c.env.DB, c.var.actor, c.req.valid('query')), 200),
)

roadTimes.openapi(
  createRoute({
    method: 'get',
    path: '/csv',
    tags: ['road-times'],
    security,
    description: 'The road table as CSV: from_site, to_site, hours, note (one direction per row), importable back.',
    responses: { 200: csvText('Road times'), ...errors },
  }),
  async (c) => c.body(await exportRoadTimesCsv(c.env.DB), 200, { 'content-type': 'text/csv; charset=utf-8' }),
)

roadTimes.openapi(
  createRoute({
    method: 'post',
    path: '/csv',
    tags: ['road-times'],
    security,
    request: { body: { required: true, ...csvText('from_site, to_site, hours[, note], with a header row; one direction per row') } },
    description: 'Imports road times (upserts each row). Any bad row: 400 invalid_csv listing every row, nothing applied. Admin; audited.',
    responses: {
      200: json(RoadTimeImportResult, 'Applied'),
      ...errors,
      400: json(CsvInvalid.or(ErrorBody), 'invalid_csv with rows[], or invalid_input'),
      ...forbidden,
    },
  }),
  async (c) => {
    try {
      return c.json(await importRoadTimesCsv(c.env.DB, c.var.actor, await c.req.text()), 200)
    } catch (e) {
      if (e instanceof CsvError) return c.json({ error: { code: 'invalid_csv' as const, message: e.message }, rows: e.rows }, 400)
      throw e
    }
  },
)
