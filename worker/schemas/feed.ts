import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, IsoDateTime, Rhd, SiteId } from './common'
import { Antigen, BatchResult, LotId, MovementIn } from './movement'

/** The most lines one feed request carries (a hospital's or a station's whole stock, as the CSV stock count). */
export const MAX_FEED_LINES = 20_000

export const FeedQuery = z.object({ site: SiteId.openapi({ description: "The site whose feed this is (a machine token's own site)" }) })

export const SnapshotLine = z
  .object({
    lotId: LotId.openapi({ description: "The lot's id in the sender's system (e.g. the bag number)" }),
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    qty: z.number().int().min(0).max(100_000).openapi({ description: 'Units counted now (U, therapeutic doses or 100 mL: the component’s unit)' }),
    expiresAt: IsoDateTime,
    collectedAt: IsoDateTime.optional().openapi({ description: "For a new lot; when absent, its expiry less the component's shelf life" }),
    antigens: z.array(Antigen).max(12).default([]),
    frozen: z.boolean().default(false),
  })
  .strict()
  .openapi('SnapshotLine')
export type SnapshotLineT = z.infer<typeof SnapshotLine>

export const SnapshotIn = z
  .object({
    lines: z.array(SnapshotLine).min(1).max(MAX_FEED_LINES),
    complete: z.boolean().default(true).openapi({
      description:
        'true (default): the snapshot is the whole stock, so a lot held here but not listed is counted as 0; false: only the listed lots are counted',
    }),
  })
  .strict()
  .openapi('FeedSnapshotIn')
export type SnapshotInT = z.infer<typeof SnapshotIn>

/** The envelopes the service reads first: every line is then checked on its own, so every bad line is answered at once. */
export const SnapshotEnvelope = z.object({ lines: z.array(z.unknown()).min(1).max(MAX_FEED_LINES), complete: z.boolean().default(true) }).strict()
export const MovementsEnvelope = z.object({ lines: z.array(z.unknown()).min(1).max(MAX_FEED_LINES) }).strict()

export const FeedMovementsIn = z
  .object({ lines: z.array(MovementIn).min(1).max(MAX_FEED_LINES) })
  .strict()
  .openapi('FeedMovementsIn', {
    description: 'Receipts, issues, discards and counts for the site, as POST /api/movements takes them; applied whole or not at all',
  })
export type FeedMovementsInT = z.infer<typeof FeedMovementsIn>

export const FeedResult = BatchResult.extend({
  lines: z.number().int().openapi({ description: 'Lines read' }),
  received: z.number().int().openapi({ description: 'New lots taken in' }),
  adjusted: z.number().int().openapi({ description: 'Lots whose count changed (a snapshot; 0 for movements)' }),
}).openapi('FeedResult')
export type FeedResultT = z.infer<typeof FeedResult>
