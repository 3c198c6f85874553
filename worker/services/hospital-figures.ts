// The station's view of its hospitals (issue 23): stock, days of supply and warning level per component for the
// station, its storage points and every hospital it supplies, hospitals sorted by risk.
import { COMPONENTS } from '../../solver/domain'
import { selectComponentStock, selectComponentUse } from '../db/hospitals'
import { selectLastMovementAt, selectOpenOrderCounts } from '../db/orders'
import { selectSite, selectSites } from '../db/sites'
import { ISSUE_WINDOW_DAYS } from '../db/usage'
import { selectPolicies } from '../db/warnings'
import { badRequest, forbidden, notFound } from '../errors'
import { nowIso } from '../lib/time'
import type { HospitalsViewT, SiteFiguresT } from '../schemas/hospital'
import type { SiteT } from '../schemas/site'
import type { Actor } from './auth'
import { daysOfSupply, instantLevel, severity, type Level, type Thresholds } from './warning-level'

const DAY = 86_400_000
const round2 = (x: number) => Math.round(x * 100) / 100

/**
 * A director: their own station (the default; another: 403). Coordinators, planners, admins: any station. A hospital
 * user: 403. Days of supply divide usable stock by the site's own use (issues; a hospital's transfusions) over the
 * last 14 days, null when there was none; the level is today's reading against the province's warning_policy.
 */
export async function hospitalsView(db: D1Database, actor: Actor, stationParam?: string, now = nowIso()): Promise<HospitalsViewT> {
  if (actor.role === 'hospital' || actor.role === 'feed') throw forbidden('The hospitals view is for the station and the region, not a hospital', 'station')
  const stationId = stationParam ?? (actor.role === 'director' ? actor.siteId! : undefined)
  if (!stationId) throw badRequest('station', 'Name the station (station=<id>)')
  if (actor.role === 'director' && stationId !== actor.siteId) throw forbidden(`You direct ${actor.siteId}, not ${stationId}`, 'station')
  const station = await selectSite(db, stationId)
  if (!station) throw notFound('site', stationId, 'station')
  if (station.kind === 'storage' || station.kind === 'hospital')
    throw badRequest('station', `${stationId} is a ${station.kind}; give its station ${station.parentId}`)

  const [storage, hospitals] = await Promise.all([
    selectSites(db, { parent: stationId, kind: 'storage' }),
    selectSites(db, { parent: stationId, kind: 'hospital' }),
  ])
  const all = [station, ...storage, ...hospitals]
  const ids = all.map((s) => s.id)
  const since = new Date(Date.parse(now) - ISSUE_WINDOW_DAYS * DAY).toISOString()
  const [stock, use, policies, open, last] = await Promise.all([
    selectComponentStock(db, ids, now),
    selectComponentUse(db, ids, since, now),
    selectPolicies(db),
    selectOpenOrderCounts(db, stationId),
    selectLastMovementAt(db, ids),
  ])
  const policy = (province: string, component: string): Thresholds | undefined =>
    policies.find((p) => p.province === province && p.component === component) ?? policies.find((p) => p.province === '*' && p.component === component)
  const figures = (s: SiteT): SiteFiguresT => {
    const components = COMPONENTS.flatMap((component) => {
      const st = stock.find((x) => x.siteId === s.id && x.component === component)
      const units = use.find((x) => x.siteId === s.id && x.component === component)?.units ?? 0
      if (!st && !units) return []
      const avg = units / ISSUE_WINDOW_DAYS
      const days = daysOfSupply(st?.onHand ?? 0, avg)
      const t = policy(s.province, component)
      return [
        {
          component,
          onHand: st?.onHand ?? 0,
          expiring72h: st?.expiring72h ?? 0,
          avgDailyIssue: round2(avg),
          daysOfSupply: days === null ? null : round2(days),
          level: t ? instantLevel(days, t) : ('normal' as Level),
        },
      ]
    })
    const worst = components.reduce<Level>((w, c) => (severity(c.level) > severity(w) ? c.level : w), 'normal')
    return {
      siteId: s.id,
      kind: s.kind,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      components,
      level: worst,
      rbcDays: components.find((c) => c.component === 'RBC')?.daysOfSupply ?? null,
      openOrders: open.get(s.id) ?? 0,
      lastReportAt: last.get(s.id) ?? null,
    }
  }
  // lowest red-cell days first; then the worse level; a hospital that used no red cells last
  const risk = (f: SiteFiguresT) => f.rbcDays ?? Number.POSITIVE_INFINITY
  const hospitalFigures = hospitals.map(figures).sort((a, b) => risk(a) - risk(b) || severity(b.level) - severity(a.level) || a.siteId.localeCompare(b.siteId))
  return { stationId, days: ISSUE_WINDOW_DAYS, station: figures(station), storagePoints: storage.map(figures), hospitals: hospitalFigures }
}
