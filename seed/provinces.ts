// The demo region split into its provincial systems (issue 24): each province's database holds only its own
// sites, stock, requests, users and donors; the other province is reached over the link.
import { DEMO_USERS, sha256HexWebCrypto, type DemoRegion } from './demo'

export const PROVINCES = ['Sichuan', 'Chongqing'] as const
export type Province = (typeof PROVINCES)[number]

type ProvinceUser = { id: string; name: string; role: 'coordinator' | 'director' | 'planner' | 'admin'; siteId: string | null; token: string }

/**
 * Each province's demo users. Sichuan keeps the one-region demo's users and tokens (its sites are Sichuan's);
 * Chongqing has its own, with the same ids (the seed's rows name u-admin as their actor) and tokens of its own.
 */
export const PROVINCE_USERS: Readonly<Record<Province, readonly ProvinceUser[]>> = {
  Sichuan: DEMO_USERS.map(({ login: _l, ...u }) => u),
  Chongqing: [
    { id: 'u-coordinator', name: '赵协调', role: 'coordinator', siteId: null, token: 'demo-coordinator-cq' },
    { id: 'u-planner', name: '钱规划', role: 'planner', siteId: null, token: 'demo-planner-cq' },
    { id: 'u-admin', name: '重庆系统管理员', role: 'admin', siteId: null, token: 'demo-admin-cq' },
    { id: 'u-director-cq', name: '孙站长', role: 'director', siteId: 'CQ', token: 'demo-director-cq' },
  ],
}

/** The region as one province's system holds it: its own sites and everything at them, and its own users. */
export async function provinceRegion(r: DemoRegion, province: Province): Promise<DemoRegion> {
  const sites = r.sites.filter((s) => s.province === province)
  const here = new Set(sites.map((s) => s.id))
  const lots = r.lots.filter((l) => here.has(l.siteId))
  const lotIds = new Set(lots.map((l) => l.id))
  const donors = r.pool.donors.filter((d) => here.has(d.siteId))
  const users = await Promise.all(
    PROVINCE_USERS[province].map(async (u) => ({ id: u.id, name: u.name, role: u.role, siteId: u.siteId, tokenHash: await sha256HexWebCrypto(u.token) })),
  )
  const userIds = new Set(users.map((u) => u.id))
  return {
    ...r,
    sites,
    users,
    lots,
    movements: r.movements.filter((m) => lotIds.has(m.lotId)),
    // a request filed by a user of the other system cannot be one of this province's (none in the demo)
    requests: r.requests.filter((q) => here.has(q.siteId) && userIds.has(q.createdBy)),
    hospitals: r.hospitals.filter((h) => here.has(h.siteId)),
    roadTimes: r.roadTimes.filter((t) => here.has(t.from) && here.has(t.to)),
    pool: {
      donors,
      // the joint list spans the link: the deferrals recorded here, and the other province's as received over it
      deferrals: r.pool.deferrals.filter((d) => here.has(d.siteId)),
      received: r.pool.deferrals
        .filter((d) => !here.has(d.siteId))
        .map(({ siteId, ...d }) => {
          const s = r.sites.find((x) => x.id === siteId)!
          return { ...d, fromProvince: s.province, sourceSite: siteId, sourceSiteNameZh: s.nameZh, sourceSiteNameEn: s.nameEn }
        }),
      screenings: r.pool.screenings.filter((s) => here.has(s.siteId)),
    },
  }
}
