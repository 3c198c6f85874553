import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, IdempotencyHeader, IdParam, json } from '../schemas/common'
import { Order, OrderCancel, OrderCreate, OrderDecline, OrderFill, OrderQuery, OrderReceive } from '../schemas/order'
import { cancelOrder, createOrder, declineOrder, fillOrder, getOrder, listOrders, receiveOrder } from '../services/orders'
import { errors as baseErrors, security } from './responses'

export const orders = new OpenAPIHono<AppEnv>()
const errors = {
  ...baseErrors,
  403: json(ErrorBody, 'Not your hospital’s or your station’s order, or not allowed for this role'),
  404: json(ErrorBody, 'No such order (or lot)'),
}
const transition = {
  409: json(ErrorBody, 'invalid_transition (not allowed from the order’s status), order_not_filled, lot_expired, or idempotency_key_reused'),
}
const one = json(Order, 'The order')
const replayedHeader = (c: { header: (k: string, v: string) => void }, replayed: boolean) => replayed && c.header('Idempotent-Replayed', 'true')

orders.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['orders'],
    security,
    summary: 'A hospital orders from its station: a routine order or an emergency call (the station’s director is alerted)',
    description:
      'The hospital’s blood bank (its own hospital; hospitalId defaults to it), or a coordinator/admin for any hospital. An emergency call is an ' +
      'event of urgency emergency in GET /api/events for the station’s director. A retry with the same Idempotency-Key answers the same order.',
    request: { headers: IdempotencyHeader, body: body(OrderCreate) },
    responses: { 201: json(Order, 'The order, open'), ...errors, ...transition },
  }),
  async (c) => {
    const { order, replayed } = await createOrder(c.env.DB, c.var.actor, c.req.valid('json'), c.req.valid('header')['idempotency-key'])
    replayedHeader(c, replayed)
    return c.json(order, 201)
  },
)

orders.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['orders'],
    security,
    summary: 'Orders, newest first',
    description: 'A hospital user: its own hospital’s (the default). A director: their station’s (the default). Coordinators, planners, admins: any.',
    request: { query: OrderQuery },
    responses: { 200: json(z.object({ orders: z.array(Order) }), 'Orders'), ...errors },
  }),
  async (c) => c.json({ orders: await listOrders(c.env.DB, c.var.actor, c.req.valid('query')) }, 200),
)

orders.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['orders'], security, request: { params: IdParam }, responses: { 200: one, ...errors } }),
  async (c) => c.json(await getOrder(c.env.DB, c.var.actor, c.req.valid('param').id), 200),
)

orders.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/fill',
    tags: ['orders'],
    security,
    summary: 'open → filled: the station’s issue to the hospital (its director, a coordinator or admin)',
    description:
      'Writes a transfer station → hospital, dispatched, with the box’s transport record, and takes the units from the station’s lots (ledger ' +
      'transfer_out): the lots given, summing to the order’s qty, or first-expiring first. 400 field qty (insufficient_stock) when the station ' +
      'holds fewer usable units than the order asks; 400 temperatureC when the box is out of the component’s transport range. Once per key.',
    request: { params: IdParam, headers: IdempotencyHeader, body: body(OrderFill) },
    responses: { 200: one, ...errors, ...transition },
  }),
  async (c) => {
    const { order, replayed } = await fillOrder(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json'), c.req.valid('header')['idempotency-key'])
    replayedHeader(c, replayed)
    return c.json(order, 200)
  },
)

orders.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/decline',
    tags: ['orders'],
    security,
    summary: 'open → declined, with a reason (the station’s director, a coordinator or admin)',
    request: { params: IdParam, body: body(OrderDecline) },
    responses: { 200: one, ...errors, ...transition },
  }),
  async (c) => c.json(await declineOrder(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json').reason), 200),
)

orders.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/cancel',
    tags: ['orders'],
    security,
    summary: 'open → cancelled (the ordering hospital, a coordinator or admin)',
    request: { params: IdParam, body: { ...body(OrderCancel), required: false } },
    responses: { 200: one, ...errors, ...transition },
  }),
  async (c) => c.json(await cancelOrder(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')?.reason ?? ''), 200),
)

orders.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/receive',
    tags: ['orders'],
    security,
    summary: 'filled → received: the hospital takes in the box (in full, short or rejected, with its temperature)',
    description:
      'Exactly POST /api/transfers/{transferId}/receive for the order’s transfer: units that arrived go into new lots at the hospital ' +
      '(ledger transfer_in), qty − receivedQty is recorded as lost, rejected units (all of them when the box is out of range) are discarded ' +
      'there. 409 order_not_filled for an order the station has not filled.',
    request: { params: IdParam, headers: IdempotencyHeader, body: body(OrderReceive) },
    responses: { 200: one, ...errors, ...transition },
  }),
  async (c) => {
    const { order, replayed } = await receiveOrder(
      c.env.DB,
      c.var.actor,
      c.req.valid('param').id,
      c.req.valid('header')['idempotency-key'],
      c.req.valid('json'),
    )
    replayedHeader(c, replayed)
    return c.json(order, 200)
  },
)
