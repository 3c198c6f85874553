import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, Rhd, SiteId } from './common'

export const TransferStatus = z
  .enum(['proposed', 'approved', 'rejected', 'committed', 'dispatched', 'received', 'cancelled'])
  .openapi({
    description:
      'proposed → approved | rejected; approved → proposed | rejected | committed; committed → dispatched | cancelled; dispatched → received. ' +
      'Stock leaves the source lots at commit (ledger transfer_out) and arrives at receipt (transfer_in into new lots).',
  })

export const TransferLotLine = z
  .object({
    lotId: z.string(),
    qty: z.number().int().openapi({ description: 'units taken from this source lot' }),
    expiresAt: z.string().nullable(),
  })
  .openapi('TransferLotLine')

export const TransferRequestLine = z
  .object({
    requestId: z.string(),
    qty: z.number().int().openapi({ description: 'units of this transfer that serve the aid request' }),
  })
  .openapi('TransferRequestLine')

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
    committedAt: z.string().nullable(),
    dispatchedAt: z.string().nullable(),
    receivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lots: z.array(TransferLotLine),
    requests: z.array(TransferRequestLine),
  })
  .openapi('Transfer')

export const TransferQuery = z.object({
  status: TransferStatus.optional(),
  site: SiteId.optional().openapi({ description: 'transfers from or to this site' }),
  planId: z.string().max(64).optional(),
})

export const TransferPatch = z
  .object({ qty: z.number().int().min(1).openapi({ description: 'new quantity, 1 ≤ qty ≤ proposedQty' }) })
  .strict()
  .openapi('TransferPatch')

export const TransferReject = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .openapi('TransferReject')

export const TransferCancel = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .openapi('TransferCancel')

export const TransferReceive = z
  .object({ receivedQty: z.number().int().min(0).openapi({ description: 'units that arrived usable, ≤ qty; the rest is recorded as lost' }) })
  .strict()
  .openapi('TransferReceive')

export const CommitResult = z
  .object({
    planId: z.string().nullable(),
    batchId: z.string().openapi({ description: 'the movement_batch holding the transfer_out ledger lines' }),
    committed: z.array(z.string()).openapi({ description: 'ids of the transfers committed by this call' }),
    at: z.string(),
  })
  .openapi('CommitResult')

export type TransferT = z.infer<typeof Transfer>
export type TransferStatusT = z.infer<typeof TransferStatus>
export type CommitResultT = z.infer<typeof CommitResult>
