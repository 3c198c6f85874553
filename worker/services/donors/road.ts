import { travelMatrix, type Instance } from '../../../solver'

export type GeoSite = { id: string; name: string; lat: number; lng: number }

/**
 * Road hours between stations: the one place donor search and call-ups look road time up. Today it is the
 * planner's own estimate (solver/timing.ts travelMatrix: great-circle km × 1.3 at 60 km/h); a route table
 * can replace it here without touching the callers.
 */
export function roadHours(sites: GeoSite[]): (from: string, to: string) => number {
  const index = new Map(sites.map((s, i) => [s.id, i]))
  const m = travelMatrix({ now: new Date(0).toISOString(), sites, lots: [], needs: [] } as Instance)
  return (from, to) => {
    const i = index.get(from), j = index.get(to)
    if (i === undefined || j === undefined) return Number.POSITIVE_INFINITY
    return Math.round(m[i]![j]! * 100) / 100
  }
}
