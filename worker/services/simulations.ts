import { ABO_SHARES, simulate, SimulationError, type SimIssueRate, type SimLot, type SimulationResult, type Thresholds } from '../../solver/simulation'
import type { Abo, Component, Rhd } from '../../solver'
import { selectLiveLots } from '../db/plans'
import { selectSites } from '../db/sites'
import { selectPolicies } from '../db/warnings'
import { selectAvgDailyIssue } from '../db/usage'
import { badRequest } from '../errors'
import { nowIso } from '../lib/time'
import type { SimulationCreateT } from '../schemas/simulation'
import { requireRole, type Actor } from './auth'

/**
 * The smallest baseline daily issue per site × component the simulation assumes (units per day), spread
 * over the RhD-positive groups by the blood-group shares: a station that holds a component but issued
 * little of it in the last 14 days still sees some demand (and collects as much).
 */
export const BASELINE_FLOOR: Readonly<Record<Component, number>> = { RBC: 1, WB: 0.1, PLT: 0.2, FFP: 0.5, CRYO: 0.2 }

export type SimulationOut = SimulationResult & {
  at: string
  baseline: { component: Component; stockUnits: number; dailyIssue: number; floored: number }[]
  elapsedMs: number
}

/**
 * A what-if: reads the live region (unexpired lots without a rare antigen profile, the 14-day average daily
 * issue per site × component × group, warning thresholds per province) and runs solver/simulation on it.
 * Nothing is written. Planner, coordinator or admin.
 */
export async function runSimulation(db: D1Database, actor: Actor, input: SimulationCreateT, now = nowIso()): Promise<SimulationOut> {
  requireRole(actor, 'planner', 'coordinator', 'admin')
  const names = new Set<string>()
  input.policies.forEach((p, i) => {
    if (names.has(p.name)) throw badRequest(`policies.${i}.name`, `Policy name "${p.name}" is used twice`)
    names.add(p.name)
  })
  if (input.custom && input.scenario !== 'custom') throw badRequest('custom', 'custom factors apply only to the custom scenario')
  if (input.custom?.fromDay !== undefined && input.custom.toDay !== undefined && input.custom.toDay < input.custom.fromDay)
    throw badRequest('custom.toDay', 'toDay must not be before fromDay')

  const [allSites, liveLots, usage, policies] = await Promise.all([
    selectSites(db, {}),
    selectLiveLots(db, now),
    selectAvgDailyIssue(db, now),
    selectPolicies(db),
  ])
  let sites = allSites
  if (input.sites) {
    const known = new Set(allSites.map((s) => s.id))
    const bad = input.sites.findIndex((id) => !known.has(id))
    if (bad >= 0) throw badRequest(`sites.${bad}`, `No site ${input.sites[bad]}`)
    const wanted = new Set(input.sites)
    sites = allSites.filter((s) => wanted.has(s.id))
  }
  const inScope = new Set(sites.map((s) => s.id))
  const components = input.components ? new Set<string>(input.components) : null
  const keep = (site: string, component: string) => inScope.has(site) && (!components || components.has(component))

  // rare antigen profiles are held for antigen-matched requests (as in planning), not ordinary demand
  const lots: SimLot[] = liveLots
    .filter((l) => !l.antigens && keep(l.site, l.component))
    .map((l) => ({ site: l.site, component: l.component as Component, abo: l.abo as Abo, rhd: l.rhd as Rhd, qty: l.qty, expiresAt: l.expiresAt }))
  const rates = new Map<string, SimIssueRate>()
  for (const u of usage) {
    if (!keep(u.siteId, u.component)) continue
    rates.set(`${u.siteId}|${u.component}|${u.abo}|${u.rhd}`, {
      site: u.siteId,
      component: u.component as Component,
      abo: u.abo as Abo,
      rhd: u.rhd as Rhd,
      perDay: u.avgDailyIssue,
    })
  }
  // the floor, for every site × component that holds stock or has use
  let floored = new Map<Component, number>()
  const handled = new Set([...lots.map((l) => `${l.site}|${l.component}`), ...[...rates.values()].map((r) => `${r.site}|${r.component}`)])
  for (const sc of handled) {
    const [site, component] = sc.split('|') as [string, Component]
    for (const abo of Object.keys(ABO_SHARES) as Abo[]) {
      const k = `${site}|${component}|${abo}|+`
      const min = BASELINE_FLOOR[component] * ABO_SHARES[abo]
      const r = rates.get(k)
      if (r && r.perDay >= min) continue
      rates.set(k, { site, component, abo, rhd: '+', perDay: min })
      floored.set(component, (floored.get(component) ?? 0) + 1)
    }
  }
  const issue = [...rates.values()]

  const thresholdsByProvince: Record<string, Partial<Record<Component, Thresholds>>> = {}
  for (const p of policies)
    (thresholdsByProvince[p.province] ??= {})[p.component as Component] = {
      yellowDays: p.yellowDays,
      orangeDays: p.orangeDays,
      redDays: p.redDays,
      cutYellowPct: p.cutYellowPct,
      cutOrangePct: p.cutOrangePct,
      cutRedPct: p.cutRedPct,
    }

  const started = Date.now()
  let result: SimulationResult
  try {
    result = simulate({
      start: now,
      sites: sites.map((s) => ({ id: s.id, name: s.nameEn, lat: s.lat, lng: s.lng, province: s.province, city: s.city })),
      lots,
      issue,
      scenario: input.scenario,
      ...(input.custom ? { custom: input.custom } : {}),
      days: input.days,
      seed: input.seed ?? 1,
      policies: input.policies,
      ...(input.routineShare !== undefined ? { routineShare: input.routineShare } : {}),
      ...(input.components ? { components: input.components } : {}),
      thresholdsByProvince,
    })
  } catch (e) {
    if (e instanceof SimulationError) throw badRequest(e.field, e.message)
    throw e
  }
  const baseline = result.components.map((component) => ({
    component,
    stockUnits: lots.filter((l) => l.component === component).reduce((a, l) => a + l.qty, 0),
    dailyIssue: Math.round(issue.filter((r) => r.component === component).reduce((a, r) => a + r.perDay, 0) * 100) / 100,
    floored: floored.get(component) ?? 0,
  }))
  return { at: now, ...result, baseline, elapsedMs: Date.now() - started }
}
