// The demo region: a pure, deterministic generator (seeded PRNG, no I/O; demo-sql.ts writes it as SQL) of the 24
// Sichuan–Chongqing sites, their lots and 60 days of ledger history, a few short stations with open
// aid requests (one that no plan can meet in time, one served by a substitution), rare units at the
// centers, and one user per role with fixed demo tokens.
// Every lot is inserted with qty 0; its stock comes only from ledger rows (receipt, then issues and
// discards), which the movement_applies trigger sums into lot.qty.
// mulberry32, shared with the simulator and the bench: a small seeded PRNG, the same on every platform
import { ABOS, COMPONENTS, SHELF_DAYS } from '../solver/domain'
import { prng } from '../solver/simulation/random'
import { roadTable, type SeedRoadTime } from './roads'
import { SEED_HOSPITALS, SEED_SITES, STORAGE_POINTS, type SeedSite } from './sites'
import { demoPool, type DemoPool } from './donors'
import { HOSPITAL_BANKS, hospitalBanks } from './hospital-banks'
import { basisRbcPerDay, PLT_PER_RBC, POPULATION_M } from './volumes'

export type Component = 'WB' | 'RBC' | 'PLT' | 'FFP' | 'CRYO'
export type Abo = 'O' | 'A' | 'B' | 'AB'
export type Rhd = '+' | '-'
type Role = 'coordinator' | 'director' | 'planner' | 'admin' | 'hospital'

/** Fixed bearer tokens of the demo users (stored only as SHA-256 hex hashes). */
export const DEMO_TOKENS = {
  coordinator: 'demo-coordinator',
  planner: 'demo-planner',
  admin: 'demo-admin',
  'director-cd': 'demo-director-cd',
  'director-yb': 'demo-director-yb',
  'director-pzh': 'demo-director-pzh',
  'director-gz': 'demo-director-gz',
  'director-wz': 'demo-director-wz',
  // hospitals' blood banks (seed/hospital-banks.ts)
  'hospital-yb1': 'demo-hospital-yb1',
  'hospital-yb2': 'demo-hospital-yb2',
  'hospital-gz1': 'demo-hospital-gz1',
  'hospital-cqwz1': 'demo-hospital-cqwz1',
} as const
export type DemoLogin = keyof typeof DEMO_TOKENS

const demoUser = (id: string, name: string, role: Role, siteId: string | null, login: DemoLogin) => ({
  id,
  name,
  role,
  siteId,
  login,
  token: DEMO_TOKENS[login],
})

/**
 * One user per role, directors of CD, of the three short stations and of WZ (Wanzhou, where Chongqing's aid walk
 * of issue 24 receives), and the blood banks of four hospitals.
 */
export const DEMO_USERS: readonly { id: string; name: string; role: Role; siteId: string | null; login: DemoLogin; token: string }[] = [
  demoUser('u-coordinator', '王协调', 'coordinator', null, 'coordinator'),
  demoUser('u-planner', '李规划', 'planner', null, 'planner'),
  demoUser('u-admin', '系统管理员', 'admin', null, 'admin'),
  demoUser('u-director-cd', '张站长', 'director', 'CD', 'director-cd'),
  demoUser('u-director-yb', '刘站长', 'director', 'YB', 'director-yb'),
  demoUser('u-director-pzh', '陈站长', 'director', 'PZH', 'director-pzh'),
  demoUser('u-director-gz', '扎西站长', 'director', 'GZ', 'director-gz'),
  demoUser('u-director-wz', '向站长', 'director', 'WZ', 'director-wz'),
  ...HOSPITAL_BANKS.map((h) => demoUser(`u-${h.login}`, h.userName, 'hospital', h.id, h.login as DemoLogin)),
]

/** Stations deliberately short of red cells at `now`, with their target days of supply. */
export const DEMO_SHORT: Readonly<Record<string, { level: 'red' | 'orange'; rbcDays: number }>> = {
  YB: { level: 'red', rbcDays: 2.0 },
  GZ: { level: 'red', rbcDays: 1.5 },
  PZH: { level: 'orange', rbcDays: 4.0 },
}

export const HISTORY_DAYS = 60
export const GROUP_SHARES: Readonly<Record<Abo, number>> = { O: 0.342, A: 0.287, B: 0.282, AB: 0.089 }
export const SHELF_HOURS = Object.fromEntries(Object.entries(SHELF_DAYS).map(([c, d]) => [c, d * 24])) as Readonly<Record<Component, number>>
/** Frozen red cells keep 10 years at ≤ −65 °C (GB 18469-2012); the demo dates them 365-day years from collection. */
const FROZEN_RBC_YEARS = 10

/**
 * Average red-cell issue per day (U) in an ordinary week: the documented basis of seed/volumes.ts (population ×
 * donation rate), less the share its storage points issue, which they carry themselves.
 */
export const RBC_PER_DAY: Readonly<Record<string, number>> = Object.fromEntries([
  ...SEED_SITES.map((s) => [
    s.id,
    basisRbcPerDay(POPULATION_M[s.id]) * (1 - STORAGE_POINTS.filter((p) => p.parentId === s.id).reduce((a, p) => a + p.demandShare, 0)),
  ]),
  ...STORAGE_POINTS.map((p) => [p.id, basisRbcPerDay(POPULATION_M[p.parentId]) * p.demandShare]),
])
/**
 * Other components per red-cell U issued: apheresis platelet doses from the donation mix (seed/volumes.ts, ≈ 0.035);
 * plasma (100 mL units), cryoprecipitate and whole blood as clinical estimates (docs/domain-facts.md, "Volumes").
 */
const PER_RBC: Readonly<Record<Component, number>> = { RBC: 1, WB: 0.03, PLT: PLT_PER_RBC, FFP: 0.8, CRYO: 0.3 }
/**
 * RhD-negative share of ordinary red-cell stock and demand (0.3–0.4 % among Han: 0.35 %). The region is out of
 * A− red cells at the moment (the demo's shortage: an A− patient gets O−), so ordinary RhD-negative red cells are
 * O−, B− and AB−; whole blood, platelets and plasma are kept RhD-positive (RhD does not matter for plasma).
 */
export const RHD_NEGATIVE_SHARE = 0.0035
const RHD_NEGATIVE_GROUPS: readonly Abo[] = ['O', 'B', 'AB']
/** Days of supply each component is stocked to (order-up-to level) at an ordinary site. */
const LEVEL_DAYS: Readonly<Record<Component, [center: number, station: number]>> = {
  RBC: [13, 9],
  WB: [12, 10],
  PLT: [3.8, 3.6],
  FFP: [45, 35],
  CRYO: [45, 35],
}
/** How often a new lot of each component arrives (days), at a center / a station. */
const RECEIPT_EVERY: Readonly<Record<Component, [number, number]>> = {
  RBC: [1, 2],
  WB: [10, 15],
  PLT: [1, 2],
  FFP: [7, 10],
  CRYO: [10, 15],
}
/** Hours from collection to receipt into stock. */
const LAG_HOURS: Readonly<Record<Component, [number, number]>> = {
  RBC: [12, 48],
  WB: [6, 24],
  PLT: [6, 20],
  FFP: [24, 480],
  CRYO: [24, 480],
}

// ---------------------------------------------------------------------------------------------
// Randomness and seasons

function poisson(rand: () => number, mean: number): number {
  if (mean <= 0) return 0
  if (mean > 30) {
    // normal approximation (Box–Muller)
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z))
  }
  const l = Math.exp(-mean)
  let k = 0
  let p = 1
  do {
    k++
    p *= rand()
  } while (p > l)
  return k - 1
}

const SPRING_FESTIVAL = ['2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03', '2031-01-23', '2032-02-11']
export const DAY = 86_400_000
const HOUR = 3_600_000

/**
 * Relative hospital demand on a date: elective surgery pauses in mid-winter, most of all around the
 * Spring Festival (down to 0.6 within ±10 days of it, 0.85 elsewhere in January to mid-February);
 * weekends run at 0.85.
 */
export function demandFactor(at: Date): number {
  const y = at.getUTCFullYear()
  let f = 1
  const month = at.getUTCMonth()
  const dayOfMonth = at.getUTCDate()
  if (month === 0 || (month === 1 && dayOfMonth <= 20)) f = 0.85
  for (const sf of SPRING_FESTIVAL) {
    if (!sf.startsWith(String(y))) continue
    const days = Math.abs(at.getTime() - Date.parse(`${sf}T00:00:00Z`)) / DAY
    if (days <= 10) f = Math.min(f, 0.6 + (0.25 * days) / 10)
  }
  const dow = at.getUTCDay()
  if (dow === 0 || dow === 6) f *= 0.85
  return f
}

// ---------------------------------------------------------------------------------------------
// The region as data

export type DemoLot = {
  id: string
  siteId: string
  component: Component
  abo: Abo
  rhd: Rhd
  antigens: string
  collectedAt: string
  expiresAt: string
  createdAt: string
  /** frozen red cells (≤ −65 °C, 10 years; migration 0051) */
  frozen?: boolean
}
/** A ledger row; its batch is `seed-<date of at>` and its reason follows from the kind. */
export type DemoMovement = {
  batchId: string
  lotId: string
  siteId: string
  kind: 'receipt' | 'issue' | 'discard'
  delta: number
  at: string
  hospitalId?: string
}
export type DemoHospital = { id: string; siteId: string; nameZh: string; nameEn?: string; county: string }
export type DemoRequest = {
  id: string
  siteId: string
  component: Component
  abo: Abo
  rhd: Rhd
  antigens: string
  qty: number
  urgency: 'emergency' | 'urgent' | 'routine'
  neededBy: string
  allowRhPositive: boolean
  reason: string
  createdBy: string
  createdAt: string
  /** The record behind allowRhPositive (migration 0051): who consented, when, anti-D screen, the patient. */
  rhPositiveConsent?: { consentBy: string; consentAt: string; antiDScreen: 'negative'; patientNote: string }
}
export type DemoRegion = {
  now: string
  sites: readonly SeedSite[]
  users: { id: string; name: string; role: Role; siteId: string | null; tokenHash: string }[]
  batches: { id: string; key: string; at: string }[]
  lots: DemoLot[]
  movements: DemoMovement[]
  requests: DemoRequest[]
  /** the rare-donor pool (seed/donors.ts) */
  pool: DemoPool
  /** Each station's register of hospitals; every issue names one */
  hospitals: DemoHospital[]
  /** Road times for every ordered pair of sites (seed/roads.ts) */
  roadTimes: SeedRoadTime[]
}

export type DemoOptions = {
  /** The moment the demo is generated for; default the current time. */
  now?: Date
  /** PRNG seed; the same seed and `now` give the same SQL. */
  seed?: number
  /** Hex SHA-256 of a token; default Web Crypto (crypto.subtle, in both Node and Workers). */
  hash?: (token: string) => Promise<string>
}

export async function sha256HexWebCrypto(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export const iso = (ms: number) => new Date(ms).toISOString()
export const ADMIN = 'u-admin'

type LiveLot = DemoLot & { qty: number; expiresMs: number }

/** Generates the demo region for `now`. Pure apart from hashing the demo tokens. */
export async function demoRegion(opts: DemoOptions = {}): Promise<DemoRegion> {
  const nowMs = Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000
  const rand = prng(opts.seed ?? 20261123)
  const hash = opts.hash ?? sha256HexWebCrypto
  const between = (lo: number, hi: number) => lo + (hi - lo) * rand()
  const startMs = nowMs - HISTORY_DAYS * DAY
  const batchIdFor = (ms: number) => `seed-${iso(ms).slice(0, 10)}`
  const batches = new Map<string, { id: string; key: string; at: string }>()
  const lots: DemoLot[] = []
  const movements: DemoMovement[] = []
  // hospitals: the named ones of each station's register (ids like YB1; YB0 is the rest of its hospitals as one entry, kept
  // short because every issue row names one), and its storage points' county hospitals (YBXW1)
  const hospitals: DemoHospital[] = []
  const supplied = new Map<string, { id: string; weight: number }[]>()
  for (const site of SEED_SITES) {
    const named = SEED_HOSPITALS[site.id] ?? []
    const list = named.map((nameZh, i) => ({ id: `${site.id}${i + 1}`, siteId: site.id, nameZh, county: '', weight: i === 0 ? 0.3 : 0.15 }))
    list.push({
      id: `${site.id}0`,
      siteId: site.id,
      nameZh: `${site.nameZh}其他供血医院（合计）`,
      county: '',
      weight: 1 - list.reduce((a, h) => a + h.weight, 0),
    })
    hospitals.push(...list.map(({ weight: _w, ...h }) => h))
    supplied.set(
      site.id,
      list.map((h) => ({ id: h.id, weight: h.weight })),
    )
  }
  for (const p of STORAGE_POINTS) {
    const id = `${p.id}1`
    hospitals.push({ id, siteId: p.parentId, nameZh: p.nameZh.replace('储血点', ''), county: p.nameZh.slice(0, 3) })
    supplied.set(p.id, [{ id, weight: 1 }])
  }
  const pickHospital = (() => {
    const r = prng((opts.seed ?? 20261123) + 1) // its own stream: naming hospitals changes no other draw
    return (siteId: string) => {
      const list = supplied.get(siteId)!
      let x = r()
      for (const h of list) if ((x -= h.weight) < 0) return h.id
      return list[list.length - 1].id
    }
  })()
  const move = (lot: DemoLot, kind: DemoMovement['kind'], delta: number, atMs: number) => {
    const batchId = batchIdFor(atMs)
    if (!batches.has(batchId)) batches.set(batchId, { id: batchId, key: batchId, at: `${iso(atMs).slice(0, 10)}T00:00:00.000Z` })
    movements.push({
      batchId,
      lotId: lot.id,
      siteId: lot.siteId,
      kind,
      delta,
      at: iso(atMs),
      ...(kind === 'issue' ? { hospitalId: pickHospital(lot.siteId) } : {}),
    })
  }
  const seq = new Map<string, number>()
  const newLot = (site: string, c: Component, abo: Abo, rhd: Rhd, collectedMs: number, receivedMs: number, antigens = ''): LiveLot => {
    const stream = `${site}-${c}-${abo}${rhd === '+' ? 'P' : 'N'}`
    const n = (seq.get(stream) ?? 0) + 1
    seq.set(stream, n)
    const expiresMs = collectedMs + SHELF_HOURS[c] * HOUR
    const lot: LiveLot = {
      id: `${stream}-${String(n).padStart(3, '0')}`,
      siteId: site,
      component: c,
      abo,
      rhd,
      antigens,
      collectedAt: iso(collectedMs),
      expiresAt: iso(expiresMs),
      createdAt: iso(receivedMs),
      qty: 0,
      expiresMs,
    }
    lots.push(lot)
    return lot
  }
  const receive = (lot: LiveLot, qty: number, atMs: number) => {
    lot.qty += qty
    move(lot, 'receipt', qty, atMs)
  }

  // ---- each site × component × group: demand, then an order-up-to stock policy. Storage points keep red cells only;
  // RhD-negative red cells (O−, B−, AB−) at their share of the population.
  const streams = (c: Component): [Abo, Rhd][] => [
    ...ABOS.map((abo): [Abo, Rhd] => [abo, '+']),
    ...(c === 'RBC' ? RHD_NEGATIVE_GROUPS.map((abo): [Abo, Rhd] => [abo, '-']) : []),
  ]
  for (const site of [...SEED_SITES, ...STORAGE_POINTS]) {
    const isCenter = site.kind === 'center'
    const short = DEMO_SHORT[site.id]
    for (const c of COMPONENTS) {
      if (site.kind === 'storage' && c !== 'RBC') continue
      for (const [abo, rhd] of streams(c)) {
        const mean = RBC_PER_DAY[site.id] * PER_RBC[c] * GROUP_SHARES[abo] * (rhd === '-' ? RHD_NEGATIVE_SHARE : 1 - (c === 'RBC' ? RHD_NEGATIVE_SHARE : 0))
        // the day's demand and the moment it is issued, slot k covering [start + k days, start + k+1 days)
        const slots = Array.from({ length: HISTORY_DAYS }, (_, k) => {
          const slotMs = startMs + k * DAY
          const issueMs = slotMs + Math.floor(between(3, 23)) * HOUR + Math.floor(between(0, 60)) * 60_000
          return { slotMs, issueMs, demand: poisson(rand, mean * demandFactor(new Date(slotMs + 12 * HOUR))) }
        })
        const window14 = slots.filter((s) => s.issueMs >= nowMs - 14 * DAY).reduce((a, s) => a + s.demand, 0) / 14
        const runningDown = c === 'RBC' && !!short
        // a short station was already thin on red cells before it ran down
        const normalDays = runningDown ? Math.min(6, LEVEL_DAYS[c][1]) : LEVEL_DAYS[c][isCenter ? 0 : 1]
        const finalDays = runningDown ? short.rbcDays : normalDays
        // The stock to hold at time t: normal, except that a short station's red cells run down over the last 20 days.
        const level = (ms: number) => {
          if (ms >= nowMs) return finalDays * window14
          const expected = mean * demandFactor(new Date(ms))
          const declineFrom = nowMs - 20 * DAY
          if (!runningDown || ms <= declineFrom) return normalDays * expected
          const w = (ms - declineFrom) / (nowMs - declineFrom)
          return (normalDays * (1 - w) + finalDays * w) * expected
        }
        // RhD-negative units come in rarely (a weekly lot); storage points are restocked by their station every 3 days
        const every = rhd === '-' ? 7 : site.kind === 'storage' ? 3 : RECEIPT_EVERY[c][isCenter ? 0 : 1]
        const lag = LAG_HOURS[c]
        const live: LiveLot[] = []
        const stock = () => live.reduce((a, l) => a + l.qty, 0)

        // opening stock, received at the start of the history from collections in the days before
        const opening = Math.round(level(startMs))
        const parts = opening > 6 ? 3 : opening > 0 ? 1 : 0
        for (let i = 0; i < parts; i++) {
          const receivedMs = startMs + (10 + i) * 60_000
          const ageH = c === 'PLT' ? between(8, 40) : c === 'FFP' || c === 'CRYO' ? between(200, 4000) : between(24 * (2 + 4 * i), 24 * (5 + 4 * i))
          const lot = newLot(site.id, c, abo, rhd, receivedMs - ageH * HOUR, receivedMs)
          const q = i < parts - 1 ? Math.floor(opening / parts) : opening - Math.floor(opening / parts) * (parts - 1)
          if (q > 0) {
            receive(lot, q, receivedMs)
            live.push(lot)
          } else lots.pop()
        }

        for (let k = 0; k < HISTORY_DAYS; k++) {
          const { slotMs, issueMs, demand } = slots[k]
          if (k > 0 && k % every === 0) {
            const receivedMs = slotMs + Math.floor(between(30, 150)) * 60_000
            const nextK = k + every
            const nextMs = nextK < HISTORY_DAYS ? slots[nextK].slotMs : nowMs
            const planned = slots.slice(k, Math.min(nextK, HISTORY_DAYS)).reduce((a, s) => a + s.demand, 0)
            const expiring = live.filter((l) => l.expiresMs <= nextMs).reduce((a, l) => a + l.qty, 0)
            const qty = Math.round(level(nextMs) + planned - (stock() - expiring))
            if (qty > 0) {
              const lot = newLot(site.id, c, abo, rhd, receivedMs - between(lag[0], lag[1]) * HOUR, receivedMs)
              receive(lot, qty, receivedMs)
              live.push(lot)
            }
          }
          // outdated units are discarded when they expire, before the day's issue
          for (const l of live) {
            if (l.qty > 0 && l.expiresMs <= issueMs) {
              move(l, 'discard', -l.qty, l.expiresMs)
              l.qty = 0
            }
          }
          // issue first-expiring first
          let want = demand
          live.sort((a, b) => a.expiresMs - b.expiresMs)
          for (const l of live) {
            if (want === 0) break
            const take = Math.min(want, l.qty)
            if (take > 0) {
              l.qty -= take
              want -= take
              move(l, 'issue', -take, issueMs)
            }
          }
          for (let i = live.length - 1; i >= 0; i--) if (live[i].qty === 0) live.splice(i, 1)
        }
        // anything left that has expired by now goes out as a discard too
        for (const l of live) if (l.qty > 0 && l.expiresMs <= nowMs) move(l, 'discard', -l.qty, l.expiresMs)
      }
    }
  }

  // ---- red cells close to expiry (received from a neighbour), at the centers and some big stations
  for (const site of ['CD', 'SC', 'CQ', 'MY', 'NC', 'LS']) {
    const abo: Abo = site.length % 2 ? 'A' : 'O'
    const receivedMs = nowMs - 3 * DAY + Math.floor(between(0, 600)) * 60_000
    const expiresInH = between(18, 64)
    const lot = newLot(site, 'RBC', abo, '+', nowMs + expiresInH * HOUR - SHELF_HOURS.RBC * HOUR, receivedMs)
    receive(lot, 3 + Math.floor(between(0, 5)), receivedMs)
  }

  // ---- rare units: RhD-negative and rare antigen profiles at the three centers (the regional rare-donor pool). Plasma
  // is not kept by RhD (it does not matter for plasma); Jk(a-b-) units are RhD-positive (RhD-negative and Jk(a-b-)
  // together: 0.35 % × about 1 in 20,000, a few in ten million). The pool holds no A- red cells (only O-, B-, AB-): the open A- request below gets O-, a substitution.
  // Rare antigen red cells are banked frozen (GB 18469-2012: 10 years at ≤ −65 °C) at the centres that would bank
  // them, Chengdu and Chongqing; RhD-negative units are ordinary liquid stock.
  const rare: [site: string, c: Component, abo: Abo, rhd: Rhd, antigens: string, qty: number][] = [
    ['CD', 'RBC', 'O', '-', '', 6],
    ['CD', 'RBC', 'B', '-', '', 3],
    ['CD', 'RBC', 'O', '+', 'Fy(a-)', 2],
    ['CD', 'RBC', 'O', '+', 'Jk(a-b-)', 3],
    ['SC', 'RBC', 'O', '-', '', 4],
    ['SC', 'RBC', 'AB', '-', '', 2],
    ['SC', 'PLT', 'O', '-', '', 1],
    ['CQ', 'RBC', 'O', '-', '', 5],
    ['CQ', 'RBC', 'B', '-', '', 3],
    ['CQ', 'RBC', 'AB', '-', '', 2],
    ['CQ', 'RBC', 'A', '+', 'Fy(a-)', 2],
    ['CQ', 'RBC', 'O', '+', 'Jk(a-b-)', 1],
  ]
  for (const [site, c, abo, rhd, antigens, qty] of rare) {
    const frozen = c === 'RBC' && antigens !== ''
    const ageDays = c === 'PLT' ? 1 : c === 'FFP' ? between(20, 120) : frozen ? between(200, 1500) : between(4, 20)
    const collectedMs = nowMs - ageDays * DAY
    const receivedMs = collectedMs + (c === 'PLT' ? 8 : 30) * HOUR
    const lot = newLot(site, c, abo, rhd, collectedMs, receivedMs, antigens)
    if (frozen) {
      lot.frozen = true
      lot.expiresMs = collectedMs + FROZEN_RBC_YEARS * 365 * DAY
      lot.expiresAt = iso(lot.expiresMs)
    }
    const issued = c === 'RBC' && rhd === '-' && ageDays > 8 ? 1 + Math.floor(between(0, 2)) : 0
    receive(lot, qty + issued, receivedMs)
    if (issued) move(lot, 'issue', -issued, receivedMs + Math.floor(between(2, 4 * 24)) * HOUR)
  }

  // ---- Yibin keeps its last O-negative red-cell unit: the demo walk of issue 23 sends it to YB1 (README). Its O- stream
  // alone (about 0.25 U a day, running down with the station) leaves 0 or 1 by chance; if 0, one unit came in 4 days ago.
  const ybONeg = movements.filter((m) => m.siteId === 'YB' && m.lotId.startsWith('YB-RBC-ON-')).reduce((a, m) => a + m.delta, 0)
  if (ybONeg < 1) {
    const receivedMs = nowMs - 4 * DAY
    receive(newLot('YB', 'RBC', 'O', '-', receivedMs - 2 * DAY, receivedMs), 1, receivedMs)
  }

  // Receipts before issues before discards at the same instant, so no lot ever dips below zero.
  const order = { receipt: 0, issue: 1, discard: 2 }
  movements.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : order[a.kind] - order[b.kind]))

  // ---- open aid requests at the short stations
  const req = (
    n: number,
    siteId: string,
    component: Component,
    abo: Abo,
    rhd: Rhd,
    qty: number,
    urgency: DemoRequest['urgency'],
    inHours: number,
    reason: string,
    extra: Partial<DemoRequest> = {},
  ): DemoRequest => ({
    id: `req_demo_${String(n).padStart(2, '0')}`,
    siteId,
    component,
    abo,
    rhd,
    antigens: '',
    qty,
    urgency,
    neededBy: iso(nowMs + inHours * HOUR),
    allowRhPositive: false,
    reason,
    createdBy: `u-director-${siteId.toLowerCase()}`,
    createdAt: iso(nowMs - (n + 1) * 47 * 60_000),
    ...extra,
  })
  const requests: DemoRequest[] = [
    req(1, 'YB', 'RBC', 'O', '+', 30, 'emergency', 6, '多发伤大出血，O型红细胞库存告急'),
    req(2, 'YB', 'RBC', 'A', '+', 20, 'urgent', 24, '择期手术备血不足'),
    // RhD-positive red cells for an RhD-negative patient only where a clinician would accept it: an older man (no
    // child-bearing future), no anti-D on the screen, in shock, with consent recorded (never a woman after childbirth).
    req(3, 'YB', 'RBC', 'O', '-', 4, 'emergency', 8, 'RhD阴性老年男性消化道大出血，失血性休克', {
      allowRhPositive: true,
      rhPositiveConsent: {
        consentBy: '患者之子（代理人）',
        consentAt: iso(nowMs - 3 * HOUR),
        antiDScreen: 'negative',
        patientNote: '男，72岁，消化道大出血，失血性休克',
      },
    }),
    req(4, 'GZ', 'RBC', 'O', '+', 16, 'urgent', 12, '高原地区库存低于3天'),
    req(5, 'GZ', 'RBC', 'B', '+', 10, 'urgent', 30, '县医院备血'),
    // served from a frozen Fy(a-) unit banked in Chengdu: thawed, then on the road (issue 20 §2)
    req(6, 'GZ', 'RBC', 'O', '+', 2, 'emergency', 20, '稀有血型 Fy(a-) 患者急诊手术出血', { antigens: 'Fy(a-)' }),
    req(7, 'GZ', 'PLT', 'A', '+', 3, 'emergency', 10, '白血病患者血小板减少'),
    req(8, 'PZH', 'RBC', 'O', '+', 15, 'routine', 48, '冬季采血量下降'),
    // The region holds no A- red cells (see the rare pool): the planner sends O-, a substitution.
    req(9, 'PZH', 'RBC', 'A', '-', 2, 'urgent', 30, 'RhD阴性A型患者手术备血'),
    // RhD-negative platelets needed within the hour at Kangding. GZ holds none (the region's only RhD-negative
    // platelets are at SC, in Chengdu; GZ's own platelets are left out of the plan anyway while it asks for
    // platelets), and every other site is over 2 h away by road: unmet, none_in_time.
    req(10, 'GZ', 'PLT', 'O', '-', 2, 'emergency', 1, 'RhD阴性产妇产后大出血，1小时内需血小板'),
  ]

  const users = await Promise.all(DEMO_USERS.map(async (u) => ({ id: u.id, name: u.name, role: u.role, siteId: u.siteId, tokenHash: await hash(u.token) })))
  const sites = [...SEED_SITES, ...STORAGE_POINTS.map(({ demandShare: _d, hoursToStation: _h, road: _r, ...p }) => p)]
  // the hospitals' blood banks: their own stream of draws, after the region's
  const banks = hospitalBanks(nowMs, opts.seed)
  for (const day of banks.batchDays)
    if (!batches.has(`seed-${day}`)) batches.set(`seed-${day}`, { id: `seed-${day}`, key: `seed-${day}`, at: `${day}T00:00:00.000Z` })
  return {
    now: iso(nowMs),
    sites,
    users,
    batches: [...batches.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    lots: [...lots, ...banks.lots],
    movements: [...movements, ...banks.movements],
    requests,
    pool: demoPool(nowMs),
    // the blood banks' English names, for the hospital register and their sites
    hospitals: [...hospitals, ...banks.hospitals].map((h) => ({ ...h, nameEn: h.nameEn ?? HOSPITAL_BANKS.find((b) => b.id === h.id)?.nameEn })),
    roadTimes: roadTable(sites.map((s) => s.id)),
  }
}
