// Seasonal scenarios as data: per-day collection and demand factors, per site where it matters.
import { prng } from './random'
import type { CustomScenario, ScenarioName, SimSite } from './types'

export interface ScenarioSpec {
  label: string
  /** the fact this encodes (docs/domain-facts.md, "Seasons and shocks"), or the assumption made */
  basis: string
  /** first simulated day of the shock (0-based) */
  fromDay: number
  /** days the shock lasts; null = to the end of the run */
  length: number | null
  /** collection factor range inside the window (one uniform draw per day, shared by the region) */
  collection: readonly [number, number]
  /** collection range for student-heavy cities (STUDENT_CITIES), if different */
  studentCollection?: readonly [number, number]
  /** demand factor inside the window */
  demand: number
}

/** Cities whose collection leans on students (university towns): hit hardest in the summer vacation. */
export const STUDENT_CITIES: readonly string[] = ['Chengdu', 'Chongqing', 'Mianyang', 'Nanchong']

/**
 * The scenario table. Collection factors follow docs/domain-facts.md ("Seasons and shocks"):
 * - Winter and Spring Festival: students and migrant workers leave; collection falls to 60–75 % of need.
 * - Summer vacation (July–August): collection can fall by half or more in student-heavy cities.
 * - Epidemics: collection fell to ~15 % of need in one city for weeks.
 * Demand factors are assumptions (elective surgery pauses around the festival and in an epidemic),
 * in line with seed/demo.ts, which lowers winter demand.
 */
export const SCENARIOS: Readonly<Record<Exclude<ScenarioName, 'custom' | 'year'>, ScenarioSpec>> = {
  'spring-festival': {
    label: 'Spring Festival (春节)',
    basis: 'collection falls to 60–75 % of need for about three weeks around the festival; demand a little lower (elective surgery pauses)',
    fromDay: 3,
    length: 21,
    collection: [0.6, 0.75],
    demand: 0.9,
  },
  summer: {
    label: 'Summer vacation (暑假, July–August)',
    basis: 'collection halves (0.4–0.5) in student-heavy cities, about 0.8 elsewhere; demand unchanged',
    fromDay: 0,
    length: null,
    collection: [0.75, 0.85],
    studentCollection: [0.4, 0.5],
    demand: 1,
  },
  epidemic: {
    label: 'Epidemic (疫情)',
    basis: 'collection falls to 15–30 % of need for weeks; demand somewhat lower (assumption: elective surgery postponed)',
    fromDay: 3,
    length: null,
    collection: [0.15, 0.3],
    demand: 0.9,
  },
}

/** Spring Festival (春节, first day of the lunar year), by year: the lunar calendar has no closed
 *  form, so the dates are a table (Purple Mountain Observatory calendar). */
export const SPRING_FESTIVAL: Readonly<Record<number, string>> = {
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
  2031: '2031-01-23',
  2032: '2032-02-11',
  2033: '2033-01-31',
  2034: '2034-02-19',
  2035: '2035-02-08',
  2036: '2036-01-28',
}

/** The `year` scenario: each shock on its calendar dates (UTC days), applied wherever the run
 *  meets them; where two overlap their factors multiply. */
export const YEAR_SHOCKS = {
  springFestival: {
    label: 'Spring Festival (春节)',
    daysBefore: 10,
    daysAfter: 10,
    basis: 'from 10 days before to 10 days after the first day of the lunar year (about three weeks): collection 60–75 % of need, demand 0.9',
    collection: [0.6, 0.75] as const,
    demand: 0.9,
  },
  summer: {
    label: 'Summer vacation (暑假)',
    from: [7, 1] as const,
    to: [8, 31] as const,
    basis: 'July 1 to August 31: collection 0.4–0.5 in student-heavy cities, 0.75–0.85 elsewhere; demand unchanged',
    collection: [0.75, 0.85] as const,
    studentCollection: [0.4, 0.5] as const,
    demand: 1,
  },
  flu: {
    label: 'Flu season (流感季)',
    from: [12, 1] as const,
    to: [2, 28] as const,
    basis: 'December 1 to February 28 (assumption: the winter influenza peak defers donors with symptoms): collection 0.85–0.95, demand 1.05',
    collection: [0.85, 0.95] as const,
    demand: 1.05,
  },
} as const

const DAY_MS = 86_400_000
const utcDay = (iso: string) => Math.floor(Date.parse(iso) / DAY_MS)

/** The first and last year the `year` scenario knows the Spring Festival of. */
export const YEAR_SCENARIO_YEARS = [2020, 2036] as const

/** which calendar shocks are on at a UTC day number */
export function yearShocksOn(day: number): { springFestival: boolean; summer: boolean; flu: boolean } {
  const date = new Date(day * DAY_MS)
  const y = date.getUTCFullYear(),
    md = (date.getUTCMonth() + 1) * 100 + date.getUTCDate()
  let springFestival = false
  for (const yy of [y - 1, y, y + 1]) {
    const sf = SPRING_FESTIVAL[yy]
    if (sf === undefined) continue
    const d0 = utcDay(sf)
    if (day >= d0 - YEAR_SHOCKS.springFestival.daysBefore && day <= d0 + YEAR_SHOCKS.springFestival.daysAfter) springFestival = true
  }
  const inRange = (from: readonly [number, number], to: readonly [number, number]) => {
    const a = from[0] * 100 + from[1],
      b = to[0] * 100 + to[1]
    return a <= b ? md >= a && md <= b : md >= a || md <= b || (to[0] === 2 && to[1] === 28 && md === 229)
  }
  return { springFestival, summer: inRange(YEAR_SHOCKS.summer.from, YEAR_SHOCKS.summer.to), flu: inRange(YEAR_SHOCKS.flu.from, YEAR_SHOCKS.flu.to) }
}

export interface DailyFactors {
  /** [day][site] */
  collection: number[][]
  /** [day][site] */
  demand: number[][]
}

const isStudentCity = (s: SimSite) => STUDENT_CITIES.some((c) => c.toLowerCase() === (s.city ?? s.name ?? '').toLowerCase())

/** Per-day, per-site factors of a scenario, from their own seeded stream (independent of demand draws).
 *  `startMs` places the run on the calendar (the `year` scenario). */
export function dailyFactors(
  scenario: ScenarioName,
  custom: CustomScenario | undefined,
  sites: SimSite[],
  days: number,
  seed: number,
  startMs = 0,
): DailyFactors {
  const rand = prng((seed ^ 0x5eed5ca1) >>> 0)
  const collection: number[][] = []
  const demand: number[][] = []
  const day0 = Math.floor(startMs / DAY_MS)
  for (let d = 0; d < days; d++) {
    const u = rand()
    if (scenario === 'year') {
      const on = yearShocksOn(day0 + d)
      const at = (r: readonly [number, number]) => r[0] + u * (r[1] - r[0])
      const { springFestival: sf, summer, flu } = YEAR_SHOCKS
      collection.push(
        sites.map(
          (s) =>
            (on.springFestival ? at(sf.collection) : 1) *
            (on.summer ? at(isStudentCity(s) ? summer.studentCollection : summer.collection) : 1) *
            (on.flu ? at(flu.collection) : 1),
        ),
      )
      const dem = (on.springFestival ? sf.demand : 1) * (on.summer ? summer.demand : 1) * (on.flu ? flu.demand : 1)
      demand.push(sites.map(() => dem))
      continue
    }
    if (scenario === 'custom') {
      const from = custom?.fromDay ?? 0
      const to = custom?.toDay ?? days - 1
      const inWindow = d >= from && d <= to
      collection.push(sites.map(() => (inWindow ? (custom?.collectionFactor ?? 1) : 1)))
      demand.push(sites.map(() => (inWindow ? (custom?.demandFactor ?? 1) : 1)))
      continue
    }
    const spec = SCENARIOS[scenario]
    const inWindow = d >= spec.fromDay && (spec.length === null || d < spec.fromDay + spec.length)
    const at = (r: readonly [number, number]) => r[0] + u * (r[1] - r[0])
    collection.push(sites.map((s) => (!inWindow ? 1 : at(spec.studentCollection && isStudentCity(s) ? spec.studentCollection : spec.collection))))
    demand.push(sites.map(() => (inWindow ? spec.demand : 1)))
  }
  return { collection, demand }
}
