// Stock feeds for machines (issue 23): a hospital's or a station's own information system posts a stock snapshot or
// a batch of movements, as JSON or CSV, under a machine token scoped to its site. Every line is checked first and
// every bad line answered at once (400 invalid_lines, `detail` maps each field such as lines.3.abo to its problem);
// then the whole batch is one movement batch under the Idempotency-Key (the batch key), applied whole or not at all.
import Papa from 'papaparse'
import type { z } from '@hono/zod-openapi'
import { selectHeldLotIds } from '../db/feed'
import { selectLotsByIds, type LotRow } from '../db/lots'
import { selectSite } from '../db/sites'
import { selectComponents } from '../db/stock'
import { ApiError, forbidden, issueField, notFound } from '../errors'
import { unescapeCell } from '../lib/csv-writer'
import { nowIso } from '../lib/time'
import { MovementsEnvelope, SnapshotEnvelope, SnapshotLine, type FeedResultT, type SnapshotLineT } from '../schemas/feed'
import { MovementIn, type MovementInT } from '../schemas/movement'
import { canWriteSite, type Actor } from './auth'
import { FROZEN_RBC_SHELF_LIFE_HOURS } from './frozen'
import { hospitalsOf } from './hospitals'
import { replay, requestHash } from './idempotency'
import { recordMovements } from './movements'

const HOUR = 3_600_000
type Problem = { field: string; message: string }
export type FeedFormat = 'json' | 'csv'

/** Problems in line order (then as found), so `field` names the first bad line. */
const byLine = (problems: Problem[]) => {
  const line = (p: Problem) => Number(p.field.match(/^lines\.(\d+)/)?.[1] ?? -1)
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => line(a.p) - line(b.p) || a.i - b.i)
    .map((x) => x.p)
}

/** 400 invalid_lines: every bad line's field and problem (detail), the first one as `field`; nothing was applied. */
export class LinesError extends ApiError {
  constructor(problems: Problem[]) {
    const detail: Record<string, string> = {}
    for (const p of problems) detail[p.field] ??= p.message
    super(400, 'invalid_lines', `${Object.keys(detail).length} problem(s) in the lines; nothing was applied`, problems[0].field, detail)
  }
}

/** A feed writes its own site only; a director, coordinator or admin may post a site's feed as they may write its stock. */
async function feedSite(db: D1Database, actor: Actor, siteId: string) {
  if (actor.role === 'feed' && actor.siteId !== siteId) throw forbidden(`This machine token feeds ${actor.siteId}, not ${siteId}`, 'site')
  if (!canWriteSite(actor, siteId)) throw forbidden(`A ${actor.role} may not write the feed of ${siteId}`, 'site')
  const site = await selectSite(db, siteId)
  if (!site) throw notFound('site', siteId, 'site')
  return site
}

// ---- reading the lines: JSON or CSV, every problem at once ----

/** CSV column → JSON field (CSV files use snake_case columns, as the stock-count import does). */
const CSV_FIELDS: Record<string, string> = {
  lot_id: 'lotId',
  expires_at: 'expiresAt',
  collected_at: 'collectedAt',
  hospital_id: 'hospitalId',
  cap_reason: 'capReason',
  counted_qty: 'countedQty',
}
const JSON_TO_CSV = Object.fromEntries(Object.entries(CSV_FIELDS).map(([k, v]) => [v, k]))
const NUMBERS = new Set(['qty', 'countedQty', 'delta'])
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** A CSV's data rows as the JSON lines they stand for (empty cells left out); parse problems name the line. */
function csvLines(text: string): { lines: Record<string, unknown>[]; problems: Problem[] } {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  })
  const problems: Problem[] = parsed.errors.map((e) => ({ field: e.row === undefined ? 'body' : `lines.${e.row}`, message: e.message }))
  const lines = parsed.data.map((row) => {
    const out: Record<string, unknown> = {}
    for (const [col, raw] of Object.entries(row)) {
      const v = unescapeCell((raw ?? '').trim())
      if (v === '') continue
      const key = CSV_FIELDS[col] ?? col
      if (NUMBERS.has(key)) out[key] = /^-?\d+$/.test(v) ? Number(v) : v
      else if (key === 'frozen')
        out[key] = ['yes', 'true', '1', '是'].includes(v.toLowerCase()) ? true : ['no', 'false', '0', '否'].includes(v.toLowerCase()) ? false : v
      else if (key === 'antigens') out[key] = v.split(/[;|\s]+/).filter(Boolean)
      else if (key === 'expiresAt' || key === 'collectedAt') out[key] = DATE_ONLY.test(v) ? `${v}T00:00:00Z` : v
      else out[key] = v
    }
    return out
  })
  return { lines, problems }
}

const csvField = (format: FeedFormat, field: string) => (format === 'csv' ? field.replace(/[A-Za-z]+$/, (k) => JSON_TO_CSV[k] ?? k) : field)

/**
 * Reads the envelope, then each line on its own against the line's schema: a line that fails is null (its problems
 * are listed), so the lines that pass can still be checked against the stock and every bad line answered at once.
 */
function readLines<E extends z.ZodType<{ lines: unknown[] }>, L extends z.ZodType>(
  envelope: E,
  line: L,
  format: FeedFormat,
  body: unknown,
): { input: Omit<z.infer<E>, 'lines'>; lines: (z.infer<L> | null)[]; problems: Problem[] } {
  const problems: Problem[] = []
  let raw = body
  if (format === 'csv') {
    const csv = csvLines(String(body))
    problems.push(...csv.problems)
    raw = { lines: csv.lines }
  }
  const outer = envelope.safeParse(raw)
  if (!outer.success) throw new LinesError(outer.error.issues.map((i) => ({ field: csvField(format, issueField(i) ?? 'body'), message: i.message })))
  const { lines: rawLines, ...input } = outer.data
  const lines = rawLines.map((l, i) => {
    const r = line.safeParse(l)
    if (r.success) return r.data as z.infer<L>
    for (const issue of r.error.issues)
      problems.push({ field: csvField(format, `lines.${i}${issueField(issue) ? `.${issueField(issue)}` : ''}`), message: issue.message })
    return null
  })
  return { input, lines, problems }
}

const fieldName = (format: FeedFormat, i: number, name: string) => `lines.${i}.${format === 'csv' ? (JSON_TO_CSV[name] ?? name) : name}`

// ---- a snapshot: counts per lot, become adjustments (known lots) and receipts (new lots) ----

function snapshotMovements(
  input: { complete: boolean; lines: (SnapshotLineT | null)[] },
  siteId: string,
  lots: Map<string, LotRow>,
  held: string[],
  lifeHours: Map<string, number>,
  format: FeedFormat,
  now: string,
): { movements: MovementInT[]; problems: Problem[] } {
  const problems: Problem[] = []
  const movements: MovementInT[] = []
  const seen = new Map<string, number>()
  for (const [i, l] of input.lines.entries()) {
    if (!l) continue // its problems are listed already
    const err = (name: string, message: string) => problems.push({ field: fieldName(format, i, name), message })
    if (seen.has(l.lotId)) {
      err('lotId', `Lot ${l.lotId} is already on line ${seen.get(l.lotId)}`)
      continue
    }
    seen.set(l.lotId, i)
    const lot = lots.get(l.lotId)
    if (lot) {
      if (lot.siteId !== siteId) {
        err('lotId', `Lot ${l.lotId} is held by ${lot.siteId}, not ${siteId}`)
        continue
      }
      if (lot.component !== l.component) err('component', `Lot ${l.lotId} is ${lot.component}, not ${l.component}`)
      if (lot.abo !== l.abo) err('abo', `Lot ${l.lotId} is group ${lot.abo}, not ${l.abo}`)
      if (lot.rhd !== l.rhd) err('rhd', `Lot ${l.lotId} is RhD ${lot.rhd}, not ${l.rhd}`)
      if (!!lot.frozen !== l.frozen) err('frozen', `Lot ${l.lotId} is ${lot.frozen ? 'frozen' : 'liquid'}`)
      movements.push({ kind: 'adjust', lotId: l.lotId, countedQty: l.qty, reason: 'feed snapshot' })
      continue
    }
    if (l.qty === 0) continue // a lot we never had, counted empty: nothing to record
    if (l.frozen && l.component !== 'RBC') {
      err('frozen', 'Only red cells are kept frozen')
      continue
    }
    const life = (l.frozen ? FROZEN_RBC_SHELF_LIFE_HOURS : lifeHours.get(l.component)!) * HOUR
    const expires = Date.parse(l.expiresAt)
    const collected = l.collectedAt ? Date.parse(l.collectedAt) : expires - life
    if (expires <= Date.parse(now)) {
      err('expiresAt', `Lot ${l.lotId} is new here and expired: record it as a receipt and a discard (POST /api/feed/movements)`)
      continue
    }
    if (l.collectedAt && expires <= collected) {
      err('expiresAt', 'Expiry must be after collection')
      continue
    }
    if (expires - collected > life) {
      err('expiresAt', `${l.component}${l.frozen ? ' (frozen)' : ''} keeps at most ${life / HOUR / 24} days from collection`)
      continue
    }
    if (collected > Date.parse(now) + HOUR) {
      err(l.collectedAt ? 'collectedAt' : 'expiresAt', `Lot ${l.lotId} would have been collected in the future`)
      continue
    }
    movements.push({
      kind: 'receipt',
      lotId: l.lotId,
      component: l.component,
      abo: l.abo,
      rhd: l.rhd,
      antigens: l.antigens,
      qty: l.qty,
      collectedAt: new Date(collected).toISOString(),
      expiresAt: new Date(expires).toISOString(),
      frozen: l.frozen,
      reason: 'feed snapshot: new lot',
    })
  }
  // the whole stock: what is held here and not listed was not found, so it is counted as 0
  if (input.complete)
    for (const id of held) if (!seen.has(id)) movements.push({ kind: 'adjust', lotId: id, countedQty: 0, reason: 'feed snapshot: not listed' })
  return { movements, problems }
}

// ---- a batch of movements: checked against the stock as it is, line by line ----

async function checkMovements(
  db: D1Database,
  input: { lines: (MovementInT | null)[] },
  siteId: string,
  lots: Map<string, LotRow>,
  format: FeedFormat,
  now: string,
) {
  const problems: Problem[] = []
  const qty = new Map([...lots.values()].map((l) => [l.id, l.qty]))
  const needsRegister = input.lines.some((m) => m?.kind === 'issue' && m.hospitalId)
  const hospitals = needsRegister ? await hospitalsOf(db, siteId) : new Set<string>()
  for (const [i, m] of input.lines.entries()) {
    if (!m) continue // its problems are listed already
    const err = (name: string, message: string) => problems.push({ field: fieldName(format, i, name), message })
    if (m.kind === 'receipt') {
      const lotId = m.lotId
      if (lotId && qty.has(lotId)) {
        err('lotId', `Lot ${lotId} already exists`)
        continue
      }
      if (!(Date.parse(m.expiresAt) > Date.parse(m.collectedAt))) {
        err('expiresAt', 'Expiry must be after collection')
        continue
      }
      if (lotId) qty.set(lotId, m.qty)
      continue
    }
    const lot = lots.get(m.lotId)
    if (!lot && !qty.has(m.lotId)) {
      err('lotId', `No lot ${m.lotId}`)
      continue
    }
    if (lot && lot.siteId !== siteId) {
      err('lotId', `Lot ${m.lotId} is held by ${lot.siteId}, not ${siteId}`)
      continue
    }
    const have = qty.get(m.lotId)!
    if (m.kind === 'adjust') {
      qty.set(m.lotId, m.countedQty ?? have + (m.delta ?? 0))
      if (qty.get(m.lotId)! < 0) err('delta', `Lot ${m.lotId} holds ${have}; the adjustment would take it below zero`)
      continue
    }
    if (m.kind === 'issue' && lot && lot.expiresAt <= now) err('lotId', `Lot ${m.lotId} expired at ${lot.expiresAt}; discard it instead`)
    if (m.kind === 'issue' && m.hospitalId && !hospitals.has(m.hospitalId))
      err('hospitalId', `Hospital ${m.hospitalId} is not in the register of ${siteId}'s station`)
    if (have < m.qty) {
      err('qty', `Lot ${m.lotId} holds ${have} here; cannot take ${m.qty}`)
      continue
    }
    qty.set(m.lotId, have - m.qty)
  }
  return problems
}

// ---- applying: one movement batch under the batch key ----

/** A line the ledger refused when it was written (the stock changed meanwhile): named as the feed's line. */
function asLine(e: unknown, format: FeedFormat): never {
  const m = e instanceof ApiError && e.field?.match(/^movements\.(\d+)\.(\w+)$/)
  if (m && e instanceof ApiError) throw new ApiError(e.status, e.code, e.message, fieldName(format, Number(m[1]), m[2]), e.detail)
  throw e
}

async function apply(
  db: D1Database,
  actor: Actor,
  siteId: string,
  movements: MovementInT[],
  lines: number,
  key: string,
  hash: string,
  format: FeedFormat,
): Promise<{ result: FeedResultT; replayed: boolean }> {
  if (!movements.length) throw new LinesError([{ field: 'lines', message: 'Nothing to record: every line matches the stock already' }])
  try {
    const out = await recordMovements(db, actor, { siteId, movements }, { idempotencyKey: key, source: format === 'csv' ? 'csv' : 'api', hash })
    return { result: tally(out.result, lines), replayed: out.replayed }
  } catch (e) {
    asLine(e, format)
  }
}

const tally = (r: Omit<FeedResultT, 'lines' | 'received' | 'adjusted'>, lines: number): FeedResultT => ({
  ...r,
  lines,
  received: r.movements.filter((m) => m.kind === 'receipt').length,
  adjusted: r.movements.filter((m) => m.kind === 'adjust').length,
})

/** Lines in a request already applied (its retry answers the stored batch with the same count). */
const countLines = (format: FeedFormat, body: unknown) =>
  format === 'csv' ? csvLines(String(body)).lines.length : ((body as { lines?: unknown[] }).lines?.length ?? 0)

/** POST /api/feed/snapshot: the site's stock as counted now; applied as one batch. A retry with the same key answers the same. */
export async function postSnapshot(db: D1Database, actor: Actor, siteId: string, format: FeedFormat, body: unknown, key: string) {
  await feedSite(db, actor, siteId)
  // the request itself is the fingerprint: a retry is recognised before the lots it created turn its receipts into counts
  const hash = await requestHash({ feed: 'snapshot', siteId, format, body })
  const prior = await replay(db, actor, key, hash, siteId)
  if (prior) return { result: tally(prior, countLines(format, body)), replayed: true }
  const { input, lines, problems: unread } = readLines(SnapshotEnvelope, SnapshotLine, format, body)
  const now = nowIso()
  const [lots, held, components] = await Promise.all([
    selectLotsByIds(db, [...new Set(lines.flatMap((l) => (l ? [l.lotId] : [])))]),
    input.complete ? selectHeldLotIds(db, siteId) : Promise.resolve([]),
    selectComponents(db),
  ])
  const life = new Map(components.map((c) => [c.code, c.shelfLifeHours]))
  const { movements, problems } = snapshotMovements({ complete: input.complete, lines }, siteId, new Map(lots.map((l) => [l.id, l])), held, life, format, now)
  if (unread.length || problems.length) throw new LinesError(byLine([...unread, ...problems]))
  return apply(db, actor, siteId, movements, lines.length, key, hash, format)
}

/** POST /api/feed/movements: receipts, issues, discards and counts; every line checked, then one batch. */
export async function postMovements(db: D1Database, actor: Actor, siteId: string, format: FeedFormat, body: unknown, key: string) {
  await feedSite(db, actor, siteId)
  const hash = await requestHash({ feed: 'movements', siteId, format, body })
  const prior = await replay(db, actor, key, hash, siteId)
  if (prior) return { result: tally(prior, countLines(format, body)), replayed: true }
  const { lines, problems: unread } = readLines(MovementsEnvelope, MovementIn, format, body)
  const referenced = [...new Set(lines.flatMap((m) => (m?.lotId ? [m.lotId] : [])))]
  const lots = new Map((await selectLotsByIds(db, referenced)).map((l) => [l.id, l]))
  const problems = await checkMovements(db, { lines }, siteId, lots, format, nowIso())
  if (unread.length || problems.length) throw new LinesError(byLine([...unread, ...problems]))
  return apply(db, actor, siteId, lines as MovementInT[], lines.length, key, hash, format)
}
