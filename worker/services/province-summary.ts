import { selectSites } from '../db/sites'
import { selectLevels } from '../db/stock'
import { nowIso } from '../lib/time'
import type { ProvinceSummaryT } from '../schemas/province'
import { stockSummary } from './stock'

/**
 * What this province shows its peers and the national view: its stations (centres, stations, storage points)
 * with each component's warning level, and stock totals per component and group. No lots, donors or users:
 * those stay in the province's own system. `province` labels it (null in the one-region mode).
 */
export async function provinceSummary(db: D1Database, province: string | null = null, now = nowIso()): Promise<ProvinceSummaryT> {
  const [sites, levels, stock] = await Promise.all([
    selectSites(db, { province: province ?? undefined }),
    selectLevels(db),
    stockSummary(db, province ?? undefined, now),
  ])
  const whole = new Map<string, Record<string, ProvinceSummaryT['stations'][number]['levels'][string]>>()
  for (const l of levels) {
    if (l.abo !== '*' || l.rhd !== '*') continue
    const m = whole.get(l.siteId) ?? {}
    m[l.component] = l.level
    whole.set(l.siteId, m)
  }
  return {
    province,
    at: now,
    stations: sites
      // a hospital site (migration 0057) is its station's customer, not a station of the province
      .filter((s) => String(s.kind) !== 'hospital')
      .map((s) => ({ id: s.id, nameZh: s.nameZh, nameEn: s.nameEn, kind: s.kind, city: s.city, lat: s.lat, lng: s.lng, levels: whole.get(s.id) ?? {} })),
    components: stock.components.map((c) => ({
      component: c.component,
      unitZh: c.unitZh,
      unitEn: c.unitEn,
      onHand: c.onHand + c.frozenOnHand,
      inTransit: c.inTransit,
      daysOfSupply: c.daysOfSupply,
    })),
    groups: stock.groups.map((g) => ({ component: g.component, abo: g.abo, rhd: g.rhd, onHand: g.onHand + g.frozenOnHand, inTransit: g.inTransit })),
  }
}
