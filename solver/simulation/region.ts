// The simulated region: indexes, baseline rates, lots per site × component × group, FEFO draws.
import { isCompatible, preferenceRank } from '../index'
import { COMPONENTS } from '../domain'
import type { Abo, Component, Rhd } from '../types'
import type { SimulationInput, Thresholds } from './types'

export const DAY_MS = 86_400_000
export const HOUR_MS = 3_600_000
/** the eight ABO × RhD groups; a key's group index g is the position here */
export const GROUPS: readonly (readonly [Abo, Rhd])[] = [
  ['O', '+'],
  ['O', '-'],
  ['A', '+'],
  ['A', '-'],
  ['B', '+'],
  ['B', '-'],
  ['AB', '+'],
  ['AB', '-'],
]
/** ABO shares in China (docs/domain-facts.md, 23 million records) */
export const ABO_SHARES: Readonly<Record<Abo, number>> = { O: 0.342, A: 0.287, B: 0.282, AB: 0.089 }
/** RhD-negative share among Han donors (0.3–0.4 %) */
export const RHD_NEGATIVE_SHARE = 0.0035
export const GROUP_SHARES: readonly number[] = GROUPS.map(([abo, rhd]) => ABO_SHARES[abo] * (rhd === '-' ? RHD_NEGATIVE_SHARE : 1 - RHD_NEGATIVE_SHARE))
/** shelf life in days (docs/domain-facts.md, Units) */
export { SHELF_DAYS } from '../domain'
/** domain default warning thresholds in days of supply (migrations/0001_init.sql warning_policy) */
const CUTS = { cutYellowPct: 30, cutOrangePct: 50, cutRedPct: 70 }
export const DEFAULT_THRESHOLDS: Readonly<Record<Component, Thresholds>> = {
  RBC: { yellowDays: 7, orangeDays: 5, redDays: 3, ...CUTS },
  WB: { yellowDays: 7, orangeDays: 5, redDays: 3, ...CUTS },
  PLT: { yellowDays: 3, orangeDays: 2, redDays: 1, ...CUTS },
  FFP: { yellowDays: 14, orangeDays: 10, redDays: 7, ...CUTS },
  CRYO: { yellowDays: 14, orangeDays: 10, redDays: 7, ...CUTS },
}

/** The % of routine issues a level cuts: none while days of supply ≥ yellow; the policy's cut below each line. */
export function cutPct(t: Thresholds, days: number): number {
  if (days < t.redDays) return t.cutRedPct ?? CUTS.cutRedPct
  if (days < t.orangeDays) return t.cutOrangePct ?? CUTS.cutOrangePct
  if (days < t.yellowDays) return t.cutYellowPct ?? CUTS.cutYellowPct
  return 0
}

export interface Lot {
  qty: number
  exp: number
}

/** Static part of the region shared by every policy run. */
export interface Region {
  startMs: number
  sites: SimulationInput['sites']
  comps: Component[]
  /** number of keys = sites × comps × 8 */
  nKeys: number
  key: (s: number, c: number, g: number) => number
  siteOf: (k: number) => number
  compOf: (k: number) => number
  groupOf: (k: number) => number
  /** baseline daily issue per key */
  rate: Float64Array
  /** baseline daily collection per site × comp (index s * C + c) */
  collectRate: Float64Array
  /** thresholds of a site × comp index */
  thresholds: (s: number, c: number) => Thresholds
  /** other groups that may serve group g locally, best first (identical group excluded) */
  donors: number[][][]
  /** starting lots per key, sorted by expiry */
  initial: Lot[][]
}

export function buildRegion(input: SimulationInput): Region {
  const startMs = Date.parse(input.start)
  const siteIdx = new Map(input.sites.map((s, i) => [s.id, i]))
  const withUse = new Set(input.issue.filter((r) => r.perDay > 0).map((r) => r.component))
  const comps = input.components ?? COMPONENTS.filter((c) => withUse.has(c))
  const compIdx = new Map(comps.map((c, i) => [c, i]))
  const C = comps.length
  const G = GROUPS.length
  const groupIdx = new Map(GROUPS.map(([a, r], i) => [`${a}${r}`, i]))
  const nKeys = input.sites.length * C * G
  const key = (s: number, c: number, g: number) => (s * C + c) * G + g
  const rate = new Float64Array(nKeys)
  for (const r of input.issue) {
    const s = siteIdx.get(r.site)
    const c = compIdx.get(r.component)
    if (s === undefined || c === undefined) continue
    rate[key(s, c, groupIdx.get(`${r.abo}${r.rhd}`)!)] += r.perDay
  }
  const collectRate = new Float64Array(input.sites.length * C)
  if (input.collection) {
    for (const r of input.collection) {
      const s = siteIdx.get(r.site)
      const c = compIdx.get(r.component)
      if (s !== undefined && c !== undefined) collectRate[s * C + c] += r.perDay
    }
  } else {
    for (let k = 0; k < nKeys; k++) collectRate[Math.floor(k / G)] += rate[k]!
  }
  const initial: Lot[][] = Array.from({ length: nKeys }, () => [])
  for (const l of input.lots) {
    const s = siteIdx.get(l.site)
    const c = compIdx.get(l.component)
    const exp = Date.parse(l.expiresAt)
    if (s === undefined || c === undefined || !(exp > startMs) || !(l.qty > 0)) continue
    initial[key(s, c, groupIdx.get(`${l.abo}${l.rhd}`)!)]!.push({ qty: l.qty, exp })
  }
  for (const lots of initial) lots.sort((a, b) => a.exp - b.exp)
  const donors = comps.map((comp) =>
    GROUPS.map(([abo, rhd], g) =>
      GROUPS.map((_, i) => i)
        .filter((i) => i !== g && isCompatible(comp, GROUPS[i]![0], GROUPS[i]![1], { abo, rhd }))
        .sort(
          (a, b) =>
            preferenceRank(comp, GROUPS[a]![0], GROUPS[a]![1], { abo, rhd }) - preferenceRank(comp, GROUPS[b]![0], GROUPS[b]![1], { abo, rhd }) || a - b,
        ),
    ),
  )
  const thresholds = (s: number, c: number): Thresholds => {
    const comp = comps[c]!
    const province = input.sites[s]!.province
    return (province !== undefined ? input.thresholdsByProvince?.[province]?.[comp] : undefined) ?? input.thresholds?.[comp] ?? DEFAULT_THRESHOLDS[comp]
  }
  return {
    startMs,
    sites: input.sites,
    comps,
    nKeys,
    key,
    siteOf: (k) => Math.floor(k / (C * G)),
    compOf: (k) => Math.floor(k / G) % C,
    groupOf: (k) => k % G,
    rate,
    collectRate,
    thresholds,
    donors,
    initial,
  }
}

/** Inserts a lot keeping expiry order (new lots usually go last). */
export function insertLot(lots: Lot[], lot: Lot): void {
  let i = lots.length
  while (i > 0 && lots[i - 1]!.exp > lot.exp) i--
  lots.splice(i, 0, lot)
}

/** Takes up to `qty` units first-expiry-first-out from lots with expiry in [lo, hi); returns the pieces taken. */
export function takeFefo(lots: Lot[], qty: number, lo = -Infinity, hi = Infinity): Lot[] {
  const taken: Lot[] = []
  for (let i = 0; i < lots.length && qty > 0; ) {
    const l = lots[i]!
    if (l.exp < lo) {
      i++
      continue
    }
    if (l.exp >= hi) break
    const q = Math.min(qty, l.qty)
    taken.push({ qty: q, exp: l.exp })
    l.qty -= q
    qty -= q
    if (l.qty === 0) lots.splice(i, 1)
    else i++
  }
  return taken
}

export const sumQty = (lots: readonly Lot[]) => lots.reduce((a, l) => a + l.qty, 0)
