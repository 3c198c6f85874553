import { profileKey, type Instance, type Lot, type Need, type Reserve } from '../../solver'
import { selectLiveLots, selectOpenNeeds, selectPlanSites, selectRedDays } from '../db/plans'
import { selectRoadTimes } from '../db/road-times'
import { selectAvgDailyIssue } from '../db/usage'
import { selectHospitalLots, selectHospitalSites, selectHospitalUse } from '../db/hospital-use'
import { hospitalSurplus, type HospitalFloor } from './hospital-draw'
import { travelHoursOf } from './road-times'

// The antigen rule lives with the solver (one rule for the plan and for the rare-donor pool).
export { antigenSet, coversAntigens } from '../../solver'

export type LiveInstance = {
  /** The one instance of the live plan: every lot (rare ones with their `antigens`), the stations' reserves, every need. */
  base: Instance
  /** with drawOnHospitals: the hospitals holding stock above their floor, their surplus as lots, and the floors */
  hospitals?: { sites: Instance['sites']; lots: Lot[]; floors: HospitalFloor[] }
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
 * - hospitals (sites of kind 'hospital', issue 23) hold their own stock and are left out of the instance: their
 *   sites, lots and reserves. With `drawOnHospitals` their surplus above their floor comes back as `hospitals`
 *   (worker/services/hospital-draw.ts), for the hospital round of the plan (services/plans.ts).
 */
export async function buildLiveInstance(
  db: D1Database,
  now: string,
  opts: { mode?: 'routine' | 'disaster'; requestIds?: string[]; drawOnHospitals?: boolean },
): Promise<LiveInstance> {
  const [allSites, allLots, needRows, redDays, allUsage, roads, hospitalSites] = await Promise.all([
    selectPlanSites(db),
    selectLiveLots(db, now),
    selectOpenNeeds(db, opts.requestIds ?? null),
    selectRedDays(db),
    selectAvgDailyIssue(db, now),
    selectRoadTimes(db),
    selectHospitalSites(db),
  ])
  // hospitals are not the region's stock: out of the sites, lots and reserves (whatever the queries above return)
  const hospitalIds = new Set(hospitalSites.map((s) => s.id))
  const sites = allSites.filter((s) => !hospitalIds.has(s.id))
  const lots = allLots.filter((l) => !hospitalIds.has(l.site))
  const usage = allUsage.filter((u) => !hospitalIds.has(u.siteId))
  const province = new Map([...allSites, ...hospitalSites].map((s) => [s.id, s.province]))
  const red = new Map(redDays.map((p) => [`${p.province}|${p.component}`, p.redDays]))
  const redDaysOf = (site: string, component: string) => red.get(`${province.get(site)}|${component}`) ?? red.get(`*|${component}`) // '*': the national default

  const reserves: Reserve[] = []
  for (const u of usage) {
    const days = redDaysOf(u.siteId, u.component)
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
  if (!opts.drawOnHospitals) return { base }
  const [use, hospitalLots] = await Promise.all([selectHospitalUse(db, now), selectHospitalLots(db, now)])
  const surplus = hospitalSurplus(
    hospitalLots,
    new Map(use.map((u) => [`${u.siteId}|${u.component}|${u.abo}|${u.rhd}`, u.avgDailyUse])),
    redDaysOf,
    new Map(hospitalSites.map((s) => [s.id, { nameZh: s.nameZh, nameEn: s.name }])),
  )
  const drawn = new Set(surplus.floors.map((f) => f.site))
  const drawnSites = hospitalSites.filter((s) => drawn.has(s.id)).map(({ id, name, lat, lng }) => ({ id, name, lat, lng }))
  return { base, hospitals: { sites: drawnSites, ...surplus } }
}
