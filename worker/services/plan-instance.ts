import { profileKey, type Instance, type Lot, type Need, type Reserve } from '../../solver'
import { selectLiveLots, selectOpenNeeds, selectPlanSites, selectRedDays } from '../db/plans'
import { selectRoadTimes } from '../db/road-times'
import { selectAvgDailyIssue } from '../db/usage'
import { travelHoursOf } from './road-times'

// The antigen rule lives with the solver (one rule for the plan and for the rare-donor pool).
export { antigenSet, coversAntigens } from '../../solver'

export type LiveInstance = {
  /** The one instance of the live plan: every lot (rare ones with their `antigens`), the stations' reserves, every need. */
  base: Instance
}

/**
 * Builds plan instances (docs/plan-instance.md) from live D1 data at `now`.
 *
 * - sites: every site (id, English name, lat, lng).
 * - travelHours: the road table (road_time, migration 0040), so plans use road times by car; a pair absent from it
 *   falls back to the solver's great-circle estimate, and the plan lists those pairs (estimatedRoutes in getPlan).
 * - lots: lots with units on hand that have not expired; their ids are the D1 lot ids, so the solver's
 *   allocations name real lots.
 * - needs: aid requests still to plan (open, planned-but-uncovered, partly fulfilled), each reduced by the
 *   units already fulfilled or on their way (see selectOpenNeeds); `requestIds` limits them.
 * - reserves: a station's red-level floor (held against every transfer in routine mode; in disaster mode not against
 *   another site's emergency, docs/plan-instance.md). Per site × component × group,
 *   reserve = ceil(average daily issue over the last 14 days (worker/db/usage.ts) × the province's
 *   red_days for that component). The solver may use a reserve for the station's own needs; it sends it away
 *   only in disaster mode, for an emergency. A reserve holds the station's ordinary liquid stock, never its rare
 *   (antigen-typed) or frozen units. Reserves are stored with the instance, so every plan shows the floors it used.
 * - an aid request is the shortfall beyond the station's own stock: while a site asks for a component, its own
 *   lots of that component are left out (they are not counted twice against its request, nor sent away).
 * - rare antigen profiles: lots and requests carry their `antigens` into the instance, and the solver matches them
 *   in the same solve (docs/plan-instance.md): a request asking for antigens takes only lots carrying all of them,
 *   and lots with a profile are kept for such requests. Reserves hold only a station's ordinary liquid stock.
 */
export async function buildLiveInstance(db: D1Database, now: string, opts: { mode?: 'routine' | 'disaster'; requestIds?: string[] }): Promise<LiveInstance> {
  const [sites, lots, needRows, redDays, usage, roads] = await Promise.all([
    selectPlanSites(db),
    selectLiveLots(db, now),
    selectOpenNeeds(db, opts.requestIds ?? null),
    selectRedDays(db),
    selectAvgDailyIssue(db, now),
    selectRoadTimes(db),
  ])
  const province = new Map(sites.map((s) => [s.id, s.province]))
  const red = new Map(redDays.map((p) => [`${p.province}|${p.component}`, p.redDays]))

  const reserves: Reserve[] = []
  for (const u of usage) {
    const days = red.get(`${province.get(u.siteId)}|${u.component}`) ?? red.get(`*|${u.component}`) // '*': the national default
    if (days === undefined || !(u.avgDailyIssue > 0)) continue
    // ceil of a float product: trim float noise first so 2.0000000001 stays 2
    const qty = Math.ceil(Math.round(u.avgDailyIssue * days * 1e6) / 1e6)
    if (qty > 0)
      reserves.push({ site: u.siteId, component: u.component as Reserve['component'], abo: u.abo as Reserve['abo'], rhd: u.rhd as Reserve['rhd'], qty })
  }

  const needs: Need[] = []
  for (const r of needRows) {
    if (r.remaining <= 0) continue
    const need: Need = {
      id: r.id,
      site: r.site,
      component: r.component as Need['component'],
      abo: r.abo as Need['abo'],
      rhd: r.rhd as Need['rhd'],
      qty: r.remaining,
      urgency: r.urgency as Need['urgency'],
      ...(r.neededBy ? { neededBy: r.neededBy } : {}),
      ...(r.allowRhPositive ? { allowRhPositive: true } : {}),
      ...(profileKey(r.antigens) ? { antigens: r.antigens } : {}),
    }
    needs.push(need)
  }

  const asking = new Set(needRows.filter((r) => r.remaining > 0).map((r) => `${r.site}|${r.component}`))
  const offered = lots.filter((l) => !asking.has(`${l.site}|${l.component}`))
  const asLot = (l: (typeof lots)[number]) => ({
    id: l.id,
    site: l.site,
    component: l.component as Lot['component'],
    abo: l.abo as Lot['abo'],
    rhd: l.rhd as Lot['rhd'],
    qty: l.qty,
    expiresAt: l.expiresAt,
    ...(profileKey(l.antigens) ? { antigens: l.antigens } : {}),
    ...(l.frozen ? { frozen: true } : {}),
  })
  const base: Instance = {
    now,
    sites: sites.map(({ id, name, lat, lng }) => ({ id, name, lat, lng })),
    ...(roads.length ? { travelHours: travelHoursOf(roads) } : {}),
    lots: offered.map(asLot),
    reserves,
    needs,
    ...(opts.mode ? { options: { mode: opts.mode } } : {}),
  }
  return { base }
}
