import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, IsoDateTime, Rhd, SiteId, Urgency } from './common'
import { RhPositiveConsent } from './request'
import { TRANSFER_STATUSES } from '../../solver/domain'

export const TransferStatus = z.enum(TRANSFER_STATUSES).openapi({
  description:
    'proposed → approved | rejected; approved → proposed | rejected | committed; committed → dispatched | cancelled; dispatched → received. ' +
    'Stock leaves the source lots at commit (ledger transfer_out) and arrives at receipt (transfer_in into new lots).',
})

export const TransferLotLine = z
  .object({
    lotId: z.string(),
    qty: z.number().int().openapi({ description: 'units taken from this source lot' }),
    expiresAt: z.string().nullable(),
    frozen: z.boolean().openapi({ description: 'a frozen red-cell lot: its units are thawed before dispatch' }),
  })
  .openapi('TransferLotLine')

export const TransferRequestLine = z
  .object({
    requestId: z.string(),
    qty: z.number().int().openapi({ description: 'units of this transfer that serve the aid request' }),
    siteId: SiteId.openapi({ description: 'the station that asked' }),
    urgency: Urgency,
    neededBy: z.string().nullable(),
    antigens: z.string().openapi({ description: "the rare antigen profile asked for; '' when none" }),
    reason: z.string().openapi({ description: 'why the station asked (the patient or shortage)' }),
    requestQty: z.number().int().openapi({ description: 'units the request asked for in all' }),
    requestStatus: z.string(),
    rhPositiveConsent: RhPositiveConsent.nullable().openapi({
      description: 'the consent record when the request accepts RhD-positive units for an RhD-negative patient',
    }),
  })
  .openapi('TransferRequestLine', { description: 'An aid request this transfer serves: whom the units are for' })

export const TransportDispatch = z
  .object({
    temperatureC: z.number(),
    packedAt: z.string().nullable(),
    sealedAt: z.string().nullable(),
    carrier: z.string().nullable(),
    inRange: z.boolean(),
    note: z.string().nullable(),
    by: z.string(),
    at: z.string(),
  })
  .openapi('TransportDispatch')

export const TransportReceipt = z
  .object({
    temperatureC: z.number(),
    arrivedAt: z.string().nullable(),
    sealIntact: z.boolean().nullable(),
    acceptedQty: z.number().int().openapi({ description: 'units put into usable stock at the receiving station' }),
    rejectedQty: z.number().int().openapi({ description: 'units that arrived but were discarded (ledger: discard at the receiving station)' }),
    rejectReason: z.string().nullable(),
    inRange: z.boolean().openapi({ description: "the box temperature was within the component's transport range" }),
    note: z.string().nullable(),
    by: z.string(),
    at: z.string(),
  })
  .openapi('TransportReceipt')

export const Transfer = z
  .object({
    id: z.string(),
    planId: z.string().nullable(),
    fromSite: SiteId,
    toSite: SiteId,
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    proposedQty: z.number().int(),
    qty: z.number().int().openapi({ description: 'quantity to send; may be lowered in review (1 ≤ qty ≤ proposedQty)' }),
    etaHours: z.number(),
    status: TransferStatus,
    receivedQty: z.number().int().nullable(),
    lostQty: z.number().int().nullable().openapi({ description: 'qty − receivedQty: units lost in transit (short receipt)' }),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    rejectReason: z.string().nullable(),
    closeReason: z
      .enum(['rejected', 'not_approved_at_commit', 'cancelled', 'superseded'])
      .nullable()
      .openapi({ description: 'not_approved_at_commit: closed because its plan was committed without it; superseded: a newer plan replaced its plan' }),
    committedAt: z.string().nullable(),
    dispatchedAt: z.string().nullable(),
    receivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    frozen: z.boolean().openapi({ description: 'it carries frozen red cells: thawed (POST /api/transfers/{id}/thaw) before dispatch' }),
    thawHours: z.number().nullable().openapi({ description: 'hours of thawing the planner counted in etaHours (null: none)' }),
    thawedAt: z.string().nullable().openapi({ description: 'when the frozen units were thawed; they keep 24 h from then' }),
    thawedBy: z.string().nullable(),
    transportMinC: z
      .number()
      .nullable()
      .openapi({ description: "the component's transport range in °C (null: no lower bound); a box outside it is discarded on receipt" }),
    transportMaxC: z.number().nullable(),
    lots: z.array(TransferLotLine),
    requests: z.array(TransferRequestLine).openapi({ description: 'the aid requests it serves, most urgent first' }),
    transport: z.object({ dispatch: TransportDispatch.nullable(), receipt: TransportReceipt.nullable() }),
    fromHospital: z
      .object({
        hospitalId: z.string(),
        nameZh: z.string(),
        nameEn: z.string(),
        onHand: z.number().int().openapi({ description: "the hospital's ordinary units of the group when the plan was made" }),
        floor: z.number().int().openapi({ description: 'the units it keeps: the plan and the commit never take it below' }),
      })
      .optional()
      .openapi({ description: "in a plan's detail: the transfer draws on a hospital's surplus (plans with drawOnHospitals)" }),
  })
  .openapi('Transfer')

export const TransferQuery = z.object({
  status: TransferStatus.optional(),
  site: SiteId.optional().openapi({ description: 'transfers from or to this site' }),
  direction: z.enum(['in', 'out']).optional().openapi({ description: 'with site: only transfers coming to it (in) or leaving it (out)' }),
  planId: z.string().max(64).optional(),
})

export const TransferPatch = z
  .object({ qty: z.number().int().min(1).openapi({ description: 'new quantity, 1 ≤ qty ≤ proposedQty' }) })
  .strict()
  .openapi('TransferPatch')

export const TransferApprove = z
  .object({
    qty: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: 'the quantity the reviewer saw: if the stored quantity differs, 409 qty_changed and nothing is approved' }),
  })
  .strict()
  .openapi('TransferApprove')

export const TransferReject = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .openapi('TransferReject')

export const TransferCancel = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .openapi('TransferCancel')

/** A box temperature: within what a thermometer in a transport box can read. */
const TemperatureC = z.number().min(-90).max(60).openapi({ description: 'the box temperature in °C', example: 4 })
const Note = z.string().trim().max(500)

export const TransferDispatch = z
  .object({
    temperatureC: TemperatureC,
    packedAt: IsoDateTime.optional().openapi({ description: 'when the box was packed' }),
    sealedAt: IsoDateTime.optional().openapi({ description: 'when the box was sealed' }),
    carrier: z.string().trim().min(1).max(200).optional().openapi({ description: 'who carries it: driver, vehicle, courier', example: '川A·12345 王师傅' }),
    note: Note.optional(),
  })
  .strict()
  .openapi('TransferDispatch')

export const TransferReceive = z
  .object({
    receivedQty: z.number().int().min(0).openapi({ description: 'units that arrived, ≤ qty; qty − receivedQty is recorded as lost' }),
    temperatureC: TemperatureC,
    arrivedAt: IsoDateTime.optional(),
    sealIntact: z.boolean().optional(),
    rejectedQty: z
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: 'of the units that arrived, those refused (discarded at the receiving station); needs rejectReason' }),
    rejectReason: z.string().trim().min(1).max(500).optional(),
    note: Note.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.rejectedQty ?? 0) > r.receivedQty) ctx.addIssue({ code: 'custom', path: ['rejectedQty'], message: 'rejectedQty may be at most receivedQty' })
    else if ((r.rejectedQty ?? 0) > 0 && !r.rejectReason) ctx.addIssue({ code: 'custom', path: ['rejectReason'], message: 'Say why the units were rejected' })
  })
  .openapi('TransferReceive', {
    description: "Units received outside the component's transport range are all rejected: discarded at the receiving station, never put into usable stock.",
  })

export const BulkApprove = z
  .object({
    requestId: z.string().min(1).max(64).optional().openapi({ description: 'approve every proposed transfer serving this request' }),
    toSite: SiteId.optional().openapi({ description: 'approve every proposed transfer to this site' }),
    qtys: z.record(z.string().max(64), z.number().int().min(1)).optional().openapi({
      description: 'the quantity the reviewer saw per transfer id: any that differs from the stored quantity refuses the whole approval (409 qty_changed)',
    }),
  })
  .strict()
  .refine((b) => !!b.requestId !== !!b.toSite, { message: 'Give requestId or toSite', path: ['requestId'] })
  .openapi('BulkApprove')

export const CommitResult = z
  .object({
    planId: z.string().nullable(),
    batchId: z.string().openapi({ description: 'the movement_batch holding the transfer_out ledger lines' }),
    committed: z.array(z.string()).openapi({ description: 'ids of the transfers committed by this call' }),
    closed: z
      .array(z.string())
      .openapi({ description: "ids of the plan's proposals nobody approved, closed by this commit (closeReason not_approved_at_commit)" }),
    at: z.string(),
  })
  .openapi('CommitResult')

export type TransferT = z.infer<typeof Transfer>
export type TransportDispatchT = z.infer<typeof TransportDispatch>
export type TransportReceiptT = z.infer<typeof TransportReceipt>
export type TransferDispatchT = z.infer<typeof TransferDispatch>
export type TransferReceiveT = z.infer<typeof TransferReceive>
export type TransferStatusT = z.infer<typeof TransferStatus>
export type CommitResultT = z.infer<typeof CommitResult>
