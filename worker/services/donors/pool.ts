// The rare-donor pool: who may read and edit donors, search across the region nearest first, and the pool's size.
import { isCompatible, type Abo, type Component, type Rhd } from '../../../solver'
import {
  insertDonationStmt,
  insertDonorStmt,
  selectDeferrals,
  selectDonor,
  selectDonors,
  selectScreenings,
  selectSiteGeo,
  updateDonorStmt,
  type DonorRow,
} from '../../db/donors'
import { selectRequest } from '../../db/requests'
import { badRequest, conflict, forbidden, notFound } from '../../errors'
import { nowIso } from '../../lib/time'
import type { DonorCreateT, DonorPatchT, DonorSearchQueryT, DonorT } from '../../schemas/donor'
import { auditStmt } from '../audit'
import { canWriteSite, type Actor } from '../auth'
import { antigenSet, coversAntigens } from '../plan-instance'
import { donationKind, eligibleFrom } from './eligibility'
import { roadHoursOf } from './road'
import { isForeignKey, isUnique } from '../../db/constraints'
import type { LinkCtx } from '../../link/donors'
import { searchPeers, type PeerGet } from './link'

/** Reads of donor records: coordinators, admins and directors (directors call donors for their own patients). Planners see counts only. */
export const seesDonors = (actor: Actor) => actor.role !== 'planner'

/** Writes to a donor: the home station's director, or a coordinator or admin. */
export function requireDonorWriter(actor: Actor, siteId: string): void {
  if (canWriteSite(actor, siteId)) return
  throw forbidden(
    actor.role === 'director' ? `You direct site ${actor.siteId}; donors of ${siteId} are edited by their own station` : `A ${actor.role} may not edit donors`,
  )
}

/** One audit row per donor record read by someone outside the donor's station, in one batch. */
export async function auditReads(db: D1Database, actor: Actor, donors: { code: string; siteId: string }[], via: string): Promise<void> {
  const outside = donors.filter((d) => d.siteId !== actor.siteId)
  if (outside.length === 0) return
  const at = nowIso()
  await db.batch(outside.map((d) => auditStmt(db, actor, 'donor.read', 'donor', d.code, { siteId: d.siteId, via }, at)))
}

/** A donor row as the API shows it, for a donation kind (from the component) at `now`. */
export function donorView(r: DonorRow, component: string, now: string, road: number | null = null): DonorT {
  const deferral = { now: r.deferredNow === 1, until: r.deferredUntil, permanent: r.deferredPermanent === 1 }
  const history = { lastWb: r.lastWb, lastPlt: r.lastPlt, plt24th: r.plt24th }
  const wb = eligibleFrom('WB', history, deferral, now)
  const plt = eligibleFrom('PLT', history, deferral, now)
  const from = donationKind(component) === 'PLT' ? plt : wb
  return {
    code: r.code,
    siteId: r.siteId,
    province: r.province,
    abo: r.abo as DonorT['abo'],
    rhd: r.rhd as DonorT['rhd'],
    antigens: r.antigens,
    consent: r.consent === 1,
    lastWholeBloodAt: r.lastWb,
    lastPlateletsAt: r.lastPlt,
    plateletsLastYear: r.pltInYear,
    deferred: deferral.now,
    deferredUntil: deferral.now && !deferral.permanent ? r.deferredUntil : null,
    eligibleFrom: { WB: wb, PLT: plt },
    eligibleNow: r.consent === 1 && !deferral.now && !r.liveCallup && from !== null && Date.parse(from) <= Date.parse(now),
    callupId: r.liveCallup,
    roadHours: road,
  }
}

/** Callable at all: consent given, no deferral in force, not permanently deferred. */
export const callable = (d: DonorT) => d.consent && !d.deferred

export type Match = { component: Component; abo?: Abo; rhd?: Rhd; antigens?: string; allowRhPositive?: boolean }

/** Donors whose group suits the patient's for the component (red cells O→all; platelets and plasma the reverse) and who carry every antigen asked. */
export function matches(r: DonorRow, m: Match): boolean {
  // 'RhD-' may be asked like an antigen: it is the donor's RhD
  const asked = [...antigenSet(m.antigens ?? '')]
  if (asked.includes('RhD-') && r.rhd !== '-') return false
  const rest = asked.filter((a) => a !== 'RhD-').join(',')
  if (rest && !coversAntigens(r.antigens, rest)) return false
  if (m.abo && m.rhd) return isCompatible(m.component, r.abo as Abo, r.rhd as Rhd, { abo: m.abo, rhd: m.rhd, allowRhPositive: m.allowRhPositive })
  if (m.abo && r.abo !== m.abo) return false
  if (m.rhd && r.rhd !== m.rhd) return false
  return true
}

/**
 * The pool nearest first; in province mode also each linked province's matching donors (`peers`), asked over the
 * link with the same match (services/donors/link.ts), each saying whether it answered.
 */
export async function searchDonors(db: D1Database, actor: Actor, q: DonorSearchQueryT, link: LinkCtx = null, peerGet: PeerGet | null = null) {
  const now = nowIso()
  let match: Match = { component: q.component, abo: q.abo, rhd: q.rhd, antigens: q.antigens }
  let near = q.near
  if (q.request) {
    const r = await selectRequest(db, q.request)
    if (!r) throw badRequest('request', `No aid request ${q.request}`)
    match = { component: r.component as Component, abo: r.abo as Abo, rhd: r.rhd as Rhd, antigens: r.antigens, allowRhPositive: !!r.allowRhPositive }
    near ??= r.siteId
  }
  if (q.all === 'true' && actor.role === 'planner') throw forbidden('Planners see counts only')
  const sites = await selectSiteGeo(db)
  if (near && !sites.some((s) => s.id === near)) throw badRequest(q.request ? 'request' : 'near', `No site ${near}`)
  const road = await roadHoursOf(db, sites)
  const province = new Map(sites.map((s) => [s.id, s.province]))
  const rows = (await selectDonors(db, now, { site: q.site })).filter((r) => matches(r, match))
  let donors = rows.map((r) => donorView(r, match.component, now, near ? road(r.siteId, near) : null))
  if (q.all !== 'true') donors = donors.filter(callable)
  if (q.eligible === 'true') donors = donors.filter((d) => d.eligibleNow)
  donors.sort(
    (a, b) =>
      (a.roadHours ?? 0) - (b.roadHours ?? 0) ||
      Date.parse(a.eligibleFrom[donationKind(match.component)] ?? '9999') - Date.parse(b.eligibleFrom[donationKind(match.component)] ?? '9999') ||
      a.code.localeCompare(b.code),
  )
  const bySite = new Map<string, { siteId: string; province: string; donors: number; eligibleNow: number; roadHours: number | null }>()
  for (const d of donors) {
    const s = bySite.get(d.siteId) ?? { siteId: d.siteId, province: province.get(d.siteId) ?? '', donors: 0, eligibleNow: 0, roadHours: d.roadHours }
    s.donors++
    if (d.eligibleNow) s.eligibleNow++
    bySite.set(d.siteId, s)
  }
  const visible = seesDonors(actor)
  if (visible) await auditReads(db, actor, donors, 'search')
  // a station's own list (`site`) and the deferred/non-consenting view (`all`) are this province's only
  const peers =
    q.site || q.all === 'true'
      ? []
      : await searchPeers(link, peerGet, actor, {
          component: match.component,
          antigens: match.antigens || undefined,
          abo: match.abo,
          rhd: match.rhd,
          allowRhPositive: match.allowRhPositive ? 'true' : undefined,
          eligible: q.eligible,
        })
  return { total: donors.length, eligibleNow: donors.filter((d) => d.eligibleNow).length, bySite: [...bySite.values()], donors: visible ? donors : null, peers }
}

export async function getDonor(db: D1Database, actor: Actor, code: string): Promise<DonorT> {
  if (!seesDonors(actor)) throw forbidden('Planners see counts only')
  const r = await selectDonor(db, nowIso(), code)
  if (!r) throw notFound('donor', code, 'code')
  await auditReads(db, actor, [r], 'record')
  return donorView(r, 'RBC', nowIso())
}

const donationStmts = (db: D1Database, code: string, d: { lastWholeBloodAt?: string | null; lastPlateletsAt?: string | null }) => [
  ...(d.lastWholeBloodAt ? [insertDonationStmt(db, code, 'WB', new Date(d.lastWholeBloodAt).toISOString())] : []),
  ...(d.lastPlateletsAt ? [insertDonationStmt(db, code, 'PLT', new Date(d.lastPlateletsAt).toISOString())] : []),
]

function noFutureDonation(d: { lastWholeBloodAt?: string | null; lastPlateletsAt?: string | null }, now: string) {
  for (const f of ['lastWholeBloodAt', 'lastPlateletsAt'] as const)
    if (d[f] && Date.parse(d[f]!) > Date.parse(now)) throw badRequest(f, `${f} cannot be in the future`)
}

export async function createDonor(db: D1Database, actor: Actor, input: DonorCreateT): Promise<DonorT> {
  requireDonorWriter(actor, input.siteId)
  const now = nowIso()
  noFutureDonation(input, now)
  if (!input.antigens && input.rhd !== '-') throw badRequest('antigens', 'A pool donor is RhD-negative or has at least one typed antigen')
  try {
    await db.batch([
      insertDonorStmt(
        db,
        { code: input.code, siteId: input.siteId, abo: input.abo, rhd: input.rhd, antigens: input.antigens ?? '', consent: input.consent },
        actor.id,
        now,
      ),
      ...donationStmts(db, input.code, input),
      auditStmt(
        db,
        actor,
        'donor.create',
        'donor',
        input.code,
        { siteId: input.siteId, abo: input.abo, rhd: input.rhd, antigens: input.antigens ?? '', consent: input.consent },
        now,
      ),
    ])
  } catch (e) {
    if (isUnique(e, 'donor', 'code')) throw conflict('donor_exists', `Donor ${input.code} is already in the pool`, 'code')
    if (isForeignKey(e)) throw badRequest('siteId', `No site ${input.siteId}`)
    throw e
  }
  return donorView((await selectDonor(db, nowIso(), input.code))!, 'RBC', nowIso())
}

export async function patchDonor(db: D1Database, actor: Actor, code: string, patch: DonorPatchT): Promise<DonorT> {
  const now = nowIso()
  const r = await selectDonor(db, now, code)
  if (!r) throw notFound('donor', code, 'code')
  requireDonorWriter(actor, r.siteId)
  noFutureDonation(patch, now)
  await db.batch([updateDonorStmt(db, code, patch, now), ...donationStmts(db, code, patch), auditStmt(db, actor, 'donor.update', 'donor', code, patch, now)])
  return donorView((await selectDonor(db, nowIso(), code))!, 'RBC', nowIso())
}

/** The pool by antigen and province, by station, the screening totals and the joint list's size: counts, for every role. */
export async function poolSummary(db: D1Database) {
  const now = nowIso()
  const [rows, screenings, deferrals] = await Promise.all([selectDonors(db, now), selectScreenings(db, {}), selectDeferrals(db, { activeAt: now })])
  // eligible now for either kind of donation (a platelet donor is counted by apheresis, a red-cell donor by whole blood)
  const views = rows.map((r) => {
    const wb = donorView(r, 'RBC', now)
    return { ...wb, eligibleNow: wb.eligibleNow || donorView(r, 'PLT', now).eligibleNow }
  })
  const byAntigen = new Map<string, { antigen: string; donors: number; eligibleNow: number; Sichuan: number; Chongqing: number }>()
  for (const d of views) {
    const tags = [...antigenSet(d.antigens), ...(d.rhd === '-' ? ['RhD-'] : [])]
    for (const a of new Set(tags)) {
      const e = byAntigen.get(a) ?? { antigen: a, donors: 0, eligibleNow: 0, Sichuan: 0, Chongqing: 0 }
      e.donors++
      if (d.eligibleNow) e.eligibleNow++
      if (d.province === 'Sichuan' || d.province === 'Chongqing') e[d.province]++
      byAntigen.set(a, e)
    }
  }
  const bySite = new Map<string, number>()
  for (const d of views) bySite.set(d.siteId, (bySite.get(d.siteId) ?? 0) + 1)
  const screening = new Map<string, { siteId: string; antigen: string; screened: number; found: number }>()
  for (const s of screenings) {
    const k = `${s.siteId}|${s.antigen}`
    const e = screening.get(k) ?? { siteId: s.siteId, antigen: s.antigen, screened: 0, found: 0 }
    e.screened += s.screened
    e.found += s.found
    screening.set(k, e)
  }
  return {
    total: views.length,
    eligibleNow: views.filter((d) => d.eligibleNow).length,
    byAntigen: [...byAntigen.values()].sort((a, b) => b.donors - a.donors || a.antigen.localeCompare(b.antigen)),
    bySite: [...bySite].map(([siteId, donors]) => ({ siteId, donors })).sort((a, b) => b.donors - a.donors || a.siteId.localeCompare(b.siteId)),
    screening: [...screening.values()].sort((a, b) => a.siteId.localeCompare(b.siteId) || a.antigen.localeCompare(b.antigen)),
    deferralsActive: deferrals.length,
  }
}
