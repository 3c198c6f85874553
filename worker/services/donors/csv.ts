// A station's donors as CSV, and its own register loaded from CSV. Donor codes appear only here, never in stock or plan exports.
import Papa from 'papaparse'
import { toCsv, unescapeCell } from '../../lib/csv-writer'
import { insertDonationStmt, selectDonors, upsertDonorStmt } from '../../db/donors'
import { selectSite } from '../../db/sites'
import { badRequest, forbidden } from '../../errors'
import { nowIso } from '../../lib/time'
import { DonorCode } from '../../schemas/donor'
import { auditStmt } from '../audit'
import type { Actor } from '../auth'
import { CsvError } from '../csv'
import { auditReads, requireDonorWriter } from './pool'

const COLUMNS = ['code', 'abo', 'rhd', 'antigens', 'consent', 'last_whole_blood', 'last_platelets'] as const
const ANTIGEN = /^[A-Za-z0-9()+-]{1,24}$/
const when = (v: string) => {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v.replace(' ', 'T'))
  return /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(ms) ? new Date(ms).toISOString() : null
}

/** One station's donors (antigens separated by ;): its own director, or a coordinator or admin (audited as reads from outside). */
export async function exportDonorsCsv(db: D1Database, actor: Actor, siteId: string) {
  if (actor.role === 'planner') throw forbidden('Planners see pool counts only')
  if (actor.role === 'director' && actor.siteId !== siteId) throw forbidden(`You direct ${actor.siteId}; export your own station's donors`)
  const rows = await selectDonors(db, nowIso(), { site: siteId })
  await auditReads(db, actor, rows, 'csv')
  return toCsv(
    COLUMNS,
    rows.map((r) => [r.code, r.abo, r.rhd, r.antigens.split(',').filter(Boolean).join(';'), r.consent ? 'yes' : 'no', r.lastWb ?? '', r.lastPlt ?? '']),
  )
}

/**
 * Loads a station's register: new codes are added, known codes of this station updated (group, antigens, consent),
 * donation dates recorded once. A code held by another station, or any bad row: 400 invalid_csv listing every row,
 * nothing applied. One batch with one audit row for the import.
 */
export async function importDonorsCsv(db: D1Database, actor: Actor, siteId: string, text: string) {
  requireDonorWriter(actor, siteId)
  if (!(await selectSite(db, siteId))) throw badRequest('site', `No site ${siteId}`)
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim().toLowerCase() })
  for (const f of ['code', 'abo', 'rhd']) if (!parsed.meta.fields?.includes(f)) throw badRequest('body', `The CSV needs a column ${f}`)
  if (parsed.data.length === 0) throw badRequest('body', 'The CSV has no rows')
  if (parsed.data.length > 1000) throw badRequest('body', 'At most 1000 donors per import')
  const now = nowIso()
  const existing = new Map((await selectDonors(db, now, { codes: parsed.data.map((r) => (r.code ?? '').trim()) })).map((r) => [r.code, r.siteId]))
  const errors: { row: number; field: string; message: string }[] = []
  const rows = parsed.data.map((r, i) => {
    const row = i + 2
    const err = (field: string, message: string) => errors.push({ row, field, message })
    const code = (r.code ?? '').trim()
    if (!DonorCode.safeParse(code).success) err('code', 'A donor code such as CQ-R0012')
    else if (existing.has(code) && existing.get(code) !== siteId) err('code', `${code} belongs to ${existing.get(code)}`)
    const abo = (r.abo ?? '').trim().toUpperCase()
    if (!['O', 'A', 'B', 'AB'].includes(abo)) err('abo', 'abo is O, A, B or AB')
    const rhd = (r.rhd ?? '').trim()
    if (!['+', '-'].includes(rhd)) err('rhd', 'rhd is + or -')
    const antigens = (r.antigens ?? '')
      .split(/[;,]/)
      .map((a) => unescapeCell(a.trim()))
      .filter(Boolean)
    if (antigens.some((a) => !ANTIGEN.test(a))) err('antigens', 'antigens such as Fy(a-);Jk(a-b-);HPA-1a-')
    if (antigens.length === 0 && rhd !== '-') err('antigens', 'A pool donor is RhD-negative or has at least one typed antigen')
    const consentText = (r.consent ?? 'yes').trim().toLowerCase()
    if (!['yes', 'no', '1', '0', 'true', 'false', '是', '否', ''].includes(consentText)) err('consent', 'consent is yes or no')
    const lastWb = (r.last_whole_blood ?? '').trim()
    const lastPlt = (r.last_platelets ?? '').trim()
    const wb = lastWb ? when(lastWb) : null
    const plt = lastPlt ? when(lastPlt) : null
    if (lastWb && (!wb || wb > now)) err('last_whole_blood', 'a past date such as 2026-05-01')
    if (lastPlt && (!plt || plt > now)) err('last_platelets', 'a past date such as 2026-05-01')
    return { code, siteId, abo, rhd, antigens: antigens.join(','), consent: !['no', '0', 'false', '否'].includes(consentText), wb, plt }
  })
  if (errors.length) throw new CsvError(`${errors.length} row error(s); nothing was applied`, errors)
  const stmts = rows.flatMap((r) => [
    upsertDonorStmt(db, r, actor.id, now),
    ...(r.wb ? [insertDonationStmt(db, r.code, 'WB', r.wb)] : []),
    ...(r.plt ? [insertDonationStmt(db, r.code, 'PLT', r.plt)] : []),
  ])
  const added = rows.filter((r) => !existing.has(r.code)).length
  await db.batch([...stmts, auditStmt(db, actor, 'donor.import', 'site', siteId, { added, updated: rows.length - added, codes: rows.map((r) => r.code) }, now)])
  return { added, updated: rows.length - added }
}
