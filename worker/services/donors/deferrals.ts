// The joint deferral list (联合屏蔽): a deferral recorded at any station blocks a call-up everywhere.
import Papa from 'papaparse'
import { toCsv, unescapeCell } from '../../lib/csv-writer'
import { insertDeferralStmt, insertScreeningStmt, selectDeferrals, selectDonor, selectScreenings, type DeferralRow, type LocalDeferral } from '../../db/donors'
import { outboxIfDeferralStmt } from '../../db/donor-link'
import type { DeferralMessageT, LinkCtx } from '../../link/donors'
import { selectSite } from '../../db/sites'
import { ApiError, badRequest, conflict, forbidden } from '../../errors'
import { newId } from '../../lib/crypto'
import { nowIso } from '../../lib/time'
import { DeferralReason, DonorCode, type DeferralCreateT, type ScreeningCreateT } from '../../schemas/donor'
import { auditStmt } from '../audit'
import type { Actor } from '../auth'
import { CsvError } from '../csv'
import { requireDonorWriter } from './pool'
import { isUnique } from '../../db/constraints'

const view = (d: DeferralRow, now: string) => ({
  ...d,
  reason: d.reason as DeferralCreateT['reason'],
  active: d.from <= now && (d.until === null || d.until > now),
})

/**
 * The joint list spans the linked provinces: a deferral recorded here is announced to each of them, in the batch that
 * records it (a CSV row already on the list announces nothing). Received deferrals are not passed on: every
 * province sends its own to all the others.
 */
function announceStmts(db: D1Database, link: LinkCtx, d: LocalDeferral, site: { nameZh: string; nameEn: string }, at: string) {
  if (!link) return []
  const body: DeferralMessageT = {
    id: d.id,
    donorCode: d.donorCode,
    reason: d.reason as DeferralMessageT['reason'],
    from: d.from,
    until: d.until,
    note: d.note,
    site: { id: d.siteId, nameZh: site.nameZh, nameEn: site.nameEn },
  }
  return link.peers.map((to) => outboxIfDeferralStmt(db, { id: newId('lnk'), to, kind: 'donor.deferral', body, at }, d.id))
}

/** The list is joint: coordinators, admins and every director read it; planners do not. */
function requireReader(actor: Actor) {
  if (actor.role === 'planner') throw forbidden('Planners see pool counts only')
}

export async function listDeferrals(db: D1Database, actor: Actor, f: { donor?: string; site?: string; active?: string }) {
  requireReader(actor)
  const now = nowIso()
  return (await selectDeferrals(db, { donor: f.donor, site: f.site, activeAt: f.active === 'true' ? now : null })).map((d) => view(d, now))
}

/** Records a deferral at the actor's station (a coordinator or admin for any station). One batch with its audit row. */
export async function createDeferral(db: D1Database, actor: Actor, input: DeferralCreateT, link: LinkCtx = null) {
  requireDonorWriter(actor, input.siteId)
  const site = await selectSite(db, input.siteId)
  if (!site) throw badRequest('siteId', `No site ${input.siteId}`)
  const now = nowIso()
  // a deferral of nobody would sit on the joint list unseen (ZZ-NOBODY used to answer 201). In province mode a
  // donor of a linked province may be deferred here (they gave, or tried to, at one of our stations): a code whose
  // station part names none of this province's sites is taken as theirs, and the deferral is announced to them.
  if (!(await selectDonor(db, now, input.donorCode)) && !(link && !(await selectSite(db, input.donorCode.split('-')[0]!))))
    throw new ApiError(404, 'not_found', `No donor ${input.donorCode} in the pool`, 'donorCode')
  const row = {
    id: newId('def'),
    donorCode: input.donorCode,
    siteId: input.siteId,
    reason: input.reason,
    from: new Date(input.from).toISOString(),
    until: input.until ? new Date(input.until).toISOString() : null,
    note: input.note ?? '',
    createdBy: actor.id,
  }
  try {
    await db.batch([
      insertDeferralStmt(db, row, now, false),
      ...announceStmts(db, link, row, site, now),
      auditStmt(
        db,
        actor,
        'deferral.create',
        'donor',
        input.donorCode,
        { deferralId: row.id, siteId: row.siteId, reason: row.reason, from: row.from, until: row.until, announcedTo: link?.peers ?? [] },
        now,
      ),
    ])
  } catch (e) {
    if (isUnique(e)) throw conflict('deferral_exists', `This deferral of ${input.donorCode} is already on the list`, 'donorCode')
    throw e
  }
  return view({ ...row, createdAt: now, fromProvince: null, sourceSite: null, sourceSiteNameZh: null, sourceSiteNameEn: null }, now)
}

const COLUMNS = ['donor_code', 'site_id', 'reason', 'from', 'until', 'note'] as const
const csvWhen = (v: string) => {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v.replace(' ', 'T'))
  return /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(ms) ? new Date(ms).toISOString() : null
}

/** The joint list (or one station's part of it) as CSV; until empty = permanent. */
export async function exportDeferralsCsv(db: D1Database, actor: Actor, site?: string) {
  requireReader(actor)
  const rows = await selectDeferrals(db, { site })
  return toCsv(
    COLUMNS,
    // a deferral received from another province: its station as '<province>:<station id>'
    rows.map((d) => [d.donorCode, d.siteId ?? `${d.fromProvince}:${d.sourceSite}`, d.reason, d.from, d.until ?? '', d.note]),
  )
}

/**
 * Loads a station's own list (columns donor_code, reason, from, until[, note]; until empty = permanent) as deferrals
 * recorded at that station. Any bad row: 400 invalid_csv with every row, nothing applied. Rows already on the list are
 * skipped (a re-import adds nothing). One batch, with one audit row per deferral added.
 */
export async function importDeferralsCsv(db: D1Database, actor: Actor, siteId: string, text: string, link: LinkCtx = null) {
  requireDonorWriter(actor, siteId)
  const site = await selectSite(db, siteId)
  if (!site) throw badRequest('site', `No site ${siteId}`)
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim().toLowerCase() })
  for (const f of ['donor_code', 'reason', 'from']) if (!parsed.meta.fields?.includes(f)) throw badRequest('body', `The CSV needs a column ${f}`)
  const errors: { row: number; field: string; message: string }[] = []
  const now = nowIso()
  const rows = parsed.data.map((r, i): LocalDeferral => {
    const row = i + 2
    const code = (r.donor_code ?? '').trim()
    if (!DonorCode.safeParse(code).success) errors.push({ row, field: 'donor_code', message: 'A donor code such as CQ-R0012' })
    const reason = (r.reason ?? '').trim()
    if (!DeferralReason.safeParse(reason).success) errors.push({ row, field: 'reason', message: `reason is one of ${DeferralReason.options.join(', ')}` })
    const from = csvWhen((r.from ?? '').trim())
    if (!from) errors.push({ row, field: 'from', message: 'from is a date such as 2026-11-01' })
    const untilText = (r.until ?? '').trim()
    const until = untilText ? csvWhen(untilText) : null
    if (untilText && !until) errors.push({ row, field: 'until', message: 'until is a date, or empty for permanent' })
    else if (until && from && until <= from) errors.push({ row, field: 'until', message: 'until must be after from' })
    return {
      id: newId('def'),
      donorCode: code,
      siteId,
      reason,
      from: from ?? '',
      until,
      note: unescapeCell((r.note ?? '').trim()).slice(0, 500),
      createdBy: actor.id,
    }
  })
  if (errors.length) throw new CsvError(`${errors.length} row error(s); nothing was applied`, errors)
  if (rows.length === 0) throw badRequest('body', 'The CSV has no rows')
  if (rows.length > 2000) throw badRequest('body', 'At most 2000 deferrals per import')
  // each row, then its announcements (written only if the row was): one batch
  const stmts = rows.map((r) => [insertDeferralStmt(db, r, now), ...announceStmts(db, link, r, site, now)])
  const res = await db.batch(stmts.flat())
  const first = stmts.map((_, i) => stmts.slice(0, i).reduce((n, s) => n + s.length, 0))
  const added = rows.filter((_, i) => res[first[i]!]!.meta.changes > 0)
  if (added.length)
    await db.batch(
      added.map((r) =>
        auditStmt(
          db,
          actor,
          'deferral.create',
          'donor',
          r.donorCode,
          { deferralId: r.id, siteId, reason: r.reason, from: r.from, until: r.until, source: 'csv', announcedTo: link?.peers ?? [] },
          now,
        ),
      ),
    )
  return { added: added.length, skipped: rows.length - added.length }
}

// ---- screening

export async function createScreening(db: D1Database, actor: Actor, input: ScreeningCreateT) {
  requireDonorWriter(actor, input.siteId)
  if (!(await selectSite(db, input.siteId))) throw badRequest('siteId', `No site ${input.siteId}`)
  const now = nowIso()
  const row = {
    id: newId('scr'),
    siteId: input.siteId,
    antigen: input.antigen,
    screened: input.screened,
    found: input.found,
    periodFrom: new Date(input.periodFrom).toISOString(),
    periodTo: new Date(input.periodTo).toISOString(),
    createdBy: actor.id,
  }
  try {
    await db.batch([insertScreeningStmt(db, row, now), auditStmt(db, actor, 'screening.create', 'donor_screening', row.id, row, now)])
  } catch (e) {
    if (isUnique(e)) throw conflict('screening_exists', `${input.siteId} already recorded ${input.antigen} screening for this period`, 'antigen')
    throw e
  }
  return { ...row, createdAt: now }
}

export const listScreenings = (db: D1Database, f: { site?: string; antigen?: string }) => selectScreenings(db, f)
