import { roadHours as solverRoadHours } from '../../../solver/timing'
import { selectRoadTimes } from '../../db/road-times'
import { travelHoursOf } from '../road-times'

export type GeoSite = { id: string; name: string; lat: number; lng: number }

/**
 * Road hours between stations for donor search and call-ups: the planner's one rule (solver/timing.ts roadHours: the
 * road table where it has the pair, else the estimate), to the hundredth of an hour.
 */
export function roadHours(sites: GeoSite[], table?: Record<string, Record<string, number>>): (from: string, to: string) => number {
  const hours = solverRoadHours(sites, table)
  return (from, to) => {
    const h = hours(from, to)
    return Number.isFinite(h) ? Math.round(h * 100) / 100 : h
  }
}

/** roadHours with the road table as stored (road_time, migration 0040; docs/domain-facts.md "Road times"). */
export async function roadHoursOf(db: D1Database, sites: GeoSite[]): Promise<(from: string, to: string) => number> {
  return roadHours(sites, travelHoursOf(await selectRoadTimes(db)))
}
