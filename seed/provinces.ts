// The demo region split into its provincial systems (issue 24): each province's database holds only its own
// sites, stock, requests, users and donors; the other province is reached over the link.
import { DEMO_USERS, sha256HexWebCrypto, type DemoRegion } from './demo'
import { HOSPITAL_BANKS } from './hospital-banks'
import { SEED_SITES } from './sites'

export const PROVINCES = ['Sichuan', 'Chongqing'] as const
export type Province = (typeof PROVINCES)[number]

type ProvinceUser = { id: string; name: string; role: 'coordinator' | 'director' | 'planner' | 'admin' | 'hospital'; siteId: string | null; token: string }

/**
 * A demo user of a site belongs to its site's province, a hospital's blood bank to the province of the hospital's
 * station (seed/hospital-banks.ts); the region-wide users (no site) to the one-region demo's, Sichuan's.
 */
const siteProvince = (siteId: string | null) =>
  SEED_SITES.find((s) => s.id === siteId || s.id === HOSPITAL_BANKS.find((h) => h.id === siteId)?.siteId)?.province ?? 'Sichuan'
const demoUsersOf = (province: Province) => DEMO_USERS.filter((u) => siteProvince(u.siteId) === province).map(({ login: _l, ...u }) => u)

/**
 * Each province's demo users. Sichuan keeps the one-region demo's users and tokens (its sites are Sichuan's);
 * Chongqing has its own, with the same ids (the seed's rows name u-admin as their actor) and tokens of its own.
 */
export const PROVINCE_USERS: Readonly<Record<Province, readonly ProvinceUser[]>> = {
  Sichuan: demoUsersOf('Sichuan'),
  Chongqing: [
    { id: 'u-coordinator', name: '赵协调', role: 'coordinator', siteId: null, token: 'demo-coordinator-cq' },
    { id: 'u-planner', name: '钱规划', role: 'planner', siteId: null, token: 'demo-planner-cq' },
    { id: 'u-admin', name: '重庆系统管理员', role: 'admin', siteId: null, token: 'demo-admin-cq' },
    { id: 'u-director-cq', name: '孙站长', role: 'director', siteId: 'CQ', token: 'demo-director-cq' },
    // Wanzhou's director and the Wanzhou hospital's blood bank keep their one-region tokens
    ...demoUsersOf('Chongqing'),
  ],
}

/** The region as one province's system holds it: its own sites and everything at them, and its own users. */
export async function provinceRegion(r: DemoRegion, province: Province): Promise<DemoRegion> {
  const sites = r.sites.filter((s) => s.province === province)
  // a hospital is a site of its station's province (migration 0057): its blood bank's lots go with it
  const stations = new Set(sites.map((s) => s.id))
  const here = new Set([...stations, ...r.hospitals.filter((h) => stations.has(h.siteId)).map((h) => h.id)])
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
