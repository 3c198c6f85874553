import type { PlanResult } from '../../../solver'
import { CATEGORIES, estimateDemand, KIND_FACTORS } from '../../../solver/incident-demand'
import {
  selectEstimate,
  selectFactors,
  selectIncident,
  selectIncidentPlans,
  selectIncidentRequests,
  selectIncidents,
  selectIncidentTransferIds,
  selectPoints,
  selectGroupShares,
  selectSiteBriefs,
  selectTimeline,
  selectTriage,
  selectUsableBySite,
  type IncidentRow,
} from '../../db/incidents'
import { selectPlan } from '../../db/plans'
import { selectTransferRows, selectTransferRowsByIds, withLines } from '../../db/transfers/read'
import { selectAvgDailyIssue } from '../../db/usage'
import { selectPolicies } from '../../db/warnings'
import { notFound } from '../../errors'
import { nowIso } from '../../lib/time'
import type { IncidentResponseT, IncidentSummaryT, IncidentT } from '../../schemas/incident'
import type { Actor } from '../auth'
import { daysOfSupply, instantLevel } from '../warning-level'

const casualtiesOf = (r: IncidentRow) => ({ critical: r.critical, severe: r.severe, moderate: r.moderate })

export const summaryOf = (r: IncidentRow): IncidentSummaryT => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  lat: r.lat,
  lng: r.lng,
  siteId: r.siteId,
  occurredAt: r.occurredAt,
  casualties: casualtiesOf(r),
  status: r.status,
  greenChannel: r.greenChannel === 1,
  createdAt: r.createdAt,
})

/** Any signed-in role may list incidents: the region's directors need to know what is going on. */
export const listIncidents = async (db: D1Database, f: { status?: string; limit: number }): Promise<IncidentSummaryT[]> =>
  (await selectIncidents(db, f)).map(summaryOf)

export async function requireIncident(db: D1Database, id: string): Promise<IncidentRow> {
  const r = await selectIncident(db, id)
  if (!r) throw notFound('incident', id)
  return r
}

/**
 * The incident with its receiving points, estimate (and the factors and triage deadlines it came from), its aid
 * requests, plans and transfers, and the outlook of its latest plan. A director sees only the transfers from or
 * to their own station.
 */
export async function getIncident(db: D1Database, actor: Actor, id: string): Promise<IncidentT> {
  const r = await requireIncident(db, id)
  const [points, sites, lines, factors, triage, shares, requests, plans, transferIds] = await Promise.all([
    selectPoints(db, id),
    selectSiteBriefs(db),
    selectEstimate(db, id),
    selectFactors(db),
    selectTriage(db),
    selectGroupShares(db),
    selectIncidentRequests(db, id),
    selectIncidentPlans(db, id),
    selectIncidentTransferIds(db, id),
  ])
  const site = new Map(sites.map((s) => [s.id, s]))
  let transfers = await withLines(db, await selectTransferRowsByIds(db, transferIds))
  if (actor.role === 'director') transfers = transfers.filter((t) => t.fromSite === actor.siteId || t.toSite === actor.siteId)
  // the range comes from what is known; lines given directly or quotas are certain (low = high = their units)
  const firstSite = lines.find((l) => (CATEGORIES as readonly string[]).includes(l.category))?.siteId ?? points[0]?.siteId ?? ''
  const demand = estimateDemand(
    r.kind,
    { casualties: casualtiesOf(r), injured: r.injured, hospitalised: r.hospitalised },
    factors,
    triage,
    shares,
    r.occurredAt,
    firstSite,
    JSON.parse(r.demandPicks),
  )
  const totals = new Map<string, { component: string; urgency: string; qty: number; low: number; high: number }>()
  for (const l of lines) {
    const k = `${l.component}|${l.urgency}`
    const t = totals.get(k) ?? { component: l.component, urgency: l.urgency, qty: 0, low: 0, high: 0 }
    t.qty += l.qty
    if (!(CATEGORIES as readonly string[]).includes(l.category)) {
      t.low += l.qty
      t.high += l.qty
    }
    totals.set(k, t)
  }
  for (const d of demand?.totals ?? []) {
    const k = `${d.component}|${d.urgency}`
    const t = totals.get(k) ?? { component: d.component, urgency: d.urgency, qty: 0, low: 0, high: 0 }
    t.low += d.low
    t.high += d.high
    totals.set(k, t)
  }
  return {
    id: r.id,
    name: r.name,
    lat: r.lat,
    lng: r.lng,
    siteId: r.siteId,
    occurredAt: r.occurredAt,
    durationHours: r.durationHours,
    casualties: casualtiesOf(r),
    kind: r.kind,
    injured: r.injured,
    hospitalised: r.hospitalised,
    estimateSource: r.estimateSource,
    status: r.status,
    greenChannel: r.greenChannel === 1,
    greenChannelAt: r.greenChannelAt,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    closedAt: r.closedAt,
    points: points.map((p) => {
      const s = site.get(p.siteId)!
      return {
        siteId: p.siteId,
        nameZh: s.nameZh,
        nameEn: s.nameEn,
        lat: s.lat,
        lng: s.lng,
        rank: p.rank,
        roadHours: p.roadHours,
        external: s.external === 1,
        quota:
          p.quotaComponent && p.quotaUnits
            ? { component: p.quotaComponent as 'RBC', units: p.quotaUnits, ml: p.quotaMl, ...(p.quotaAntigens ? { antigens: p.quotaAntigens } : {}) }
            : null,
      }
    }),
    estimate: {
      lines: lines as IncidentT['estimate']['lines'],
      basis: demand?.basis ?? null,
      totals: [...totals.values()] as IncidentT['estimate']['totals'],
      components: (demand?.components ?? []) as IncidentT['estimate']['components'],
      kindFactors: r.kind === 'relief' ? null : { kind: r.kind, ...KIND_FACTORS[r.kind] },
      factors,
      triage,
    },
    requests,
    plans: plans.map(({ id, status, createdAt }) => ({ id, status, createdAt })),
    transfers,
    response: plans.length ? await planOutlook(db, r, plans[0].id, actor) : null,
  }
}

type NeedInfo = { id: string; site: string; component: string; abo: string; rhd: string; urgency: string }

/**
 * What a plan for the incident means: per donor station and component, its usable stock before the plan (now, plus
 * what this plan's committed transfers already took), what it sends, and its days of supply and warning level after
 * (the province's thresholds, average daily issue over 14 days); the fair-shares stage's largest share; how much
 * each station sends to each external destination against its quota; and every unmet need with the solver's reason.
 */
export async function planOutlook(db: D1Database, inc: IncidentRow, planId: string, actor?: Actor): Promise<IncidentResponseT | null> {
  const plan = await selectPlan(db, planId)
  if (!plan) return null
  const now = nowIso()
  const result = JSON.parse(plan.result) as PlanResult
  const instance = JSON.parse(plan.instance) as { needs: NeedInfo[]; antigenRounds?: { instance: { needs: NeedInfo[] } }[] }
  const [rows, usable, usage, policies, sites, points, requests] = await Promise.all([
    selectTransferRows(db, { planId }),
    selectUsableBySite(db, now),
    selectAvgDailyIssue(db, now),
    selectPolicies(db),
    selectSiteBriefs(db),
    selectPoints(db, inc.id),
    selectIncidentRequests(db, inc.id),
  ])
  const live = rows.filter((t) => t.status !== 'rejected' && t.status !== 'cancelled')
  const left = new Map(usable.map((u) => [`${u.siteId}|${u.component}`, u.qty]))
  const issue = new Map<string, number>()
  for (const u of usage) issue.set(`${u.siteId}|${u.component}`, (issue.get(`${u.siteId}|${u.component}`) ?? 0) + u.avgDailyIssue)
  const province = new Map(sites.map((s) => [s.id, s.province]))
  const policy = new Map(policies.map((p) => [`${p.province}|${p.component}`, p]))

  const sends = new Map<string, { siteId: string; component: string; sends: number; taken: number }>()
  for (const t of live) {
    const k = `${t.fromSite}|${t.component}`
    const s = sends.get(k) ?? { siteId: t.fromSite, component: t.component, sends: 0, taken: 0 }
    s.sends += t.qty
    if (t.status !== 'proposed' && t.status !== 'approved') s.taken += t.qty // already left the donor's lots
    sends.set(k, s)
  }
  let stations = [...sends.values()]
    .map((s) => {
      const k = `${s.siteId}|${s.component}`
      const before = (left.get(k) ?? 0) + s.taken
      const after = Math.max(0, before - s.sends)
      const avg = Math.round((issue.get(k) ?? 0) * 100) / 100
      const p = policy.get(`${province.get(s.siteId)}|${s.component}`)
      const t = p ? { yellowDays: p.yellowDays, orangeDays: p.orangeDays, redDays: p.redDays, consecutiveDays: 1 } : null
      const dBefore = daysOfSupply(before, avg)
      const dAfter = daysOfSupply(after, avg)
      const round = (d: number | null) => (d === null ? null : Math.round(d * 10) / 10)
      return {
        siteId: s.siteId,
        component: s.component as 'RBC',
        before,
        sends: s.sends,
        after,
        avgDailyIssue: avg,
        daysBefore: round(dBefore),
        daysAfter: round(dAfter),
        levelBefore: t ? instantLevel(dBefore, t) : ('normal' as const),
        levelAfter: t ? instantLevel(dAfter, t) : ('normal' as const),
        share: before > 0 ? Math.round((s.sends / before) * 1000) / 1000 : 0,
      }
    })
    .sort((a, b) => a.component.localeCompare(b.component) || b.sends - a.sends || a.siteId.localeCompare(b.siteId))

  const destinations = points
    .filter((p) => p.quotaUnits !== null)
    .map((p) => {
      const to = live.filter((t) => t.toSite === p.siteId)
      const by = new Map<string, number>()
      for (const t of to) by.set(t.fromSite, (by.get(t.fromSite) ?? 0) + t.qty)
      return {
        siteId: p.siteId,
        component: p.quotaComponent as 'RBC',
        quota: p.quotaUnits!,
        planned: to.reduce((s, t) => s + t.qty, 0),
        bySource: [...by].map(([siteId, qty]) => ({ siteId, qty })).sort((a, b) => b.qty - a.qty || a.siteId.localeCompare(b.siteId)),
      }
    })

  const needs = new Map([...instance.needs, ...(instance.antigenRounds ?? []).flatMap((r) => r.instance.needs)].map((n) => [n.id, n]))
  const mine = new Set(requests.map((r) => r.id))
  let unmet = result.unmet
    .filter((u) => u.qty > 0)
    .map((u) => {
      const n = needs.get(u.need)
      return {
        requestId: u.need,
        siteId: n?.site ?? '',
        component: n?.component ?? '',
        abo: n?.abo ?? '',
        rhd: n?.rhd ?? '',
        urgency: n?.urgency ?? '',
        incident: mine.has(u.need),
        qty: u.qty,
        ...(u.reason ? { reason: u.reason } : {}),
        ...(u.message ? { message: u.message } : {}),
      }
    })
  if (actor?.role === 'director') {
    stations = stations.filter((s) => s.siteId === actor.siteId)
    unmet = unmet.filter((u) => u.incident || u.siteId === actor.siteId)
  }
  return {
    planId,
    planStatus: plan.status,
    mode: plan.mode,
    stations,
    destinations,
    unmet,
    fairness: (result.summary?.fairness ?? []).map((f) => ({ component: f.component, maxShare: Math.round(f.maxShare * 1000) / 1000, method: f.method })),
  }
}

/** What happened, newest first; a director sees the incident's own rows and those of the transfers concerning their station. */
export async function incidentTimeline(db: D1Database, actor: Actor, id: string, limit: number) {
  await requireIncident(db, id)
  return (await selectTimeline(db, id, limit))
    .filter((e) => actor.role !== 'director' || e.entity !== 'transfer' || e.fromSite === actor.siteId || e.toSite === actor.siteId)
    .map(({ fromSite: _f, toSite: _t, ...e }) => ({ ...e, detail: JSON.parse(e.detail) as unknown }))
}
