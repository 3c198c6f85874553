// The quarterly supply analysis (issue 23; the Weinan station's quarterly blood-supply meeting): what the station
// collected, the donation rate per 1,000 people it serves, what each hospital received, returned and discarded,
// and how long the station spent at each warning level, for any range of days (China time).
import { COMPONENTS, LEVELS, type Component, type Level } from '../../solver/domain'
import {
  selectCurrentLevels,
  selectDiscards,
  selectHospitals,
  selectPoolDonations,
  selectPopulation,
  selectReceipts,
  selectReturned,
  selectSupplied,
  type Range,
} from '../db/reports'
import { selectComponents } from '../db/stock'
import { badRequest, forbidden } from '../errors'
import { toCsv, type CsvValue } from '../lib/csv-writer'
import type { ByComponentT, SupplyReportQueryT, SupplyReportT } from '../schemas/report'
import type { Actor } from './auth'
import { levelHistory } from './level-history'
import { getSite } from './sites'

const DAY = 86_400_000
/** China time (UTC+8, no daylight saving): a report's days are the region's days. */
const OFFSET = 8 * 3_600_000
export const REPORT_TIME_ZONE = 'Asia/Shanghai'
/** The longest range one report covers (a year, leap or not). */
export const MAX_REPORT_DAYS = 366
/**
 * The ledger records units, not donations: donations are estimated from units (docs/domain-facts.md, "Volumes"):
 * a whole-blood donation gives 1.8 U on average (most are 400 mL = 2 U), an apheresis donation 1.5 therapeutic doses.
 */
export const U_PER_DONATION = 1.8
export const DOSES_PER_APHERESIS = 1.5

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`)
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The last full quarter before `now`, in China time, as [first day, last day]. */
export function lastFullQuarter(now: Date): { from: string; to: string } {
  const local = new Date(now.getTime() + OFFSET)
  const q = Math.floor(local.getUTCMonth() / 3)
  const start = Date.UTC(local.getUTCFullYear(), (q - 1) * 3, 1) // month -3 wraps into last year
  const end = Date.UTC(local.getUTCFullYear(), q * 3, 1) - DAY
  return { from: dateOf(start), to: dateOf(end) }
}

/** Checks the range: real dates, from ≤ to, at most a year. */
function period(q: SupplyReportQueryT) {
  // no dates: the last full quarter; only a start: up to today; only an end: from the first day of its quarter
  const def = lastFullQuarter(new Date())
  const today = dateOf(Date.now() + OFFSET)
  const to = q.to ?? (q.from ? today : def.to)
  const from = q.from ?? (q.to ? `${to.slice(0, 5)}${String(Math.floor((Number(to.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01` : def.from)
  for (const [field, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (Number.isNaN(dayMs(v)) || dateOf(dayMs(v)) !== v) throw badRequest(field, `${v} is not a date`, 'invalid_date')
  if (dayMs(from) > dayMs(to)) throw badRequest('to', `The range ends (${to}) before it begins (${from})`, 'range_reversed')
  const days = (dayMs(to) - dayMs(from)) / DAY + 1
  if (days > MAX_REPORT_DAYS) throw badRequest('to', `A report covers at most ${MAX_REPORT_DAYS} days; this range has ${days}`, 'range_too_long')
  const fromAt = new Date(dayMs(from) - OFFSET).toISOString()
  const toAt = new Date(dayMs(to) + DAY - OFFSET).toISOString()
  return { from, to, days, timeZone: REPORT_TIME_ZONE, fromAt, toAt }
}

const zero = (): ByComponentT => ({ WB: 0, RBC: 0, PLT: 0, FFP: 0, CRYO: 0 })
const isComponent = (c: string): c is Component => (COMPONENTS as readonly string[]).includes(c)
const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places

/**
 * Who may read: coordinators and admins any station, a director their own. 404 for an unknown site; 400 when
 * it is not a station or centre (a hospital's or storage point's figures are in its station's report).
 */
async function readableStation(db: D1Database, actor: Actor, siteId: string) {
  if (!['coordinator', 'admin', 'director'].includes(actor.role))
    throw forbidden(`The supply analysis is for station directors, coordinators and admins; you are ${actor.role}`, 'site')
  const site = await getSite(db, siteId, 'site')
  if (site.kind !== 'station' && site.kind !== 'center')
    throw badRequest('site', `${siteId} is a ${site.kind}, not a station or centre: its figures are in its station's report`, 'not_a_station')
  if (actor.role === 'director' && actor.siteId !== siteId) throw forbidden(`You direct site ${actor.siteId}, not ${siteId}`, 'site')
  return site
}

/** Days at each level of the component as a whole within the range, from the level history. */
async function warningDays(db: D1Database, station: string, r: Range) {
  const [periods, current] = await Promise.all([levelHistory(db, { site: station, abo: '*', rhd: '*' }), selectCurrentLevels(db, station)])
  const lo = Date.parse(r.fromAt)
  const hi = Math.min(Date.parse(r.toAt), Date.now())
  const total = (Date.parse(r.toAt) - lo) / DAY
  return COMPONENTS.map((component) => {
    const mine: { level: Level; from: string | null; to: string | null }[] = periods.filter((p) => p.component === component)
    // no recorded change: the current level, from when it was set
    if (!mine.length) for (const s of current) if (s.component === component) mine.push({ level: s.level, from: s.since, to: null })
    const days = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>
    for (const p of mine) {
      // a period that began before the first recorded change began at an unknown time: counted from the range's start
      const a = Math.max(lo, p.from ? Date.parse(p.from) : lo)
      const b = Math.min(hi, p.to ? Date.parse(p.to) : hi)
      if (b > a) days[p.level] += (b - a) / DAY
    }
    const recorded = LEVELS.reduce((s, l) => s + days[l], 0)
    return {
      component,
      normal: round(days.normal, 1),
      yellow: round(days.yellow, 1),
      orange: round(days.orange, 1),
      red: round(days.red, 1),
      unrecorded: round(Math.max(0, total - recorded), 1),
    }
  })
}

export async function supplyReport(db: D1Database, actor: Actor, q: SupplyReportQueryT): Promise<SupplyReportT> {
  const site = await readableStation(db, actor, q.site)
  const p = period(q)
  const r: Range = { station: site.id, fromAt: p.fromAt, toAt: p.toAt }
  const [components, receipts, pool, population, hospitalSites, supplied, returned, discards, levels] = await Promise.all([
    selectComponents(db),
    selectReceipts(db, r),
    selectPoolDonations(db, r),
    selectPopulation(db, site.id),
    selectHospitals(db, site.id),
    selectSupplied(db, r),
    selectReturned(db, r),
    selectDiscards(db, r),
    warningDays(db, site.id, r),
  ])

  const received = zero()
  for (const x of receipts) if (isComponent(x.component)) received[x.component] += x.qty
  const wholeBloodUnits = received.WB + received.RBC
  const wholeBloodDonations = Math.round(wholeBloodUnits / U_PER_DONATION)
  const plateletDonations = Math.round(received.PLT / DOSES_PER_APHERESIS)
  const donations = wholeBloodDonations + plateletDonations
  const per1000 = population ? (donations / population.people) * 1000 : null

  type Row = SupplyReportT['hospitals'][number]
  const rows = new Map<string, Row>(hospitalSites.map((h) => [h.id, { ...h, supplied: zero(), returned: zero(), discarded: zero(), expired: zero() }]))
  const totals = { supplied: zero(), returned: zero(), discarded: zero(), expired: zero() }
  const station = { discarded: zero(), expired: zero() }
  const add = (id: string, what: 'supplied' | 'returned' | 'discarded' | 'expired', component: string, qty: number) => {
    const row = rows.get(id)
    if (!row || !isComponent(component)) return
    row[what][component] += qty
    totals[what][component] += qty
  }
  for (const x of supplied) add(x.hospitalId, 'supplied', x.component, x.qty)
  for (const x of returned) add(x.hospitalId, 'returned', x.component, x.qty)
  for (const x of discards) {
    if (x.siteId === site.id && isComponent(x.component)) {
      station.discarded[x.component] += x.discarded
      station.expired[x.component] += x.expired
    } else {
      add(x.siteId, 'discarded', x.component, x.discarded)
      add(x.siteId, 'expired', x.component, x.expired)
    }
  }
  const sum = (b: ByComponentT) => COMPONENTS.reduce((s, c) => s + b[c], 0)
  // Only hospitals with something to report, the largest supply first.
  const hospitals = [...rows.values()]
    .filter((h) => sum(h.supplied) + sum(h.returned) + sum(h.discarded) > 0)
    .sort((a, b) => b.supplied.RBC - a.supplied.RBC || sum(b.supplied) - sum(a.supplied) || a.id.localeCompare(b.id))

  return {
    site: { id: site.id, nameZh: site.nameZh, nameEn: site.nameEn, kind: site.kind },
    period: p,
    units: components.map((c) => ({ component: c.code, nameZh: c.nameZh, nameEn: c.nameEn, unitZh: c.unitZh, unitEn: c.unitEn })),
    donations: {
      receipts: received,
      wholeBloodUnits,
      wholeBloodDonations,
      plateletDoses: received.PLT,
      plateletDonations,
      uPerDonation: U_PER_DONATION,
      dosesPerDonation: DOSES_PER_APHERESIS,
      pool: { wholeBlood: pool.find((x) => x.kind === 'WB')?.n ?? 0, platelets: pool.find((x) => x.kind === 'PLT')?.n ?? 0 },
    },
    rate: {
      population: population?.people ?? null,
      populationYear: population?.year ?? null,
      populationSource: population?.source ?? null,
      populationSourceZh: population?.sourceZh ?? null,
      per1000: per1000 === null ? null : round(per1000, 2),
      per1000Annual: per1000 === null ? null : round((per1000 * 365) / p.days, 2),
    },
    hospitals,
    totals,
    station,
    warningDays: levels,
  }
}

/** The report as one long CSV table (section, measure, hospital, component, value, unit), through the one writer. */
export function supplyReportCsv(rep: SupplyReportT, lang: 'zh' | 'en'): string {
  const unit = new Map(rep.units.map((u) => [u.component, lang === 'zh' ? u.unitZh : u.unitEn]))
  const name = (h: { nameZh: string; nameEn: string }) => (lang === 'zh' ? h.nameZh : h.nameEn)
  const rows: CsvValue[][] = []
  const head = (section: string, measure: string, component: string, value: number | null, u: string) =>
    rows.push([section, measure, rep.site.id, name(rep.site), component, value, u])
  for (const c of COMPONENTS) head('donations', 'received', c, rep.donations.receipts[c], unit.get(c) ?? '')
  head('donations', 'whole_blood_estimated', '', rep.donations.wholeBloodDonations, lang === 'zh' ? '人次' : 'donations')
  head('donations', 'platelet_estimated', '', rep.donations.plateletDonations, lang === 'zh' ? '人次' : 'donations')
  head('donations', 'pool_whole_blood', '', rep.donations.pool.wholeBlood, lang === 'zh' ? '人次' : 'donations')
  head('donations', 'pool_platelets', '', rep.donations.pool.platelets, lang === 'zh' ? '人次' : 'donations')
  head('rate', 'population', '', rep.rate.population, lang === 'zh' ? '人' : 'people')
  head('rate', 'per_1000', '', rep.rate.per1000, lang === 'zh' ? '人次/千人' : 'donations per 1,000 people')
  head('rate', 'per_1000_annual', '', rep.rate.per1000Annual, lang === 'zh' ? '人次/千人·年' : 'donations per 1,000 people a year')
  for (const what of ['supplied', 'returned', 'discarded', 'expired'] as const)
    for (const h of rep.hospitals)
      for (const c of COMPONENTS) if (h[what][c] !== 0) rows.push([what, 'hospital', h.id, name(h), c, h[what][c], unit.get(c) ?? ''])
  for (const what of ['discarded', 'expired'] as const)
    for (const c of COMPONENTS) if (rep.station[what][c] !== 0) head(`station_${what}`, 'station', c, rep.station[what][c], unit.get(c) ?? '')
  for (const w of rep.warningDays)
    for (const level of ['normal', 'yellow', 'orange', 'red', 'unrecorded'] as const)
      head('warning_days', level, w.component, w[level], lang === 'zh' ? '天' : 'days')
  return toCsv(['section', 'measure', 'site_id', 'name', 'component', 'value', 'unit'], rows, { bom: true })
}
