import Papa from 'papaparse'
import { toCsv, unescapeCell } from '../lib/csv-writer'
import { estimatedRoadHours } from '../../solver/timing'
import { deleteRoadTimeStmt, selectRoadTime, selectRoadTimes, selectSiteIds, upsertRoadTimeStmt, type RoadTimeRow } from '../db/road-times'
import { selectPlanSites } from '../db/plans'
import { badRequest, notFound } from '../errors'
import { nowIso } from '../lib/time'
import type { CsvRowErrorT } from '../schemas/csv'
import { ROAD_TIME_COLUMNS, type RoadTimePutT } from '../schemas/road-time'
import { auditStmt } from './audit'
import { requireRole, type Actor } from './auth'
import { CsvError } from './csv'

const SITE_ID = /^[A-Z0-9]{2,12}$/

/** The road table as the instance's travelHours: { [from]: { [to]: hours } }. */
export function travelHoursOf(rows: Pick<RoadTimeRow, 'from' | 'to' | 'hours'>[]): Record<string, Record<string, number>> {
  const t: Record<string, Record<string, number>> = {}
  for (const r of rows) (t[r.from] ??= {})[r.to] = r.hours
  return t
}

/** Road times (optionally those touching one site) and the pairs of sites that have none. Any role. */
export async function listRoadTimes(db: D1Database, q: { site?: string }) {
  const [roadTimes, sites] = await Promise.all([selectRoadTimes(db, q), selectPlanSites(db)])
  const have = new Set(roadTimes.map((r) => `${r.from}|${r.to}`))
  const missing: { from: string; to: string; estimatedHours: number }[] = []
  for (const a of sites)
    for (const b of sites)
      if (a.id !== b.id && (!q.site || a.id === q.site || b.id === q.site) && !have.has(`${a.id}|${b.id}`))
        missing.push({ from: a.id, to: b.id, estimatedHours: estimatedRoadHours(a, b) })
  return { roadTimes, missing }
}

async function requireSites(db: D1Database, ids: { field: string; id: string }[]) {
  const known = await selectSiteIds(db)
  for (const { field, id } of ids) if (!known.has(id)) throw badRequest(field, `No site ${id}`)
}

/** An admin sets the road time of a pair (both ways unless bothWays is false); audited with the value before. */
export async function putRoadTime(db: D1Database, actor: Actor, p: RoadTimePutT): Promise<RoadTimeRow[]> {
  requireRole(actor, 'admin')
  await requireSites(db, [
    { field: 'from', id: p.from },
    { field: 'to', id: p.to },
  ])
  const pairs = p.bothWays
    ? [
        [p.from, p.to],
        [p.to, p.from],
      ]
    : [[p.from, p.to]]
  const before = await Promise.all(pairs.map(([a, b]) => selectRoadTime(db, a, b)))
  const at = nowIso()
  await db.batch([
    ...pairs.map(([from, to]) => upsertRoadTimeStmt(db, { from, to, hours: p.hours, note: p.note }, actor.id, at)),
    auditStmt(
      db,
      actor,
      'road_time.update',
      'road_time',
      `${p.from}-${p.to}`,
      { before: before.filter(Boolean), hours: p.hours, note: p.note, bothWays: p.bothWays },
      at,
    ),
  ])
  return (await Promise.all(pairs.map(([a, b]) => selectRoadTime(db, a, b)))).filter((r): r is RoadTimeRow => !!r)
}

/** An admin removes a pair (both ways unless bothWays is false): plans estimate it again. 404 when absent. */
export async function deleteRoadTime(db: D1Database, actor: Actor, k: { from: string; to: string; bothWays: boolean }) {
  requireRole(actor, 'admin')
  const pairs = k.bothWays
    ? [
        [k.from, k.to],
        [k.to, k.from],
      ]
    : [[k.from, k.to]]
  const before = (await Promise.all(pairs.map(([a, b]) => selectRoadTime(db, a, b)))).filter(Boolean)
  if (before.length === 0) throw notFound('road time', `${k.from}→${k.to}`, 'to')
  await db.batch([
    ...pairs.map(([a, b]) => deleteRoadTimeStmt(db, a, b)),
    auditStmt(db, actor, 'road_time.delete', 'road_time', `${k.from}-${k.to}`, { before }),
  ])
  return { deleted: before.length }
}

/** The table as CSV (from_site, to_site, hours, note), importable back. */
export async function exportRoadTimesCsv(db: D1Database): Promise<string> {
  const rows = await selectRoadTimes(db)
  return toCsv(
    ROAD_TIME_COLUMNS,
    rows.map((r) => [r.from, r.to, r.hours, r.note]),
  )
}

/**
 * An admin imports road times as CSV (from_site, to_site, hours[, note]); each row sets one direction. Any bad row:
 * 400 invalid_csv listing every row, nothing applied; otherwise one batch of upserts and one audit row.
 */
export async function importRoadTimesCsv(db: D1Database, actor: Actor, text: string) {
  requireRole(actor, 'admin')
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' })
  const errors: CsvRowErrorT[] = parsed.errors.map((e) => ({ row: (e.row ?? 0) + 1, field: 'row', message: e.message }))
  const [header = [], ...records] = parsed.data
  const cols = header.map((h) => h.trim().toLowerCase())
  for (const c of ['from_site', 'to_site', 'hours']) if (!cols.includes(c)) errors.push({ row: 1, field: c, message: `Missing column ${c}` })
  if (errors.length) throw new CsvError('The file cannot be read as road times', errors)
  const known = await selectSiteIds(db)
  const seen = new Map<string, number>()
  const rows: { from: string; to: string; hours: number; note: string }[] = []
  records.forEach((cells, i) => {
    const rowNo = i + 2
    const get = (c: string) => (cols.includes(c) ? (cells[cols.indexOf(c)] ?? '') : '').trim()
    const err = (field: string, message: string) => errors.push({ row: rowNo, field, message })
    const from = get('from_site').toUpperCase()
    const to = get('to_site').toUpperCase()
    for (const [field, id] of [
      ['from_site', from],
      ['to_site', to],
    ] as const) {
      if (!SITE_ID.test(id)) err(field, `${field} is a site id (2–12 capital letters or digits)`)
      else if (!known.has(id)) err(field, `No site ${id}`)
    }
    if (from && from === to) err('to_site', 'from_site and to_site must differ')
    const hours = Number(get('hours'))
    if (!/^\d+(\.\d+)?$/.test(get('hours')) || !(hours > 0 && hours <= 72)) err('hours', 'hours is a number above 0, at most 72')
    const note = unescapeCell(get('note'))
    if (note.length > 300) err('note', 'note is at most 300 characters')
    const k = `${from}|${to}`
    if (seen.has(k)) err('to_site', `${from}→${to} is already on row ${seen.get(k)}`)
    else seen.set(k, rowNo)
    rows.push({ from, to, hours, note })
  })
  if (errors.length) throw new CsvError(`${errors.length} problem(s) in the file; nothing was applied`, errors)
  if (rows.length === 0) throw new CsvError('The file has no data rows', [{ row: 2, field: 'row', message: 'No data rows' }])
  const at = nowIso()
  const stmts = rows.map((r) => upsertRoadTimeStmt(db, r, actor.id, at))
  stmts.push(auditStmt(db, actor, 'road_time.import', 'road_time', 'csv', { rows: rows.length }, at))
  await db.batch(stmts)
  return { rows: rows.length, upserted: rows.length }
}
