import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, IsoDateTime, Rhd, SiteId } from './common'
import { LotId } from './movement'
import { TransferDispatch, TransferReceive } from './transfer'

// A hospital's order to its station (issue 23): a routine order or an emergency call. Filling it is the station's
// issue to the hospital: a transfer station → hospital, written dispatched with its transport record, that the
// hospital receives like any transfer (POST /api/transfers/{id}/receive, or POST /api/orders/{id}/receive).

export const ORDER_KINDS = ['routine', 'emergency'] as const
export const ORDER_STATUSES = ['open', 'filled', 'received', 'cancelled', 'declined'] as const
export const OrderKind = z.enum(ORDER_KINDS).openapi({ description: 'routine order, or emergency call (raises an alert at the station)', example: 'emergency' })
export const OrderStatus = z.enum(ORDER_STATUSES).openapi({
  description:
    'open → filled (the station dispatched it) → received (the hospital took it in); open → cancelled (by the hospital) or declined (by the station, with a reason)',
})

export const OrderCreate = z
  .object({
    hospitalId: SiteId.optional().openapi({ description: "the ordering hospital; a hospital user's own by default" }),
    kind: OrderKind.default('routine'),
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    qty: z.number().int().min(1).max(1000).openapi({ description: 'units (therapeutic doses for PLT, 100 mL units for FFP)', example: 4 }),
    neededBy: IsoDateTime.openapi({ description: 'when the units must be at the hospital' }),
    note: z.string().trim().max(500).default(''),
  })
  .strict()
  .openapi('OrderCreate')
export type OrderCreateT = z.infer<typeof OrderCreate>

export const Order = z
  .object({
    id: z.string(),
    hospitalId: z.string(),
    hospitalNameZh: z.string(),
    hospitalNameEn: z.string(),
    stationId: z.string().openapi({ description: 'the station that supplies the hospital (its parent site)' }),
    kind: OrderKind,
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    qty: z.number().int(),
    neededBy: z.string(),
    note: z.string(),
    status: OrderStatus,
    transferId: z.string().nullable().openapi({ description: 'the transfer that fills it (set once filled)' }),
    transferStatus: z.string().nullable().openapi({ description: 'dispatched or received' }),
    receivedQty: z.number().int().nullable(),
    reason: z.string().nullable().openapi({ description: 'why it was cancelled or declined' }),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    decidedBy: z.string().nullable().openapi({ description: 'who filled, cancelled or declined it' }),
    decidedAt: z.string().nullable(),
    stationOnHand: z.number().int().openapi({ description: 'usable units of this component and group the station holds now (what a fill can draw on)' }),
  })
  .openapi('HospitalOrder')
export type OrderT = z.infer<typeof Order>

export const OrderQuery = z.object({
  hospital: SiteId.optional().openapi({ description: "a hospital's orders (a hospital user: only its own, the default)" }),
  station: SiteId.optional().openapi({ description: 'orders to a station (a director: only their own, the default)' }),
  status: OrderStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
})
export type OrderQueryT = z.infer<typeof OrderQuery>

export const OrderFill = TransferDispatch.extend({
  lots: z
    .array(z.object({ lotId: LotId, qty: z.number().int().min(1).max(1000) }).strict())
    .min(1)
    .max(50)
    .optional()
    .openapi({ description: "the station's lots to send, summing to the order's qty; without it, first-expiring first (FEFO)" }),
})
  .strict()
  .openapi('OrderFill', { description: "The station's issue to the hospital: a transfer written dispatched, with the box's transport record" })
export type OrderFillT = z.infer<typeof OrderFill>

export const OrderDecline = z
  .object({ reason: z.string().trim().min(1, 'Say why the order is declined').max(500) })
  .strict()
  .openapi('OrderDecline')

export const OrderCancel = z
  .object({ reason: z.string().trim().max(500).default('') })
  .strict()
  .openapi('OrderCancel')

/** The hospital's receipt of a filled order: exactly a transfer receipt (full / short / rejected, box temperature). */
export const OrderReceive = TransferReceive
