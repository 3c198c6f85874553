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

export const TransferExportQuery = z
  .object({ plan: z.string().min(1).max(64).optional(), site: SiteId.optional() })
  .refine((q) => !!q.plan !== !!q.site, { message: 'Give plan or site', path: ['plan'] })
export const TRANSFER_COLUMNS = [
  'transfer_id', 'plan_id', 'status', 'from_site', 'to_site', 'component', 'abo', 'rhd', 'qty', 'eta_hours', 'lots', 'requests',
  'dispatched_at', 'dispatch_temperature_c', 'carrier', 'received_at', 'receipt_temperature_c', 'accepted_qty', 'rejected_qty',
  'dispatch_signature', 'receipt_signature',
] as const

export const STOCK_COLUMNS = ['site_id', 'lot_id', 'component', 'abo', 'rhd', 'qty', 'collected_at', 'expires_at', 'antigens', 'frozen'] as const
export const MOVEMENT_COLUMNS = ['id', 'at', 'site_id', 'lot_id', 'kind', 'delta', 'reason', 'transfer_id', 'batch_id', 'actor_id'] as const
