// From an unmet need to the donors who could give for it: the plan detail's `unmet[i].donors`.
import type { Abo, Component, Instance, Need, PlanResult, Rhd } from '../../../solver'
import { selectDonorReadyHours, selectDonors, selectSiteGeo } from '../../db/donors'
import type { DonorSuggestionT } from '../../schemas/donor'
import { callable, donorView, matches } from './pool'
import { donationKind } from './eligibility'
import { roadHoursOf } from './road'

const HOUR = 3_600_000
/** Unmet for want of compatible stock: the reasons after which a donor is worth calling. */
export const DONOR_REASONS = new Set(['no_compatible_stock', 'insufficient_stock'])

/** A need the pool is for: a rare antigen profile, or an RhD-negative patient (the pool's RhD-negative donors). */
const poolNeed = (n: Need, antigens: string) => antigens !== '' || (n.rhd === '-' && !n.allowRhPositive)

type StoredInstance = Instance & { antigenRounds?: { antigens: string; instance: Instance }[] }

/**
 * For each unmet need the pool is for, the stations holding callable matching donors, nearest by road first: how many,
 * how many eligible now, when the earliest unit would be released there (eligible date or now, plus the component's
 * collection, testing and processing hours, component.donor_ready_hours) and reach the patient's station, and whether
 * that meets the deadline. Computed when the plan is read (at `now`); the solver's contract is untouched.
 */
export async function donorSuggestions(
  db: D1Database,
  instance: StoredInstance,
  unmet: PlanResult['unmet'],
  now: string,
): Promise<Map<string, DonorSuggestionT[]>> {
  const needs = new Map<string, { need: Need; antigens: string }>()
  for (const n of instance.needs ?? []) needs.set(n.id, { need: n, antigens: n.antigens ?? '' }) // one solve: needs carry their antigens
  for (const r of instance.antigenRounds ?? []) for (const n of r.instance.needs ?? []) needs.set(n.id, { need: n, antigens: r.antigens })
  const wanted = unmet.filter(
    (u) => u.qty > 0 && u.reason && DONOR_REASONS.has(u.reason) && needs.has(u.need) && poolNeed(needs.get(u.need)!.need, needs.get(u.need)!.antigens),
  )
  const out = new Map<string, DonorSuggestionT[]>()
  if (wanted.length === 0) return out
  const [rows, sites, ready] = await Promise.all([selectDonors(db, now), selectSiteGeo(db), selectDonorReadyHours(db)])
  const road = await roadHoursOf(db, sites)
  const readyHours = new Map(ready.map((c) => [c.code, c.readyHours ?? 12]))
  const nowMs = Date.parse(now)
  for (const u of wanted) {
    const { need, antigens } = needs.get(u.need)!
    const kind = donationKind(need.component)
    const bySite = new Map<string, DonorSuggestionT>()
    for (const r of rows) {
      if (!matches(r, { component: need.component as Component, abo: need.abo as Abo, rhd: need.rhd as Rhd, antigens, allowRhPositive: need.allowRhPositive }))
        continue
      const d = donorView(r, need.component, now)
      if (!callable(d) || d.callupId) continue
      const from = d.eligibleFrom[kind]
      if (!from) continue
      const readyMs = Math.max(nowMs, Date.parse(from)) + readyHours.get(need.component)! * HOUR
      const hours = road(r.siteId, need.site)
      const arrivesMs = readyMs + hours * HOUR
      const s = bySite.get(r.siteId)
      if (!s) {
        bySite.set(r.siteId, {
          siteId: r.siteId,
          roadHours: hours,
          donors: 1,
          eligibleNow: d.eligibleNow ? 1 : 0,
          readyAt: new Date(readyMs).toISOString(),
          arrivesAt: new Date(arrivesMs).toISOString(),
          meetsDeadline: !need.neededBy || arrivesMs <= Date.parse(need.neededBy),
        })
      } else {
        s.donors++
        if (d.eligibleNow) s.eligibleNow++
        if (readyMs < Date.parse(s.readyAt)) {
          s.readyAt = new Date(readyMs).toISOString()
          s.arrivesAt = new Date(arrivesMs).toISOString()
          s.meetsDeadline = !need.neededBy || arrivesMs <= Date.parse(need.neededBy)
        }
      }
    }
    out.set(
      u.need,
      [...bySite.values()].sort((a, b) => a.roadHours - b.roadHours || a.siteId.localeCompare(b.siteId)),
    )
  }
  return out
}
