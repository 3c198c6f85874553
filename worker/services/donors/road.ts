import { travelMatrix, type Instance } from '../../../solver'
import { selectRoadTimes } from '../../db/road-times'
import { travelHoursOf } from '../road-times'

export type GeoSite = { id: string; name: string; lat: number; lng: number }

/**
 * Road hours between stations: the one place donor search and call-ups look road time up: the road table
 * (`table`, as the planner's travelHours) where it has the pair, else the planner's own estimate
 * (solver/timing.ts travelMatrix: great-circle km × 1.3 at 60 km/h).
 */
export function roadHours(sites: GeoSite[], table?: Record<string, Record<string, number>>): (from: string, to: string) => number {
  const index = new Map(sites.map((s, i) => [s.id, i]))
  const m = travelMatrix({ now: new Date(0).toISOString(), sites, lots: [], needs: [], ...(table ? { travelHours: table } : {}) } as Instance)
  return (from, to) => {
    const i = index.get(from),
      j = index.get(to)
    if (i === undefined || j === undefined) return Number.POSITIVE_INFINITY
    return Math.round(m[i]![j]! * 100) / 100
  }
}

/** roadHours with the road table as stored (road_time, migration 0040; docs/domain-facts.md "Road times"). */
export async function roadHoursOf(db: D1Database, sites: GeoSite[]): Promise<(from: string, to: string) => number> {
  return roadHours(sites, travelHoursOf(await selectRoadTimes(db)))
}
