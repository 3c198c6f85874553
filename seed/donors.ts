// The demo's rare-donor pool (issue 13): typed donors across Sichuan and Chongqing, their last donations, a few
// deferrals on the joint list, and rare-type screening records. Deterministic; its own PRNG stream, so the rest of
// the demo region is unchanged. Donor codes only: no names or phones (the stations keep those).
//
// Pool shares follow how rare each type is and how many donors were typed for it (docs/domain-facts.md, "The rare-donor
// pool"): RhD-negative donors (0.3–0.4 % of Han donors, typed at every donation) are most of the pool; HLA/HPA-typed
// platelet donors next (typed on purpose for refractory patients); Fy(a-) fewer; Jk(a-b-) (about 1 in 20,000) a handful.
import { prng } from '../solver/simulation/random'

export type DemoDonor = { code: string; siteId: string; abo: string; rhd: string; antigens: string; consent: boolean; lastWb: string | null; lastPlt: string[] }
export type DemoDeferral = { id: string; donorCode: string; siteId: string; reason: string; from: string; until: string | null; note: string }
/** In a province's own system, a deferral recorded in the other province, as the link delivered it (migration 0063). */
export type DemoReceivedDeferral = Omit<DemoDeferral, 'siteId'> & {
  fromProvince: string
  sourceSite: string
  sourceSiteNameZh: string
  sourceSiteNameEn: string
}
export type DemoScreening = { id: string; siteId: string; antigen: string; screened: number; found: number; periodFrom: string; periodTo: string }
export type DemoPool = { donors: DemoDonor[]; deferrals: DemoDeferral[]; received?: DemoReceivedDeferral[]; screenings: DemoScreening[] }

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const SHARES: [string, number][] = [
  ['O', 0.342],
  ['A', 0.287],
  ['B', 0.282],
  ['AB', 0.089],
]

/** [site, count] per type; centers hold most of the pool, both provinces have every type. */
const RHD_NEG: [string, number][] = [
  ['CD', 5],
  ['SC', 4],
  ['CQ', 6],
  ['MY', 1],
  ['NC', 1],
  ['LZ', 1],
  ['YB', 1],
  ['DZ', 1],
  ['XC', 1],
  ['ZG', 1],
]
const PLATELET: [string, string][] = [
  ['CD', 'HLA-A2,HLA-B46'],
  ['CD', 'HLA-A11,HLA-A24'],
  ['SC', 'HLA-A2,HLA-A11'],
  ['SC', 'HLA-A24,HLA-B13'],
  ['SC', 'HPA-1a-'],
  ['CQ', 'HLA-A2,HLA-B58'],
  ['CQ', 'HLA-A11,HLA-B46'],
  ['CQ', 'HLA-A33,HLA-B58'],
  ['CQ', 'HPA-3a-'],
  ['MY', 'HLA-A2,HLA-A24'],
  ['NC', 'HLA-A11,HLA-A2'],
  ['CQ', 'HLA-A24,HLA-B60'],
]
/** Fy(a-) and Jk(a-b-) donors, with their groups fixed so the demo's walkthrough always finds an O Fy(a-) donor in Chengdu. */
const RED_RARE: [site: string, abo: string, rhd: string, antigens: string][] = [
  ['CD', 'O', '+', 'Fy(a-)'],
  ['CD', 'B', '+', 'Fy(a-)'],
  ['SC', 'O', '+', 'Fy(a-)'],
  ['YA', 'A', '+', 'Fy(a-)'],
  ['CQ', 'O', '+', 'Fy(a-)'],
  ['CQ', 'A', '+', 'Fy(a-)'],
  ['CQ', 'O', '+', 'Fy(a-)'],
  ['LZ', 'B', '+', 'Fy(a-)'],
  ['CD', 'O', '+', 'Jk(a-b-)'],
  ['CQ', 'A', '+', 'Jk(a-b-)'],
  ['SC', 'O', '-', 'Jk(a-b-)'],
]

export function demoPool(nowMs: number, seed = 20261201): DemoPool {
  const rand = prng(seed)
  const abo = () => {
    let x = rand()
    for (const [g, s] of SHARES) if ((x -= s) < 0) return g
    return 'O'
  }
  const seq = new Map<string, number>()
  const code = (site: string) => {
    const n = (seq.get(site) ?? 0) + 1
    seq.set(site, n)
    return `${site}-R${String(n).padStart(4, '0')}`
  }
  const donors: DemoDonor[] = []
  /** Most donors gave whole blood 1–14 months ago (some of them less than 6 months ago: not yet eligible). */
  const lastWb = () => (rand() < 0.8 ? iso(nowMs - Math.floor((30 + rand() * 390) * DAY)) : null)
  for (const [site, n] of RHD_NEG)
    for (let i = 0; i < n; i++)
      donors.push({ code: code(site), siteId: site, abo: abo(), rhd: '-', antigens: '', consent: rand() > 0.08, lastWb: lastWb(), lastPlt: [] })
  for (const [site, antigens] of PLATELET) {
    // apheresis every 2–8 weeks over the last months
    const every = 14 + Math.floor(rand() * 42)
    const count = 1 + Math.floor(rand() * 8)
    const start = nowMs - Math.floor(rand() * 20) * DAY
    donors.push({
      code: code(site),
      siteId: site,
      abo: abo(),
      rhd: '+',
      antigens,
      consent: true,
      lastWb: null,
      lastPlt: Array.from({ length: count }, (_, k) => iso(start - k * every * DAY)),
    })
  }
  RED_RARE.forEach(([site, g, rhd, antigens], i) => {
    // the first Fy(a-) donor in Chengdu last gave 8 months ago: eligible now, for the walkthrough
    donors.push({ code: code(site), siteId: site, abo: g, rhd, antigens, consent: true, lastWb: i === 0 ? iso(nowMs - 240 * DAY) : lastWb(), lastPlt: [] })
  })

  const byAntigen = (a: string, site: string) => donors.find((d) => d.siteId === site && d.antigens.includes(a))!.code
  const deferrals: DemoDeferral[] = [
    // recorded in Chongqing, for a Chengdu donor: the joint list holds across the provinces
    {
      id: 'def_demo_01',
      donorCode: donors.filter((d) => d.siteId === 'CD' && d.antigens === 'Fy(a-)')[1]!.code,
      siteId: 'CQ',
      reason: 'lab_result',
      from: iso(nowMs - 40 * DAY),
      until: null,
      note: 'ALT 复检 (retest)',
    },
    {
      id: 'def_demo_02',
      donorCode: byAntigen('HLA-A11', 'CQ'),
      siteId: 'CQ',
      reason: 'travel',
      from: iso(nowMs - 10 * DAY),
      until: iso(nowMs + 50 * DAY),
      note: '',
    },
    {
      id: 'def_demo_03',
      donorCode: byAntigen('Jk(a-b-)', 'CQ'),
      siteId: 'CD',
      reason: 'medication',
      from: iso(nowMs - 90 * DAY),
      until: iso(nowMs - 60 * DAY),
      note: '',
    },
    // a station's own list: a code not (yet) in the pool
    { id: 'def_demo_04', donorCode: 'DZ-X0931', siteId: 'DZ', reason: 'behaviour', from: iso(nowMs - 200 * DAY), until: null, note: '' },
  ]
  const quarter = (q: number) => [iso(nowMs - (q + 1) * 91 * DAY), iso(nowMs - q * 91 * DAY)] as const
  const screenings: DemoScreening[] = [
    ['SC', 'RhD-', 41_000, 147, 1],
    ['CQ', 'RhD-', 38_000, 129, 1],
    ['CD', 'Jk(a-b-)', 22_500, 1, 1],
    ['CQ', 'Fy(a-)', 6_200, 9, 1],
    ['CD', 'Fy(a-)', 5_400, 7, 2],
    ['SC', 'HPA-1a-', 3_100, 1, 2],
    ['CQ', 'Jk(a-b-)', 18_000, 1, 2],
  ].map(([siteId, antigen, screened, found, q], i) => {
    const [from, to] = quarter(q as number)
    return {
      id: `scr_demo_${String(i + 1).padStart(2, '0')}`,
      siteId: siteId as string,
      antigen: antigen as string,
      screened: screened as number,
      found: found as number,
      periodFrom: from,
      periodTo: to,
    }
  })
  return { donors, deferrals, screenings }
}

type Lit = (v: string | number | boolean | null) => string

/** The pool as SQL statements (after sites and users), created by the admin at `at`. */
export function demoPoolSql(p: DemoPool, at: string, lit: Lit, admin: string): string[] {
  const values = (rows: (string | number | boolean | null)[][]) => rows.map((r) => `(${r.map(lit).join(',')})`).join(',\n')
  const donations = p.donors.flatMap((d) => [...(d.lastWb ? [[d.code, 'WB', d.lastWb]] : []), ...d.lastPlt.map((x) => [d.code, 'PLT', x])])
  return [
    `INSERT INTO donor (code, site_id, abo, rhd, antigens, consent, created_by, created_at, updated_at) VALUES\n${values(p.donors.map((d) => [d.code, d.siteId, d.abo, d.rhd, d.antigens, d.consent, admin, at, at]))}`,
    ...(donations.length ? [`INSERT INTO donor_donation (donor_code, kind, at) VALUES\n${values(donations)}`] : []),
    // a province's own share of the pool (seed/provinces.ts) may hold no deferrals
    ...(p.deferrals.length
      ? [
          `INSERT INTO donor_deferral (id, donor_code, site_id, reason, from_at, until_at, note, created_by, created_at) VALUES\n${values(p.deferrals.map((d) => [d.id, d.donorCode, d.siteId, d.reason, d.from, d.until, d.note, admin, at]))}`,
        ]
      : []),
    ...(p.received?.length
      ? [
          `INSERT INTO donor_deferral (id, donor_code, site_id, reason, from_at, until_at, note, created_by, created_at, from_province, source_id, source_site,
            source_site_name_zh, source_site_name_en) VALUES\n${values(p.received.map((d) => [`${d.id}_rx`, d.donorCode, null, d.reason, d.from, d.until, d.note, null, at, d.fromProvince, d.id, d.sourceSite, d.sourceSiteNameZh, d.sourceSiteNameEn]))}`,
        ]
      : []),
    `INSERT INTO donor_screening (id, site_id, antigen, screened, found, period_from, period_to, created_by, created_at) VALUES\n${values(p.screenings.map((s) => [s.id, s.siteId, s.antigen, s.screened, s.found, s.periodFrom, s.periodTo, admin, at]))}`,
  ]
}
