import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, IsoDateTime, Rhd, SiteId } from './common'

export const LotId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$/, 'A lot id is 1–64 letters, digits, _ . -')
  .openapi({ example: 'CD-RBC-20261120-001' })
export const Antigen = z
  .string()
  .regex(/^[A-Za-z0-9()+\-:]{1,24}$/, 'An antigen is like Fy(a-) or Jk(a-b-)')
  .openapi({ example: 'Fy(a-)' })
const Reason = z.string().trim().max(200)

export const ReceiptIn = z
  .object({
    kind: z.literal('receipt'),
    lotId: LotId.optional().openapi({ description: 'Optional id for the new lot (e.g. the bag number); generated when absent' }),
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    antigens: z
      .array(Antigen)
      .max(12)
      .default([])
      .openapi({ description: 'Rare antigen profile', example: ['Fy(a-)', 'Jk(a-b-)'] }),
    qty: z.number().int().min(1).max(100_000),
    collectedAt: IsoDateTime,
    expiresAt: IsoDateTime,
    frozen: z.boolean().default(false).openapi({
      description: 'Frozen red cells (≤ −65 °C): expiry up to 10 years from collection (GB 18469-2012); counted apart from liquid stock. Red cells only',
    }),
    reason: Reason.default(''),
  })
  .strict()

export const IssueIn = z
  .object({
    kind: z.literal('issue'),
    lotId: LotId,
    qty: z.number().int().min(1).max(100_000),
    reason: Reason.default(''),
    urgency: z.enum(['emergency', 'urgent', 'routine']).default('routine').openapi({
      description: "Routine issues count against the day's cap at yellow / orange / red (GET /api/warnings/caps); emergency and urgent ones do not",
    }),
    hospitalId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: "the hospital supplied, from the station's register (GET /api/network/{site}/hospitals)" }),
    capReason: z.string().trim().min(1).max(200).optional().openapi({ description: "Required for a routine issue beyond the day's cap: why it is allowed" }),
  })
  .strict()
export const DiscardIn = z
  .object({
    kind: z.literal('discard'),
    lotId: LotId,
    qty: z.number().int().min(1).max(100_000),
    reason: Reason.min(1, 'Say why the units were discarded (e.g. expired)'),
  })
  .strict()
export const AdjustIn = z
  .object({
    kind: z.literal('adjust'),
    lotId: LotId,
    countedQty: z.number().int().min(0).max(100_000).optional().openapi({ description: 'Stock count: the delta is computed against the lot at write time' }),
    delta: z.number().int().min(-100_000).max(100_000).optional().openapi({ description: 'Signed correction' }),
    reason: Reason.default('stock count'),
  })
  .strict()
  .refine((m) => (m.countedQty === undefined) !== (m.delta === undefined), { message: 'Send exactly one of countedQty or delta', path: ['countedQty'] })

export const MovementIn = z.discriminatedUnion('kind', [ReceiptIn, IssueIn, DiscardIn, AdjustIn]).openapi('MovementIn')
export type MovementInT = z.infer<typeof MovementIn>

export const MovementBatchIn = z
  .object({ siteId: SiteId, movements: z.array(MovementIn).min(1).max(500) })
  .strict()
  .openapi('MovementBatchIn', { description: 'Several movements for one site, applied whole or not at all' })

export const SingleMovementIn = z
  .discriminatedUnion('kind', [
    ReceiptIn.extend({ siteId: SiteId }),
    IssueIn.extend({ siteId: SiteId }),
    DiscardIn.extend({ siteId: SiteId }),
    AdjustIn.safeExtend({ siteId: SiteId }),
  ])
  .openapi('SingleMovementIn', { description: 'One movement for one site' })

export const MovementWrite = z.union([MovementBatchIn, SingleMovementIn])
export type MovementBatchInT = z.infer<typeof MovementBatchIn>

export const MovementKind = z.enum(['receipt', 'issue', 'discard', 'adjust', 'transfer_out', 'transfer_in'])

export const Movement = z
  .object({
    id: z.number().int(),
    batchId: z.string(),
    lotId: z.string(),
    siteId: z.string(),
    kind: MovementKind,
    delta: z.number().int(),
    reason: z.string(),
    transferId: z.string().nullable(),
    actorId: z.string(),
    at: z.string(),
  })
  .openapi('Movement')
export type MovementT = z.infer<typeof Movement>

export const BatchResult = z
  .object({
    batchId: z.string(),
    siteId: z.string(),
    source: z.string(),
    at: z.string(),
    movements: z.array(Movement).openapi({ description: 'Ledger rows written (a stock count that changes nothing writes none)' }),
    createdLots: z.array(z.string()),
  })
  .openapi('MovementBatchResult')
export type BatchResultT = z.infer<typeof BatchResult>

export const MovementQuery = z.object({
  site: SiteId.optional(),
  lot: LotId.optional(),
  kind: MovementKind.optional(),
  batch: z.string().max(64).optional(),
  since: IsoDateTime.optional(),
  until: IsoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
export type MovementQueryT = z.infer<typeof MovementQuery>

export const ReconcileQuery = z.object({ site: SiteId.optional() })
export const Reconcile = z
  .object({
    checked: z.number().int(),
    mismatches: z.array(z.object({ lotId: z.string(), siteId: z.string(), cachedQty: z.number().int(), ledgerQty: z.number().int() })),
  })
  .openapi('Reconcile')
