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
export const SCENARIOS: Readonly<Record<Exclude<ScenarioName, 'custom'>, ScenarioSpec>> = {
  'spring-festival': {
    label: 'Spring Festival (春节)',
    basis: 'collection falls to 60–75 % of need for about three weeks around the festival; demand a little lower (elective surgery pauses)',
    fromDay: 3, length: 21, collection: [0.6, 0.75], demand: 0.9,
  },
  summer: {
    label: 'Summer vacation (暑假, July–August)',
    basis: 'collection halves (0.4–0.5) in student-heavy cities, about 0.8 elsewhere; demand unchanged',
    fromDay: 0, length: null, collection: [0.75, 0.85], studentCollection: [0.4, 0.5], demand: 1,
  },
  epidemic: {
    label: 'Epidemic (疫情)',
    basis: 'collection falls to 15–30 % of need for weeks; demand somewhat lower (assumption: elective surgery postponed)',
    fromDay: 3, length: null, collection: [0.15, 0.3], demand: 0.9,
  },
}

export interface DailyFactors {
  /** [day][site] */
  collection: number[][]
  /** [day][site] */
  demand: number[][]
}

const isStudentCity = (s: SimSite) => STUDENT_CITIES.some((c) => c.toLowerCase() === (s.city ?? s.name ?? '').toLowerCase())

/** Per-day, per-site factors of a scenario, from their own seeded stream (independent of demand draws). */
export function dailyFactors(scenario: ScenarioName, custom: CustomScenario | undefined, sites: SimSite[], days: number, seed: number): DailyFactors {
  const rand = prng((seed ^ 0x5eed5ca1) >>> 0)
  const collection: number[][] = []
  const demand: number[][] = []
  for (let d = 0; d < days; d++) {
    const u = rand()
    if (scenario === 'custom') {
      const from = custom?.fromDay ?? 0
      const to = custom?.toDay ?? days - 1
      const inWindow = d >= from && d <= to
      collection.push(sites.map(() => (inWindow ? custom?.collectionFactor ?? 1 : 1)))
      demand.push(sites.map(() => (inWindow ? custom?.demandFactor ?? 1 : 1)))
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
