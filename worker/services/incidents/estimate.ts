import { estimatedRoadHours } from '../../../solver/timing'

/**
 * The demand estimate of an incident, pure: casualties by triage category × the stored planning factors → units
 * per component and ABO/RhD group, each with the category's urgency and deadline. No D1, no clock.
 */

export type Category = 'critical' | 'severe' | 'moderate'
export const CATEGORIES: readonly Category[] = ['critical', 'severe', 'moderate']
export type Casualties = Record<Category, number>
export type Factor = { category: Category; component: string; shareTransfused: number; unitsPerPatient: number }
export type Triage = { category: Category; urgency: 'emergency' | 'urgent' | 'routine'; deadlineHours: number }
export type GroupShare = { abo: string; rhd: string; share: number }
export type EstimateLine = {
  siteId: string; component: string; abo: string; rhd: string; urgency: 'emergency' | 'urgent' | 'routine'
  qty: number; neededBy: string; category: Category | 'direct' | 'quota'
}

/** ceil of a float product, after trimming float noise (so 12.000000001 stays 12). */
export const ceilUnits = (x: number) => Math.ceil(Math.round(x * 1e6) / 1e6)

/**
 * Splits `total` units over the groups by their shares, largest remainder first, so the parts add up to `total`
 * exactly (ties: the order given, which lists O first). Groups that get 0 are left out.
 */
export function splitByGroup(total: number, shares: GroupShare[]): { abo: string; rhd: string; qty: number }[] {
  const sum = shares.reduce((s, g) => s + g.share, 0)
  if (total <= 0 || !(sum > 0)) return []
  const exact = shares.map((g) => (total * g.share) / sum)
  const parts = exact.map((x) => Math.floor(Math.round(x * 1e6) / 1e6))
  let left = total - parts.reduce((s, n) => s + n, 0)
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    parts[i]++
    left--
  }
  return shares.map((g, i) => ({ abo: g.abo, rhd: g.rhd, qty: parts[i] })).filter((p) => p.qty > 0)
}

/**
 * Per triage category and component: units = ceil(casualties × share transfused × units per transfused patient),
 * split by the region's group shares; urgency and deadline (occurredAt + deadline hours) from the category.
 * Every line goes to `siteId` (the nearest receiving point); the coordinator may move or edit lines afterwards.
 */
export function estimateNeeds(
  casualties: Casualties, factors: Factor[], triage: Triage[], shares: GroupShare[], occurredAt: string, siteId: string,
): EstimateLine[] {
  const lines: EstimateLine[] = []
  for (const category of CATEGORIES) {
    const n = casualties[category] ?? 0
    const tri = triage.find((t) => t.category === category)
    if (!(n > 0) || !tri) continue
    const neededBy = new Date(Date.parse(occurredAt) + tri.deadlineHours * 3_600_000).toISOString()
    for (const f of factors.filter((x) => x.category === category).sort((a, b) => a.component.localeCompare(b.component))) {
      const total = ceilUnits(n * f.shareTransfused * f.unitsPerPatient)
      for (const g of splitByGroup(total, shares)) lines.push({ siteId, component: f.component, abo: g.abo, rhd: g.rhd, urgency: tri.urgency, qty: g.qty, neededBy, category })
    }
  }
  return mergeLines(lines)
}

/** Lines with the same receiving point, component, group and urgency are one need: quantities add, the earliest deadline holds. */
export function mergeLines(lines: EstimateLine[]): EstimateLine[] {
  const out = new Map<string, EstimateLine>()
  for (const l of lines) {
    const k = lineKey(l)
    const prev = out.get(k)
    out.set(k, prev ? { ...prev, qty: prev.qty + l.qty, neededBy: prev.neededBy < l.neededBy ? prev.neededBy : l.neededBy } : { ...l })
  }
  return [...out.values()]
}

export const lineKey = (l: { siteId: string; component: string; abo: string; rhd: string; urgency: string }) =>
  `${l.siteId}|${l.component}|${l.abo}|${l.rhd}|${l.urgency}`

/** Road hours the planner assumes between two points (solver/timing.ts: great circle × 1.3 at 60 km/h). */
export const roadHours = estimatedRoadHours
