import { z } from '@hono/zod-openapi'
import { IsoDateTime, SiteId } from './common'
import { BatchResult } from './movement'

export const CsvRowError = z.object({
  row: z.number().int().openapi({ description: 'Record number in the file, the header being 1' }),
  field: z.string().openapi({ example: 'abo' }),
  message: z.string(),
})
export type CsvRowErrorT = z.infer<typeof CsvRowError>

export const CsvInvalid = z
  .object({
    error: z.object({ code: z.literal('invalid_csv'), message: z.string(), field: z.string().optional() }),
    rows: z.array(CsvRowError),
  })
  .openapi('CsvInvalid')

export const CountResult = BatchResult.extend({
  counted: z.number().int().openapi({ description: 'Data rows read' }),
  received: z.number().int().openapi({ description: 'Unknown lots taken in as receipts' }),
  adjusted: z.number().int().openapi({ description: 'Known lots whose count differed' }),
}).openapi('StockCountResult')

export const CountQuery = z.object({ site: SiteId })
export const StockExportQuery = z.object({ site: SiteId.optional() })
export const MovementExportQuery = z.object({ site: SiteId.optional(), since: IsoDateTime.optional(), until: IsoDateTime.optional() })

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export const TransferExportQuery = z
  .object({
    plan: z.string().min(1).max(64).optional(),
    site: SiteId.optional(),
    tz: z
      .string()
      .max(64)
      .refine(isTimeZone, { message: 'Unknown IANA time zone' })
      .optional()
      .openapi({ description: "the time zone the sheet's times are written in (default Asia/Shanghai, the region's)", example: 'Asia/Shanghai' }),
  })
  .refine((q) => !!q.plan !== !!q.site, { message: 'Give plan or site', path: ['plan'] })
/** Times are local (yyyy-mm-dd hh:mm in `tz`), station names in full, and each transfer's most urgent request first. */
export const TRANSFER_COLUMNS = [
  'transfer_id',
  'plan_id',
  'status',
  'urgency',
  'needed_by',
  'from_site',
  'from_name',
  'to_site',
  'to_name',
  'component',
  'abo',
  'rhd',
  'qty',
  'eta_hours',
  'lots',
  'requests',
  'reason',
  'dispatched_at',
  'dispatch_temperature_c',
  'carrier',
  'received_at',
  'receipt_temperature_c',
  'accepted_qty',
  'rejected_qty',
  'dispatch_signature',
  'receipt_signature',
] as const

export const STOCK_COLUMNS = ['site_id', 'lot_id', 'component', 'abo', 'rhd', 'qty', 'collected_at', 'expires_at', 'antigens', 'frozen'] as const
export const MOVEMENT_COLUMNS = ['id', 'at', 'site_id', 'lot_id', 'kind', 'delta', 'reason', 'transfer_id', 'batch_id', 'actor_id'] as const
