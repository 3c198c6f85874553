import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody, forbidden } from '../errors'
import { body, IdempotencyHeader, IdParam, json } from '../schemas/common'
import {
  CommitResult,
  Transfer,
  TransferApprove,
  TransferCancel,
  TransferDispatch,
  TransferPatch,
  TransferQuery,
  TransferReceive,
  TransferReject,
} from '../schemas/transfer'
import {
  approveTransfer,
  cancelTransfer,
  commitOneTransfer,
  dispatchTransfer,
  editTransferQty,
  getTransfer,
  listTransfers,
  receiveTransfer,
  rejectTransfer,
  thawTransfer,
} from '../services/transfers'
import { requireSiteReader } from '../services/auth'
import { isReplay } from '../services/idempotency'
import { errors as baseErrors, security } from './responses'

export const transfers = new OpenAPIHono<AppEnv>()
const errors = {
  ...baseErrors,
  403: json(ErrorBody, 'Not allowed for this role or site'),
  404: json(ErrorBody, 'No such transfer'),
}
const transition = { 409: json(ErrorBody, "invalid_transition: not allowed from the transfer's current status") }
const one = json(Transfer, 'The transfer')

transfers.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['transfers'],
    security,
    request: { query: TransferQuery },
    responses: { 200: json(z.object({ transfers: z.array(Transfer) }), 'Transfers, newest first'), ...errors },
  }),
  async (c) => {
    const q = c.req.valid('query')
    if (q.site) await requireSiteReader(c.env.DB, c.var.actor, q.site)
    return c.json({ transfers: await listTransfers(c.env.DB, q) }, 200)
  },
)

transfers.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['transfers'], security, request: { params: IdParam }, responses: { 200: one, ...errors } }),
  async (c) => {
    const t = await getTransfer(c.env.DB, c.req.valid('param').id)
    const a = c.var.actor
    // a hospital's blood bank sees only the transfers to or from its own hospital
    if (a.role === 'hospital' && t.fromSite !== a.siteId && t.toSite !== a.siteId)
      throw forbidden(`Transfer ${t.id} does not concern your hospital ${a.siteId}`)
    return c.json(t, 200)
  },
)

transfers.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/approve',
    tags: ['transfers'],
    security,
    summary: 'proposed → approved (coordinator or admin)',
    description: 'With `qty` (the quantity the reviewer saw), 409 qty_changed unless it is the stored quantity: what the screen showed is what is approved.',
    request: { params: IdParam, body: { ...body(TransferApprove), required: false } },
    responses: { 200: one, ...transition, ...errors },
  }),
  async (c) => c.json(await approveTransfer(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')?.qty), 200),
)

transfers.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/reject',
    tags: ['transfers'],
    security,
    summary: 'proposed or approved → rejected, with a reason (coordinator or admin)',
    request: { params: IdParam, body: body(TransferReject) },
    responses: { 200: one, ...transition, ...errors },
  }),
  async (c) => c.json(await rejectTransfer(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json').reason), 200),
)

transfers.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['transfers'],
    security,
    summary: 'Change the quantity in review, 1 ≤ qty ≤ proposedQty (coordinator or admin)',
    description: 'Lot lines are rebuilt keeping the earliest-expiring lots, so lowering drops the latest-expiring units first.',
    request: { params: IdParam, body: body(TransferPatch) },
    responses: { 200: one, ...transition, ...errors },
  }),
  async (c) => c.json(await editTransferQty(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json').qty), 200),
)

transfers.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/commit',
    tags: ['transfers'],
    security,
    summary: 'approved → committed: ledger transfer_out from its lots, once (coordinator or admin)',
    request: { params: IdParam, headers: IdempotencyHeader },
    responses: { 200: json(CommitResult, 'Committed'), 409: json(ErrorBody, 'Not approved, insufficient_stock, or key reused'), ...errors },
  }),
  async (c) => {
    const result = await commitOneTransfer(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('header')['idempotency-key'])
    if (isReplay(result)) c.header('Idempotent-Replayed', 'true')
    return c.json(result, 200)
  },
)

transfers.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/thaw',
    tags: ['transfers'],
    security,
    summary: "Thaw the frozen red cells of a committed transfer before dispatch (the donor station's director, a coordinator or admin); audited",
    description:
      'Once. The thawed units keep 24 h: they arrive as a lot expiring 24 h after the thaw; if the transfer is cancelled they are discarded (reason "thawed, unused"), never refrozen. Dispatch refuses a frozen transfer not yet thawed (409 not_thawed).',
    request: { params: IdParam },
    responses: { 200: one, 409: json(ErrorBody, 'not_frozen, already_thawed, or not committed (invalid_transition)'), ...errors },
  }),
  async (c) => c.json(await thawTransfer(c.env.DB, c.var.actor, c.req.valid('param').id), 200),
)

transfers.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/dispatch',
    tags: ['transfers'],
    security,
    summary: 'committed → dispatched by the donor station (its director, a coordinator or admin), with the transport record',
    description:
      "The box temperature must be within the component's transport range (400 temperature_out_of_range otherwise: repack); packing, sealing and the carrier are optional.",
    request: { params: IdParam, body: body(TransferDispatch) },
    responses: { 200: one, ...transition, ...errors },
  }),
  async (c) => c.json(await dispatchTransfer(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')), 200),
)

transfers.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/cancel',
    tags: ['transfers'],
    security,
    summary: 'proposed/approved → rejected; committed → cancelled with the units returned to their source lots (coordinator or admin)',
    request: { params: IdParam, body: { ...body(TransferCancel), required: false } },
    responses: { 200: one, ...transition, ...errors },
  }),
  async (c) => c.json(await cancelTransfer(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')?.reason), 200),
)

transfers.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/receive',
    tags: ['transfers'],
    security,
    summary: "dispatched → received (the destination site's director, coordinator or admin)",
    description:
      'Units that arrived go into new lots at the destination (ledger transfer_in); qty − receivedQty is recorded as lost. Rejected units ' +
      "(rejectedQty with a reason, or all of them when temperatureC is outside the component's transport range) are discarded there at once " +
      '(ledger discard), never usable. Accepted units fulfil the served requests, most urgent first. A retry with the same key answers ' +
      'the stored result with Idempotent-Replayed: true.',
    request: { params: IdParam, headers: IdempotencyHeader, body: body(TransferReceive) },
    responses: { 200: one, ...transition, ...errors },
  }),
  async (c) => {
    const { transfer, replayed } = await receiveTransfer(
      c.env.DB,
      c.var.actor,
      c.req.valid('param').id,
      c.req.valid('header')['idempotency-key'],
      c.req.valid('json'),
    )
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(transfer, 200)
  },
)
