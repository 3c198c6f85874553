import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, IdempotencyHeader, json, SiteParam } from '../schemas/common'
import { HospitalReturn, HospitalsQuery, HospitalsView } from '../schemas/hospital'
import { LocalTransfer } from '../schemas/network'
import { hospitalsView } from '../services/hospital-figures'
import { returnToStation } from '../services/network'
import { errors as baseErrors, security } from './responses'

export const hospitals = new OpenAPIHono<AppEnv>()
const errors = {
  ...baseErrors,
  403: json(ErrorBody, 'Not your station (a director), or a hospital user'),
  404: json(ErrorBody, 'No such station or lot'),
}

hospitals.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['hospitals'],
    security,
    summary: "A station's hospitals beside the station and its storage points: stock, days of supply, level, open orders",
    description:
      'Per site and component: usable units, units expiring within 72 h, average daily use over 14 days (a hospital’s transfusions, a ' +
      'station’s issues), days of supply (null without use) and the level by the province’s warning thresholds. Hospitals sorted by risk: ' +
      'lowest red-cell days of supply first. A director: their own station (the default); coordinator, planner, admin: any.',
    request: { query: HospitalsQuery },
    responses: { 200: json(HospitalsView, 'The station, its storage points and its hospitals'), ...errors },
  }),
  async (c) => c.json(await hospitalsView(c.env.DB, c.var.actor, c.req.valid('query').station), 200),
)

hospitals.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/returns',
    tags: ['hospitals'],
    security,
    summary: 'A hospital returns units to its station (the hospital’s blood bank, a coordinator or admin)',
    description:
      'A local transfer hospital → station, received at once: transfer_out from the hospital’s lot, a new lot at the station with transfer_in, ' +
      'and the audit row, in one batch. Never below zero (409 insufficient_stock); a retry with the same Idempotency-Key answers the same transfer.',
    request: { params: SiteParam, headers: IdempotencyHeader, body: body(HospitalReturn) },
    responses: {
      201: json(LocalTransfer, 'Returned (or the stored result of a retry)'),
      ...errors,
      409: json(ErrorBody, 'insufficient_stock, lot_expired, idempotency_key_reused'),
    },
  }),
  async (c) => {
    const { transfer, replayed } = await returnToStation(
      c.env.DB,
      c.var.actor,
      c.req.valid('param').id,
      c.req.valid('json'),
      c.req.valid('header')['idempotency-key'],
    )
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(transfer, 201)
  },
)
