import Papa from 'papaparse'
import { ABOS, bySheetOrder, COMPONENTS, RHDS } from '../../solver/domain'
import { selectLotsByIds, selectLots } from '../db/lots'
import { selectMovements } from '../db/movements'
import { selectSite, selectSites } from '../db/sites'
import { selectComponents } from '../db/stock'
import { ApiError, badRequest } from '../errors'
import { nowIso } from '../lib/time'
import { toCsv, unescapeCell } from '../lib/csv-writer'
import { inDateRange } from '../schemas/common'
import { MOVEMENT_COLUMNS, STOCK_COLUMNS, TRANSFER_COLUMNS, type CsvRowErrorT } from '../schemas/csv'
import type { MovementInT } from '../schemas/movement'
import type { TransferT } from '../schemas/transfer'
import { requireSiteWriter, type Actor } from './auth'
import { replay, requestHash } from './idempotency'
import { FROZEN_RBC_SHELF_LIFE_HOURS } from './frozen'
import { recordMovements } from './movements'
import { listTransfers } from './transfers'

/** The demo region's clock (Sichuan and Chongqing keep China Standard Time, UTC+8, no daylight saving). */
export const REGION_TIME_ZONE = 'Asia/Shanghai'

/** 400 invalid_csv with every row error; nothing was applied. */
export class CsvError extends ApiError {
  constructor(
    message: string,
    readonly rows: CsvRowErrorT[],
  ) {
    super(400, 'invalid_csv', message)
  }
}

const REQUIRED = ['lot_id', 'component', 'abo', 'rhd', 'qty', 'collected_at', 'expires_at'] as const
const LOT_ID = /^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$/
const ANTIGEN = /^[A-Za-z0-9()+\-:]{1,24}$/
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const MAX_BYTES = 2_000_000
/** At most this many data rows per stock count (a station counts a few thousand lots; the whole count is one batch). */
export const MAX_ROWS = 20_000
/** The largest quantity of a lot, as in the JSON receipts and adjustments (worker/schemas/movement.ts). */
const MAX_QTY = 100_000

/** A date (taken as 00:00 UTC) or a date-time with a zone, as ISO; null when unreadable. */
function parseWhen(v: string): string | null {
  if (!DATE_ONLY.test(v) && !DATE_TIME.test(v)) return null
  const ms = Date.parse(DATE_ONLY.test(v) ? `${v}T00:00:00Z` : v.replace(' ', 'T'))
  return Number.isNaN(ms) || !inDateRange(new Date(ms).toISOString()) ? null : new Date(ms).toISOString()
}

type Row = {
  row: number
  lotId: string
  component: string
  abo: string
  rhd: string
  qty: number
  collectedAt: string | null
  expiresAt: string | null
  antigens: string[]
  frozen: boolean
}

/**
 * A station's daily stock count as CSV (lot_id, component, abo, rhd, qty, collected_at, expires_at[, antigens][, frozen]).
 * Known lots get an adjustment to the counted qty; unknown lot ids become receipts. Any bad row → 400 with every
 * row error and nothing applied; otherwise one movement batch (source 'csv') under the Idempotency-Key.
 */
export async function importStockCount(db: D1Database, actor: Actor, siteId: string, text: string, idempotencyKey: string) {
  requireSiteWriter(actor, siteId)
  if (!(await selectSite(db, siteId))) throw badRequest('site', `No site ${siteId}`)
  if (text.length > MAX_BYTES) throw new ApiError(413, 'too_large', `A stock count may be at most ${MAX_BYTES} bytes`)
  // The raw file is the request: a retry is recognised before lots it created turn its receipts into counts.
  const hash = await requestHash({ source: 'csv', siteId, text })
  const prior = await replay(db, actor, idempotencyKey, hash, siteId)
  if (prior) return { result: { ...prior, ...tally(prior.movements, null) }, replayed: true }

  const rows = parseCount(text)
  const lots = new Map(
    (
      await selectLotsByIds(
        db,
        rows.map((r) => r.lotId),
      )
    ).map((l) => [l.id, l]),
  )
  const errors: CsvRowErrorT[] = []
  const lifeByComponent = new Map((await selectComponents(db)).map((c) => [c.code, c.shelfLifeHours]))
  const movements: MovementInT[] = []
  const rowOf: number[] = []
  for (const r of rows) {
    const err = (field: string, message: string) => errors.push({ row: r.row, field, message })
    const lot = lots.get(r.lotId)
    if (lot) {
      if (lot.siteId !== siteId) {
        err('lot_id', `Lot ${r.lotId} is held by ${lot.siteId}, not ${siteId}`)
        continue
      }
      if (lot.component !== r.component) err('component', `Lot ${r.lotId} is ${lot.component}, not ${r.component}`)
      if (lot.abo !== r.abo) err('abo', `Lot ${r.lotId} is group ${lot.abo}, not ${r.abo}`)
      if (lot.rhd !== r.rhd) err('rhd', `Lot ${r.lotId} is RhD ${lot.rhd}, not ${r.rhd}`)
      if (!!lot.frozen !== r.frozen) err('frozen', `Lot ${r.lotId} is ${lot.frozen ? 'frozen' : 'liquid'}, not ${r.frozen ? 'frozen' : 'liquid'}`)
      movements.push({ kind: 'adjust', lotId: r.lotId, countedQty: r.qty, reason: 'stock count (csv)' })
    } else {
      if (r.qty === 0) {
        err('qty', `Lot ${r.lotId} is new here; a new lot needs qty above 0`)
        continue
      }
      if (!r.collectedAt || !r.expiresAt) continue // already reported
      if (r.frozen && r.component !== 'RBC') err('frozen', 'Only red cells are kept frozen')
      const life = r.frozen ? FROZEN_RBC_SHELF_LIFE_HOURS : lifeByComponent.get(r.component)
      if (r.expiresAt <= r.collectedAt) err('expires_at', 'Expiry must be after collection')
      else if (r.expiresAt <= nowIso())
        err('expires_at', `Lot ${r.lotId} is new here and expired on ${r.expiresAt.slice(0, 10)}: record it as a receipt and a discard, not in a count`)
      else if (life && Date.parse(r.expiresAt) - Date.parse(r.collectedAt) > life * 3_600_000)
        err('expires_at', r.frozen ? 'Frozen red cells keep at most 10 years' : `${r.component} keeps at most ${life / 24} days`)
      movements.push({
        kind: 'receipt',
        lotId: r.lotId,
        component: r.component as 'RBC',
        abo: r.abo as 'O',
        rhd: r.rhd as '+',
        antigens: r.antigens,
        qty: r.qty,
        collectedAt: r.collectedAt,
        expiresAt: r.expiresAt,
        frozen: r.frozen,
        reason: 'stock count (csv): new lot',
      })
    }
    rowOf[movements.length - 1] = r.row
  }
  if (errors.length) throw new CsvError(`${errors.length} problem(s) in the file; nothing was applied`, errors)

  try {
    const out = await recordMovements(db, actor, { siteId, movements }, { idempotencyKey, source: 'csv', hash })
    return { result: { ...out.result, ...tally(out.result.movements, rows.length) }, replayed: out.replayed }
  } catch (e) {
    // A line the ledger refused (e.g. a lot id taken meanwhile): report it as the row it came from.
    const m = e instanceof ApiError && e.field?.match(/^movements\.(\d+)\.(\w+)$/)
    if (m && e instanceof ApiError) {
      throw new CsvError(e.message, [{ row: rowOf[Number(m[1])], field: m[2] === 'lotId' ? 'lot_id' : m[2], message: e.message }])
    }
    throw e
  }
}

function tally(movements: { kind: string }[], counted: number | null) {
  const received = movements.filter((m) => m.kind === 'receipt').length
  const adjusted = movements.filter((m) => m.kind === 'adjust').length
  return { counted: counted ?? received + adjusted, received, adjusted }
}

function parseCount(text: string): Row[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false })
  const errors: CsvRowErrorT[] = parsed.errors.map((e) => ({ row: (e.row ?? 0) + 1, field: 'row', message: e.message }))
  const [header = [], ...records] = parsed.data
  const dataRows = records.filter((cells) => cells.some((x) => x.trim() !== '')).length
  if (dataRows > MAX_ROWS) throw new ApiError(413, 'too_large', `A stock count may have at most ${MAX_ROWS} data rows; this file has ${dataRows}`, 'body')
  const cols = header.map((h) => h.trim().toLowerCase())
  for (const c of REQUIRED) if (!cols.includes(c)) errors.push({ row: 1, field: c, message: `Missing column ${c}` })
  if (errors.length) throw new CsvError('The file cannot be read as a stock count', errors)

  const rows: Row[] = []
  const seen = new Map<string, number>()
  records.forEach((cells, i) => {
    const rowNo = i + 2
    if (cells.every((x) => x.trim() === '')) return
    const get = (c: string) => (cells[cols.indexOf(c)] ?? '').trim()
    const err = (field: string, message: string) => errors.push({ row: rowNo, field, message })
    const lotId = get('lot_id')
    if (!LOT_ID.test(lotId)) err('lot_id', 'A lot id is 1–64 letters, digits, _ . -')
    else if (seen.has(lotId)) err('lot_id', `Lot ${lotId} is already on row ${seen.get(lotId)}`)
    else seen.set(lotId, rowNo)
    const component = get('component').toUpperCase()
    if (!(COMPONENTS as readonly string[]).includes(component)) err('component', `component is one of ${COMPONENTS.join(', ')}`)
    const abo = get('abo').toUpperCase()
    if (!(ABOS as readonly string[]).includes(abo)) err('abo', `abo is one of ${ABOS.join(', ')}`)
    const rhd = get('rhd')
    if (!(RHDS as readonly string[]).includes(rhd)) err('rhd', 'rhd is + or -')
    const qtyText = get('qty')
    const qty = /^\d{1,6}$/.test(qtyText) ? Number(qtyText) : NaN
    if (Number.isNaN(qty)) err('qty', 'qty is a whole number of units, 0 or more')
    // the bound every JSON write keeps (receipts, adjustments)
    else if (qty > MAX_QTY) err('qty', `qty is at most ${MAX_QTY} units (line ${rowNo})`)
    const collectedAt = parseWhen(get('collected_at'))
    if (!collectedAt) err('collected_at', 'collected_at is a date (YYYY-MM-DD) or an ISO date-time with a zone, from 2000 up to 2100')
    const expiresAt = parseWhen(get('expires_at'))
    if (!expiresAt) err('expires_at', 'expires_at is a date (YYYY-MM-DD) or an ISO date-time with a zone, from 2000 up to 2100')
    // An antigen our own export escaped ('+SUM(1) → '+SUM(1)) reads back without the quote.
    const antigens = get('antigens')
      .split(/[;|\s]+/)
      .filter(Boolean)
      .map(unescapeCell)
    const badAntigen = antigens.find((a) => !ANTIGEN.test(a))
    if (badAntigen) err('antigens', `Unreadable antigen ${badAntigen}; separate antigens with ;`)
    // frozen red cells: yes / true / 1 (our export writes yes); empty, no, false or 0 is liquid
    const frozenText = get('frozen').toLowerCase()
    const frozen = ['yes', 'true', '1', '是'].includes(frozenText)
    if (!frozen && !['', 'no', 'false', '0', '否'].includes(frozenText)) err('frozen', 'frozen is yes or no (empty: no)')
    rows.push({ row: rowNo, lotId, component, abo, rhd, qty, collectedAt, expiresAt, antigens, frozen })
  })
  if (errors.length) throw new CsvError(`${errors.length} problem(s) in the file; nothing was applied`, errors)
  if (rows.length === 0) throw new CsvError('The file has no data rows', [{ row: 2, field: 'row', message: 'No data rows' }])
  return rows
}

/** The one CSV writer (worker/lib/csv-writer.ts), re-exported for the exports here. */
export { toCsv } from '../lib/csv-writer'

/** Current lots with stock (expired ones too: they are still on the shelf until discarded), importable back. */
export async function exportStockCsv(db: D1Database, siteId?: string): Promise<string> {
  const lots = await selectLots(db, { site: siteId, includeExpired: true, limit: 100_000 }, nowIso())
  lots.sort((a, b) => a.siteId.localeCompare(b.siteId) || a.id.localeCompare(b.id))
  return toCsv(
    STOCK_COLUMNS,
    lots.map((l) => [
      l.siteId,
      l.id,
      l.component,
      l.abo,
      l.rhd,
      l.qty,
      l.collectedAt,
      l.expiresAt,
      l.antigens.split(',').filter(Boolean).join(';'),
      l.frozen ? 'yes' : '',
    ]),
  )
}

/** The ledger, oldest first. */
export async function exportMovementsCsv(db: D1Database, q: { site?: string; since?: string; until?: string }): Promise<string> {
  const rows = (await selectMovements(db, { ...q, limit: 100_000 })).reverse()
  return toCsv(
    MOVEMENT_COLUMNS,
    rows.map((m) => [m.id, m.at, m.siteId, m.lotId, m.kind, m.delta, m.reason, m.transferId ?? '', m.batchId, m.actorId]),
  )
}

/** An ISO instant as 2026-12-01 14:30 in a time zone (the sheet's reader reads local time, not UTC). */
export function localTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  )
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

/**
 * A dispatch sheet as CSV: the transfers of a plan, or those to or from a station, that are live or done (not
 * rejected), most urgent first, with the stations' names, their lots (id:qty:expiry), the requests they serve
 * (id:urgency:site) and why, times in the reader's zone (default the region's), and empty signature columns.
 */
export async function exportTransfersCsv(db: D1Database, q: { plan?: string; site?: string; tz?: string }): Promise<string> {
  const tz = q.tz ?? REGION_TIME_ZONE
  const rows = (await listTransfers(db, { planId: q.plan, site: q.site })).filter((t) => !['proposed', 'rejected'].includes(t.status))
  rows.sort(bySheetOrder)
  const names = new Map((await selectSites(db, {})).map((s) => [s.id, s.nameZh]))
  // a destination outside the region (an incident's quota) is not among the region's sites
  for (const id of new Set(rows.flatMap((t) => [t.fromSite, t.toSite]))) if (!names.has(id)) names.set(id, (await selectSite(db, id))?.nameZh ?? '')
  return toCsv(
    TRANSFER_COLUMNS,
    rows.map((t) => [
      t.id,
      t.planId ?? '',
      t.status,
      t.requests[0]?.urgency ?? '',
      localTime(
        t.requests
          .map((r) => r.neededBy)
          .filter(Boolean)
          .sort()[0],
        tz,
      ),
      t.fromSite,
      names.get(t.fromSite) ?? '',
      t.toSite,
      names.get(t.toSite) ?? '',
      t.component,
      t.abo,
      t.rhd,
      t.qty,
      t.etaHours,
      t.lots.map((l) => `${l.lotId}:${l.qty}:${localTime(l.expiresAt, tz)}`).join(' '),
      t.requests.map((r) => `${r.requestId}:${r.urgency}:${r.siteId}`).join(' '),
      [...new Set(t.requests.map((r) => r.reason).filter(Boolean))].join('; '),
      localTime(t.dispatchedAt, tz),
      t.transport.dispatch?.temperatureC ?? '',
      t.transport.dispatch?.carrier ?? '',
      localTime(t.receivedAt, tz),
      t.transport.receipt?.temperatureC ?? '',
      t.transport.receipt?.acceptedQty ?? '',
      t.transport.receipt?.rejectedQty ?? '',
      '',
      '',
    ]),
  )
}
