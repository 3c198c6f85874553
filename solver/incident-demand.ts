/**
 * The demand estimate of an incident, pure (no I/O, no clock): what the coordinator knows (injured, hospitalised or
 * triaged counts) × the planning factors of the incident's kind → units per component and ABO/RhD group, each with
 * its triage category's urgency and deadline. Every total is a range (low, mid, high); the plan uses mid unless the
 * coordinator picks another figure inside the range. Sources and the back-test: docs/incidents.md.
 */
import type { Component } from './types'

export type Category = 'critical' | 'severe' | 'moderate'
export const CATEGORIES: readonly Category[] = ['critical', 'severe', 'moderate']
export type Casualties = Record<Category, number>
export type Factor = { category: Category; component: string; shareTransfused: number; unitsPerPatient: number }
export type Triage = { category: Category; urgency: 'emergency' | 'urgent' | 'routine'; deadlineHours: number }
export type GroupShare = { abo: string; rhd: string; share: number }
export type EstimateLine = {
  siteId: string
  component: string
  abo: string
  rhd: string
  urgency: 'emergency' | 'urgent' | 'routine'
  qty: number
  neededBy: string
  category: Category | 'direct' | 'quota'
}

// ---------- kinds of incident and their factors (data, with sources) ----------

export const INCIDENT_KINDS = ['earthquake', 'crash', 'explosion', 'flood', 'relief'] as const
export type IncidentKind = (typeof INCIDENT_KINDS)[number]
export type Range = { low: number; mid: number; high: number }
export type Level = keyof Range
export type KindFactors = {
  /** share of the injured admitted to hospital */
  admission: Range
  /** red-cell U (200 mL) per hospitalised casualty, event-wide */
  rbcPerAdmitted: Range
  sources: string[]
}

/**
 * The triage factors of migration 0030 (combat, terror-attack and trauma-trial series) at the common 10/30/60 triage
 * mix ask 0.1 × 75 % × 20 + 0.3 × 30 % × 8 + 0.6 × 5 % × 4 = 2.34 red-cell U per casualty. A kind's factors scale
 * those per-category factors by rbcPerAdmitted ÷ 2.34, so the urgency split and the other components follow.
 */
export const STANDARD_MIX: Casualties = { critical: 0.1, severe: 0.3, moderate: 0.6 }
export const TRIAGE_RBC_PER_CASUALTY = 2.34

const TEHRAN =
  'Tabatabaie et al., Prehospital and Disaster Medicine (Tehran earthquake planning, AABB formula): admission 0.25–0.35 of the injured, transfusion 0.05–0.10 of those admitted'
const PER_TRANSFUSED =
  'units per transfused patient: 8 U (200 mL), the severe-category factor of migration 0030 (Beekley, J Trauma 2009;66:S129; Ramsey, Vox Sang 2023;118:358)'
const SOFFER =
  'Soffer et al., Arch Surg 2008;143:983: 0.7–1.5 US red-cell U (1.4–3 U of 200 mL) per evacuated casualty; "1 unit per victim in a small event, 2 in a large one"'
const RAMSEY = 'Ramsey, Vox Sang 2023;118:358: event-wide median 1.8 US red-cell U (3.6 U of 200 mL) per admission, 32 mass-casualty events'
const ALL_ADMITTED = 'the counts of crash and explosion series are evacuated or admitted casualties: the injured are taken as admitted'

/** Per kind (relief has none: a call from another province states its quota). Pinned by test/solver/incident-demand.test.ts. */
export const KIND_FACTORS: Record<Exclude<IncidentKind, 'relief'>, KindFactors> = {
  // earthquakes and building collapse: fractures and crush, few massive transfusions. 0.05/0.075/0.10 transfused × 8 U
  earthquake: { admission: { low: 0.25, mid: 0.3, high: 0.35 }, rbcPerAdmitted: { low: 0.4, mid: 0.6, high: 0.8 }, sources: [TEHRAN, PER_TRANSFUSED] },
  // road or rail crashes: blunt trauma; mid keeps the 0030 factors, which come from these series
  crash: { admission: { low: 1, mid: 1, high: 1 }, rbcPerAdmitted: { low: 1.4, mid: 2.34, high: 3.6 }, sources: [SOFFER, RAMSEY, ALL_ADMITTED] },
  // explosions and burns: the terror-attack series themselves
  explosion: { admission: { low: 1, mid: 1, high: 1 }, rbcPerAdmitted: { low: 1.4, mid: 2.34, high: 4 }, sources: [SOFFER, ALL_ADMITTED] },
  // floods and landslides: no published blood-use series found; landslide crush injuries are taken as an earthquake's
  flood: {
    admission: { low: 0.25, mid: 0.3, high: 0.35 },
    rbcPerAdmitted: { low: 0.4, mid: 0.6, high: 0.8 },
    sources: ['no published blood-use series found: the earthquake factors (landslide crush injuries)', TEHRAN],
  },
}

// ---------- what the coordinator knows ----------

export type Counts = { injured?: number | null; hospitalised?: number | null; casualties?: Partial<Casualties> | null }
export type Basis = 'triaged' | 'hospitalised' | 'injured'

const triagedTotal = (c: Counts) => CATEGORIES.reduce((s, k) => s + (c.casualties?.[k] ?? 0), 0)

/** Which count the estimate uses: triaged counts first (the most specific), then hospitalised, then injured. */
export function demandBasis(c: Counts): Basis | null {
  if (triagedTotal(c) > 0) return 'triaged'
  if ((c.hospitalised ?? 0) > 0) return 'hospitalised'
  if ((c.injured ?? 0) > 0) return 'injured'
  return null
}

/** Casualties by triage category (fractional when derived) at a level of the kind's range, and the factor scale. */
export function casualtiesAt(kind: IncidentKind, c: Counts, level: Level): { casualties: Casualties; scale: number } | null {
  if (kind === 'relief') return null
  const f = KIND_FACTORS[kind]
  const basis = demandBasis(c)
  if (!basis) return null
  const scale = f.rbcPerAdmitted[level] / TRIAGE_RBC_PER_CASUALTY
  if (basis === 'triaged')
    return { casualties: { critical: c.casualties?.critical ?? 0, severe: c.casualties?.severe ?? 0, moderate: c.casualties?.moderate ?? 0 }, scale }
  const admitted = basis === 'hospitalised' ? c.hospitalised! : c.injured! * f.admission[level]
  return {
    casualties: { critical: admitted * STANDARD_MIX.critical, severe: admitted * STANDARD_MIX.severe, moderate: admitted * STANDARD_MIX.moderate },
    scale,
  }
}

// ---------- the estimate ----------

/** ceil of a float product, after trimming float noise (so 12.000000001 stays 12). */
export const ceilUnits = (x: number) => Math.ceil(Math.round(x * 1e6) / 1e6)

/**
 * Largest-remainder split of `total` over weights, so the parts add up to `total` exactly (ties: the order given).
 */
export function largestRemainder(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0)
  if (total <= 0 || !(sum > 0)) return weights.map(() => 0)
  const exact = weights.map((w) => (total * w) / sum)
  const parts = exact.map((x) => Math.floor(Math.round(x * 1e6) / 1e6))
  let left = total - parts.reduce((s, n) => s + n, 0)
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    parts[i]++
    left--
  }
  return parts
}

/** Splits `total` units over the groups by their shares (O first in the order given); groups that get 0 are left out. */
export function splitByGroup(total: number, shares: GroupShare[]): { abo: string; rhd: string; qty: number }[] {
  const parts = largestRemainder(
    total,
    shares.map((g) => g.share),
  )
  return shares.map((g, i) => ({ abo: g.abo, rhd: g.rhd, qty: parts[i] })).filter((p) => p.qty > 0)
}

/**
 * Per triage category and component: units = ceil(casualties × share transfused × units per transfused patient × scale),
 * split by the region's group shares; urgency and deadline (occurredAt + deadline hours) from the category.
 * Every line goes to `siteId` (the nearest receiving point); the coordinator may move or edit lines afterwards.
 */
export function estimateNeeds(
  casualties: Casualties,
  factors: Factor[],
  triage: Triage[],
  shares: GroupShare[],
  occurredAt: string,
  siteId: string,
  scale = 1,
): EstimateLine[] {
  const lines: EstimateLine[] = []
  for (const category of CATEGORIES) {
    const n = casualties[category] ?? 0
    const tri = triage.find((t) => t.category === category)
    if (!(n > 0) || !tri) continue
    const neededBy = new Date(Date.parse(occurredAt) + tri.deadlineHours * 3_600_000).toISOString()
    for (const f of factors.filter((x) => x.category === category).sort((a, b) => a.component.localeCompare(b.component))) {
      const total = ceilUnits(n * f.shareTransfused * f.unitsPerPatient * scale)
      for (const g of splitByGroup(total, shares))
        lines.push({ siteId, component: f.component, abo: g.abo, rhd: g.rhd, urgency: tri.urgency, qty: g.qty, neededBy, category })
    }
  }
  return mergeLines(lines)
}

export type Picks = Partial<Record<Component, number>>
export type RangeTotal = { component: string; urgency: 'emergency' | 'urgent' | 'routine' } & Range
export type ComponentRange = { component: string; qty: number; picked: boolean } & Range
export type Demand = {
  basis: Basis
  /** the lines the plan uses: mid, or each picked component's figure spread over its mid lines */
  lines: EstimateLine[]
  /** per component × urgency: low, mid and high */
  totals: RangeTotal[]
  /** per component: the range and the figure the plan uses (qty) */
  components: ComponentRange[]
}

const sumBy = (lines: EstimateLine[], key: (l: EstimateLine) => string) => {
  const m = new Map<string, number>()
  for (const l of lines) m.set(key(l), (m.get(key(l)) ?? 0) + l.qty)
  return m
}

/**
 * The estimate of an incident of `kind` from what is known, as a range. Null when nothing is known (or a relief
 * call, whose quota is its estimate). A pick outside its component's range is an error for the caller to report
 * (see `pickOutOfRange`); here a pick replaces the component's mid total, spread over its lines in proportion.
 */
export function estimateDemand(
  kind: IncidentKind,
  counts: Counts,
  factors: Factor[],
  triage: Triage[],
  shares: GroupShare[],
  occurredAt: string,
  siteId: string,
  picks: Picks = {},
): Demand | null {
  const basis = demandBasis(counts)
  const at = (level: Level) => {
    const c = casualtiesAt(kind, counts, level)
    return c ? estimateNeeds(c.casualties, factors, triage, shares, occurredAt, siteId, c.scale) : null
  }
  const mid = at('mid')
  if (!basis || !mid) return null
  const low = at('low')!
  const high = at('high')!
  const byCU = (l: EstimateLine) => `${l.component}|${l.urgency}`
  const [lo, mi, hi] = [low, mid, high].map((ls) => sumBy(ls, byCU))
  const totals = [...mi.keys()].map((k) => {
    const [component, urgency] = k.split('|') as [string, RangeTotal['urgency']]
    return { component, urgency, low: lo.get(k) ?? 0, mid: mi.get(k)!, high: hi.get(k) ?? 0 }
  })
  const [loC, miC, hiC] = [low, mid, high].map((ls) => sumBy(ls, (l) => l.component))
  const lines: EstimateLine[] = []
  const components: ComponentRange[] = []
  for (const component of [...miC.keys()].sort()) {
    const mine = mid.filter((l) => l.component === component)
    const pick = picks[component as Component]
    const qty = pick ?? miC.get(component)!
    const parts =
      pick === undefined
        ? mine.map((l) => l.qty)
        : largestRemainder(
            pick,
            mine.map((l) => l.qty),
          )
    mine.forEach((l, i) => {
      if (parts[i] > 0) lines.push({ ...l, qty: parts[i] })
    })
    components.push({ component, low: loC.get(component) ?? 0, mid: miC.get(component)!, high: hiC.get(component) ?? 0, qty, picked: pick !== undefined })
  }
  return { basis, lines, totals, components }
}

/** The first component whose pick lies outside its range (or has no estimate), for a 400 naming it. */
export function pickOutOfRange(demand: Demand | null, picks: Picks): { component: string; low: number; high: number } | null {
  for (const [component, qty] of Object.entries(picks)) {
    const r = demand?.components.find((c) => c.component === component)
    if (!r || qty === undefined || qty < r.low || qty > r.high) return { component, low: r?.low ?? 0, high: r?.high ?? 0 }
  }
  return null
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
