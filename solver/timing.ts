// Travel time, arrival and shelf-life rules of the contract.
import type { Component, Instance, Site } from './types'
import { MAX_TRANSIT_HOURS, THAW_HOURS, THAWED_MIN_REMAINING_HOURS } from './domain'

export const DEFAULT_MIN_REMAINING_HOURS: Record<Component, number> = { WB: 72, RBC: 72, PLT: 12, FFP: 168, CRYO: 168 }
/** road km per great-circle km and average road speed used where travelHours lacks a pair */
export const ROAD_FACTOR = 1.3
export const ROAD_KMH = 60
const EARTH_RADIUS_KM = 6371.0088
const RAD = Math.PI / 180
export const HOUR_MS = 3_600_000

/** Date.parse for the instance's date-times, with a fast path for the UTC forms the API and the
 *  generators write (`2026-01-20T08:00:00Z`, `…:00.000Z`): Date.parse costs about 0.5 µs, which is
 *  a tenth of a 450-site solve's preparation. Anything else (offsets, other precisions) goes to
 *  Date.parse. */
export function isoMs(s: string): number {
  const n = s.length
  if ((n !== 20 && n !== 24) || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(10) !== 84 /* T */) return Date.parse(s)
  const d = (i: number) => s.charCodeAt(i) - 48
  let ok = s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58
  for (const i of n === 24 ? DIGITS_MS : DIGITS) {
    const x = d(i)
    if (x < 0 || x > 9) ok = false
  }
  if (!ok || (n === 24 && s.charCodeAt(19) !== 46)) return Date.parse(s)
  const month = d(5) * 10 + d(6),
    day = d(8) * 10 + d(9),
    h = d(11) * 10 + d(12),
    mi = d(14) * 10 + d(15),
    sec = d(17) * 10 + d(18)
  if (month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || sec > 59) return Date.parse(s)
  const ms = n === 24 ? d(20) * 100 + d(21) * 10 + d(22) : 0
  const t = Date.UTC(d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3), month - 1, day, h, mi, sec, ms)
  // a day past the month's end (Feb 30) rolls over in Date.UTC: let Date.parse decide it
  return new Date(t).getUTCDate() === day ? t : Date.parse(s)
}
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
const DIGITS_MS = [...DIGITS, 20, 21, 22]

export function greatCircleKm(a: Pick<Site, 'lat' | 'lng'>, b: Pick<Site, 'lat' | 'lng'>): number {
  return haversineKm(a, b, Math.cos(a.lat * RAD), Math.cos(b.lat * RAD))
}
/** The road hours assumed where a pair has no road time, to 0.01 h, as the API shows them */
export const estimatedRoadHours = (a: Pick<Site, 'lat' | 'lng'>, b: Pick<Site, 'lat' | 'lng'>) =>
  Math.round(((greatCircleKm(a, b) * ROAD_FACTOR) / ROAD_KMH) * 100) / 100

/** great-circle km with each end's cosine of latitude given (travelMatrix computes it once per site) */
function haversineKm(a: Pick<Site, 'lat' | 'lng'>, b: Pick<Site, 'lat' | 'lng'>, cosA: number, cosB: number): number {
  const dLat = (b.lat - a.lat) * RAD
  const dLng = (b.lng - a.lng) * RAD
  const h = Math.sin(dLat / 2) ** 2 + cosA * cosB * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Road hours between every pair of sites, indexed by site index; local use is 0. The great-circle
 *  estimate is symmetric, so each pair's is computed once (with each site's cosine of latitude
 *  computed once): at 450 sites that was 200,000 haversines, a tenth of the solve. */
export function travelMatrix(inst: Instance): number[][] {
  const n = inst.sites.length
  const cosLat = inst.sites.map((s) => Math.cos(s.lat * RAD))
  const m: number[][] = inst.sites.map(() => new Array<number>(n))
  for (let i = 0; i < n; i++) {
    const a = inst.sites[i]!
    m[i]![i] = 0
    for (let j = i + 1; j < n; j++) {
      m[i]![j] = m[j]![i] = (haversineKm(a, inst.sites[j]!, cosLat[i]!, cosLat[j]!) * ROAD_FACTOR) / ROAD_KMH
    }
  }
  for (let i = 0; i < n; i++) {
    // the road table wins where it has a pair
    const given = inst.travelHours?.[inst.sites[i]!.id]
    if (!given) continue
    for (let j = 0; j < n; j++) {
      const t = given[inst.sites[j]!.id]
      if (j !== i && t !== undefined) m[i]![j] = t
    }
  }
  return m
}

export function minRemainingHours(inst: Pick<Instance, 'options'>, c: Component): number {
  return inst.options?.minRemainingHours?.[c] ?? DEFAULT_MIN_REMAINING_HOURS[c]
}

/** hours to thaw and deglycerolise a frozen red-cell unit before it can leave (options.thawHours, default THAW_HOURS) */
export function thawHours(inst: Pick<Instance, 'options'>): number {
  return inst.options?.thawHours ?? THAW_HOURS
}

/** hours of its 24 h after thawing a thawed unit must still have on arrival (replaces minRemainingHours for it) */
export function thawedMinRemainingHours(inst: Pick<Instance, 'options'>): number {
  return inst.options?.thawedMinRemainingHours ?? THAWED_MIN_REMAINING_HOURS
}

/** longest road hours a unit of the component may travel (Infinity: no limit) */
export function maxTransitHours(inst: Pick<Instance, 'options'>, c: Component): number {
  return inst.options?.maxTransitHours?.[c] ?? MAX_TRANSIT_HOURS[c] ?? Infinity
}

/** A unit arrives in time when now + travel <= neededBy (no deadline: always). Times in ms. */
export function inTime(nowMs: number, travelH: number, neededByMs: number | undefined): boolean {
  return neededByMs === undefined || nowMs + travelH * HOUR_MS <= neededByMs
}

/** Earliest expiry a lot may have to serve after travelH hours: now + travel + minRemaining. */
export function expiryThreshold(nowMs: number, travelH: number, minRemH: number): number {
  return nowMs + (travelH + minRemH) * HOUR_MS
}

/**
 * Road hours between two sites: the road table (an instance's travelHours) where it has the pair, else the estimate
 * (great-circle km × 1.3 at 60 km/h). The one rule the planner, the quota split, donor search and local transfers
 * share; travelMatrix is the same rule for every pair at once.
 */
export function roadHours(
  sites: readonly Pick<Site, 'id' | 'lat' | 'lng'>[],
  table?: Record<string, Record<string, number>>,
): (from: string, to: string) => number {
  const byId = new Map(sites.map((s) => [s.id, s]))
  return (from, to) => {
    const given = table?.[from]?.[to]
    if (given !== undefined) return given
    const a = byId.get(from),
      b = byId.get(to)
    return a && b ? estimatedRoadHours(a, b) : Number.POSITIVE_INFINITY
  }
}
