import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, IdempotencyHeader, json, SiteParam } from '../schemas/common'
import { errors, security } from './responses'
import { Hospital, HospitalCreate, HospitalDemand, LocalTransfer, LocalTransferIn, Network } from '../schemas/network'
import { addHospital, getNetwork, hospitalDemand, listHospitals, localTransfer } from '../services/network'

export const network = new OpenAPIHono<AppEnv>()
const siteErrors = { ...errors, 404: json(ErrorBody, 'No such site') }

network.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['network'],
    security,
    request: { params: SiteParam },
    description:
      "A station's network (a storage point answers its station's): storage points (储血点), hospitals, and stock totals — the station's own, its storage points', and both; " +
      "`supply`: days of supply of the prefecture, its hospitals' stock counted with the station's over the station's demand, and each apart (issue 23).",
    responses: { 200: json(Network, 'The network'), ...siteErrors },
  }),
  async (c) => c.json(await getNetwork(c.env.DB, c.req.valid('param').id), 200),
)

network.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/hospitals',
    tags: ['network'],
    security,
    request: { params: SiteParam },
    description: "The station's register of hospitals; an issue names one (hospitalId).",
    responses: { 200: json(z.object({ stationId: z.string(), hospitals: z.array(Hospital) }), 'Hospitals'), ...siteErrors },
  }),
  async (c) => c.json(await listHospitals(c.env.DB, c.req.valid('param').id), 200),
)

network.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/hospitals',
    tags: ['network'],
    security,
    request: { params: SiteParam, body: body(HospitalCreate) },
    description: "Adds a hospital to the station's register: its director, a coordinator or an admin; audited.",
    responses: {
      201: json(Hospital, 'Added'),
      ...siteErrors,
      403: json(ErrorBody, 'Not a writer for this station'),
      409: json(ErrorBody, 'The station has a hospital of that name'),
    },
  }),
  async (c) => c.json(await addHospital(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')), 201),
)

network.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/demand',
    tags: ['network'],
    security,
    request: { params: SiteParam },
    description:
      'Demand history by hospital over the last 14 days at the station and its storage points: the issues that days of supply divides by, hospital by hospital.',
    responses: { 200: json(HospitalDemand, 'Demand by hospital'), ...siteErrors },
  }),
  async (c) => c.json(await hospitalDemand(c.env.DB, c.req.valid('param').id), 200),
)

network.openapi(
  createRoute({
    method: 'post',
    path: '/transfers',
    tags: ['network'],
    security,
    request: { headers: IdempotencyHeader, body: body(LocalTransferIn) },
    description:
      'Moves units between a station and one of its storage points: an ordinary transfer, received at once, needing no plan and no coordinator ' +
      '(the director of either end). One batch: the transfer, transfer_out, the new lot with transfer_in, and the audit row. A retry with the same key answers the same transfer.',
    responses: {
      201: json(LocalTransfer, 'Moved (or the stored result of a retry)'),
      ...errors,
      400: json(ErrorBody, 'Invalid input, or not a station and its storage point (not_local)'),
      403: json(ErrorBody, 'Not a writer for either end'),
      404: json(ErrorBody, 'No such lot'),
      409: json(ErrorBody, 'insufficient_stock, lot_expired, idempotency_key_reused'),
    },
  }),
  async (c) => {
    const { transfer, replayed } = await localTransfer(c.env.DB, c.var.actor, c.req.valid('json'), c.req.valid('header')['idempotency-key'])
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(transfer, 201)
  },
)
