// Travel time, arrival and shelf-life rules of the contract.
import type { Component, Instance, Site } from './types'

export const DEFAULT_MIN_REMAINING_HOURS: Record<Component, number> = { WB: 72, RBC: 72, PLT: 12, FFP: 168, CRYO: 168 }
/** road km per great-circle km and average road speed used where travelHours lacks a pair */
export const ROAD_FACTOR = 1.3
export const ROAD_KMH = 60
const EARTH_RADIUS_KM = 6371.0088
export const HOUR_MS = 3_600_000

export function greatCircleKm(a: Pick<Site, 'lat' | 'lng'>, b: Pick<Site, 'lat' | 'lng'>): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Road hours between every pair of sites, indexed by site index; local use is 0. */
export function travelMatrix(inst: Instance): number[][] {
  const n = inst.sites.length
  const m: number[][] = []
  for (let i = 0; i < n; i++) {
    const row: number[] = new Array(n)
    const a = inst.sites[i]!
    const given = inst.travelHours?.[a.id]
    for (let j = 0; j < n; j++) {
      const b = inst.sites[j]!
      if (i === j) row[j] = 0
      else {
        const t = given?.[b.id]
        row[j] = t !== undefined ? t : (greatCircleKm(a, b) * ROAD_FACTOR) / ROAD_KMH
      }
    }
    m.push(row)
  }
  return m
}

export function minRemainingHours(inst: Instance, c: Component): number {
  return inst.options?.minRemainingHours?.[c] ?? DEFAULT_MIN_REMAINING_HOURS[c]
}

/** A unit arrives in time when now + travel <= neededBy (no deadline: always). Times in ms. */
export function inTime(nowMs: number, travelH: number, neededByMs: number | undefined): boolean {
  return neededByMs === undefined || nowMs + travelH * HOUR_MS <= neededByMs
}

/** Earliest expiry a lot may have to serve after travelH hours: now + travel + minRemaining. */
export function expiryThreshold(nowMs: number, travelH: number, minRemH: number): number {
  return nowMs + (travelH + minRemH) * HOUR_MS
}
