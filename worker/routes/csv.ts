import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { CountQuery, CountResult, CsvInvalid, MovementExportQuery, StockExportQuery, TransferExportQuery } from '../schemas/csv'
import { IdempotencyHeader, json } from '../schemas/common'
import { CsvError, exportMovementsCsv, exportStockCsv, exportTransfersCsv, importStockCount } from '../services/csv'
import { errors as baseErrors, security } from './responses'

export const csv = new OpenAPIHono<AppEnv>()
const errors = baseErrors
const csvText = (description: string) => ({ description, content: { 'text/csv': { schema: z.string() } } })
const CSV_TYPE = 'text/csv; charset=utf-8'

csv.openapi(
  createRoute({
    method: 'post',
    path: '/stock-count',
    tags: ['csv'],
    security,
    description:
      "Imports a station's daily stock count: columns lot_id, component, abo, rhd, qty, collected_at, expires_at[, antigens separated by ;]. " +
      'At most 20,000 data rows and 2,000,000 bytes (413 too_large). Known lots are adjusted to the counted qty, unknown lot ids become receipts. Any bad row: 400 invalid_csv listing every row, nothing applied.',
    request: { query: CountQuery, headers: IdempotencyHeader, body: { required: true, ...csvText('The count as CSV with a header row') } },
    responses: {
      201: json(CountResult, 'Applied (or the stored result of a retry with the same key)'),
      ...baseErrors,
      400: json(CsvInvalid.or(ErrorBody), 'invalid_csv with rows[], or invalid_input'),
      403: json(ErrorBody, 'Not a writer for this site'),
      409: json(ErrorBody, 'idempotency_key_reused'),
      413: json(ErrorBody, 'too_large: over 2,000,000 bytes or 20,000 data rows'),
    },
  }),
  async (c) => {
    try {
      const { result, replayed } = await importStockCount(
        c.env.DB,
        c.var.actor,
        c.req.valid('query').site,
        await c.req.text(),
        c.req.valid('header')['idempotency-key'],
      )
      if (replayed) c.header('Idempotent-Replayed', 'true')
      return c.json(result, 201)
    } catch (e) {
      if (e instanceof CsvError)
        return c.json({ error: { code: 'invalid_csv' as const, message: e.message, ...(e.rows[0] ? { field: e.rows[0].field } : {}) }, rows: e.rows }, 400)
      throw e
    }
  },
)

csv.openapi(
  createRoute({
    method: 'get',
    path: '/stock',
    tags: ['csv'],
    security,
    request: { query: StockExportQuery },
    description:
      "Lots with stock as CSV, in the stock-count format (plus site_id), so a file can be edited and imported back. Text cells starting with = + - @, tab or CR get a leading ' (an import reads such an antigen back without it).",
    responses: { 200: csvText('Lots'), ...errors },
  }),
  async (c) => c.body(await exportStockCsv(c.env.DB, c.req.valid('query').site), 200, { 'content-type': CSV_TYPE }),
)

csv.openapi(
  createRoute({
    method: 'get',
    path: '/movements',
    tags: ['csv'],
    security,
    request: { query: MovementExportQuery },
    description:
      "The stock ledger as CSV, oldest first. Text cells starting with = + - @, tab or CR get a leading '; numbers (id, delta) are written as numbers.",
    responses: { 200: csvText('Ledger rows'), ...errors },
  }),
  async (c) => c.body(await exportMovementsCsv(c.env.DB, c.req.valid('query')), 200, { 'content-type': CSV_TYPE }),
)

csv.openapi(
  createRoute({
    method: 'get',
    path: '/transfers',
    tags: ['csv'],
    security,
    request: { query: TransferExportQuery },
    description:
      'The dispatch sheet as CSV, for a plan (`plan`) or a station (`site`): each approved-or-later transfer with its lots, the requests it serves, ' +
      'the transport record, and empty columns to sign at dispatch and receipt.',
    responses: { 200: csvText('Transfers'), ...errors },
  }),
  async (c) => c.body(await exportTransfersCsv(c.env.DB, c.req.valid('query')), 200, { 'content-type': CSV_TYPE }),
)
