import type { Instance, Need, Reserve } from '../../solver'
import { selectLiveLots, selectOpenNeeds, selectPlanSites, selectRedDays } from '../db/plans'
import { ISSUE_WINDOW_DAYS, selectAvgDailyIssue } from '../db/usage'

/**
 * Builds a plan instance (docs/plan-instance.md) from live D1 data at `now`.
 *
 * - sites: every site (id, English name, lat, lng).
 * - lots: lots with units on hand that have not expired; their ids are the D1 lot ids, so the solver's
 *   allocations name real lots.
 * - needs: aid requests still to plan (open, planned-but-uncovered, partly fulfilled), each reduced by the
 *   units already fulfilled or on their way (see selectOpenNeeds); `requestIds` limits them.
 * - reserves: a station is never stripped below its red-level floor. Per site × component × group,
 *   reserve = ceil(average daily issue over the last ISSUE_WINDOW_DAYS days × the province's red_days for
 *   that component). The solver may use a reserve for the station's own needs but never send it away.
 *   Reserves are stored with the instance, so every plan shows the floors it respected.
 */
export async function buildLiveInstance(
  db: D1Database,
  now: string,
  opts: { mode?: 'routine' | 'disaster'; requestIds?: string[] },
): Promise<{ instance: Instance; skipped: string[] }> {
  const [sites, lots, needRows, redDays, usage] = await Promise.all([
    selectPlanSites(db),
    selectLiveLots(db, now),
    selectOpenNeeds(db, opts.requestIds ?? null),
    selectRedDays(db),
    selectAvgDailyIssue(db, now),
  ])
  const province = new Map(sites.map((s) => [s.id, s.province]))
  const red = new Map(redDays.map((p) => [`${p.province}|${p.component}`, p.redDays]))

  const reserves: Reserve[] = []
  for (const u of usage) {
    const days = red.get(`${province.get(u.siteId)}|${u.component}`)
    if (days === undefined || !(u.avgDailyIssue > 0)) continue
    // ceil of a float product: trim float noise first so 2.0000000001 stays 2
    const qty = Math.ceil(Math.round(u.avgDailyIssue * days * 1e6) / 1e6)
    if (qty > 0) reserves.push({ site: u.siteId, component: u.component as Reserve['component'], abo: u.abo as Reserve['abo'], rhd: u.rhd as Reserve['rhd'], qty })
  }

  const needs: Need[] = []
  const skipped: string[] = []
  for (const r of needRows) {
    if (r.remaining <= 0) { skipped.push(r.id); continue }
    needs.push({
      id: r.id,
      site: r.site,
      component: r.component as Need['component'],
      abo: r.abo as Need['abo'],
      rhd: r.rhd as Need['rhd'],
      qty: r.remaining,
      urgency: r.urgency as Need['urgency'],
      ...(r.neededBy ? { neededBy: r.neededBy } : {}),
      ...(r.allowRhPositive ? { allowRhPositive: true } : {}),
    })
  }

  const instance: Instance = {
    now,
    sites: sites.map(({ id, name, lat, lng }) => ({ id, name, lat, lng })),
    lots: lots.map((l) => ({ ...l, component: l.component as Need['component'], abo: l.abo as Need['abo'], rhd: l.rhd as Need['rhd'] })),
    reserves,
    needs,
    ...(opts.mode ? { options: { mode: opts.mode } } : {}),
  }
  return { instance, skipped }
}

export { ISSUE_WINDOW_DAYS }
