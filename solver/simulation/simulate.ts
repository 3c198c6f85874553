// The day loop: the same random draws (common random numbers) for every policy, so differences
// between policies come from the policies alone.
import { planRound, type InTransit } from './dispatch'
import { Metrics } from './metrics'
import { poisson, prng, split } from './random'
import { buildRegion, cutPct, DAY_MS, GROUP_SHARES, GROUPS, insertLot, SHELF_DAYS, sumQty, takeFefo, type Lot, type Region } from './region'
import { dailyFactors, YEAR_SCENARIO_YEARS, type DailyFactors } from './scenario'
import type { Policy, PolicyResult, SimulationInput, SimulationResult } from './types'

/** a season is up to a year (a leap year included) */
export const MAX_DAYS = 366
/** policy days (reserve, trigger) stay within two months of supply */
export const MAX_POLICY_DAYS = 60
export const MAX_POLICIES = 4

/** Bad simulation input, naming the field at fault (e.g. `policies.1.triggerDays`). */
export class SimulationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

/** The share of hospital demand that is routine (elective), an assumption: see docs/simulation.md. */
export const DEFAULT_ROUTINE_SHARE = 0.3

export const ASSUMPTIONS: readonly string[] = [
  "At yellow, orange and red a station cuts its routine issues by its policy's % (default 30/50/70), judged on the morning's days of supply; routine demand is taken as 30 % of hospital demand (an assumption), and the cut part is postponed (deferredUnits), neither issued nor short.",
  'Demand per site × component × group is Poisson around baseline daily issue × the scenario demand factor; unmet demand is lost (counted as shortage), not carried over.',
  'Demand is met first-expiry-first-out from local stock of the identical group, then from compatible groups in the clinical preference order (solver/compat.ts); RhD-positive never serves RhD-negative locally.',
  'Collections arrive the day they are drawn as one fresh lot per group (shares O 34.2 %, A 28.7 %, B 28.2 %, AB 8.9 %, RhD-negative 0.35 %), with the full shelf life.',
  'Days of supply divide by the baseline daily issue (the 14-day average at the start), not by the simulated demand.',
  'Planned transfers leave the donor at once and arrive at the start of the next day (or after ceil(road hours / 24) days).',
  'Policy days (reserve, trigger) are red-cell days; other components scale them by their red threshold relative to red cells (platelets 1/3, plasma and cryo 7/3).',
  "Each planning day is one region-wide solve() of every asking station's needs; an asking station's own stock of that component is not offered, as in live planning.",
  'Lots offered to the solver are pooled into one lot per site × component × group (units with the minimum remaining life for transport), expiring with its earliest unit; the units sent are taken first-expiry-first-out.',
]

function validate(input: SimulationInput): void {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_DAYS)
    throw new SimulationError('days', `days must be a whole number from 1 to ${MAX_DAYS}`)
  if (input.routineShare !== undefined && !(input.routineShare >= 0 && input.routineShare <= 1))
    throw new SimulationError('routineShare', 'routineShare is a share from 0 to 1')
  if (!Number.isInteger(input.seed)) throw new SimulationError('seed', 'seed must be a whole number')
  if (!Number.isFinite(Date.parse(input.start))) throw new SimulationError('start', 'start must be an ISO date-time')
  if (input.scenario === 'year') {
    const [y0, y1] = YEAR_SCENARIO_YEARS
    const first = new Date(Date.parse(input.start)).getUTCFullYear(),
      last = new Date(Date.parse(input.start) + (input.days - 1) * DAY_MS).getUTCFullYear()
    if (first < y0 || last > y1)
      throw new SimulationError('start', `the year scenario knows the Spring Festival dates of ${y0}–${y1}; the run covers ${first}–${last}`)
  }
  if (input.policies.length < 1 || input.policies.length > MAX_POLICIES) throw new SimulationError('policies', `give 1 to ${MAX_POLICIES} policies`)
  const names = new Set<string>()
  input.policies.forEach((p, i) => {
    if (names.has(p.name)) throw new SimulationError(`policies.${i}.name`, `policy name ${p.name} is used twice`)
    names.add(p.name)
    if (!(p.triggerDays > 0 && p.triggerDays <= MAX_POLICY_DAYS))
      throw new SimulationError(`policies.${i}.triggerDays`, 'triggerDays must be above 0 and at most 60')
    if (!(p.reserveDays >= 0 && p.reserveDays <= MAX_POLICY_DAYS)) throw new SimulationError(`policies.${i}.reserveDays`, 'reserveDays must be from 0 to 60')
    if (p.planEveryDays !== undefined && !(Number.isInteger(p.planEveryDays) && p.planEveryDays >= 1))
      throw new SimulationError(`policies.${i}.planEveryDays`, 'planEveryDays must be a whole number ≥ 1')
  })
  const ids = new Set(input.sites.map((s) => s.id))
  if (ids.size !== input.sites.length) throw new SimulationError('sites', 'site ids must be unique')
  input.lots.forEach((l, i) => {
    if (!ids.has(l.site)) throw new SimulationError(`lots.${i}.site`, `unknown site ${l.site}`)
    if (!(Number.isInteger(l.qty) && l.qty >= 0)) throw new SimulationError(`lots.${i}.qty`, 'qty must be a whole number ≥ 0')
  })
  input.issue.forEach((r, i) => {
    if (!ids.has(r.site)) throw new SimulationError(`issue.${i}.site`, `unknown site ${r.site}`)
    if (!(r.perDay >= 0)) throw new SimulationError(`issue.${i}.perDay`, 'perDay must be ≥ 0')
  })
}

/** The random draws of a run, shared by every policy: collected and demanded units per day × key. */
interface Draws {
  factors: DailyFactors
  collected: Int32Array[]
  demand: Int32Array[]
}

function draw(region: Region, input: SimulationInput): Draws {
  const factors = dailyFactors(input.scenario, input.custom, input.sites, input.days, input.seed, region.startMs)
  const rand = prng(input.seed)
  const G = GROUPS.length
  const C = region.comps.length
  const collected: Int32Array[] = []
  const demand: Int32Array[] = []
  for (let d = 0; d < input.days; d++) {
    const col = new Int32Array(region.nKeys)
    const dem = new Int32Array(region.nKeys)
    for (let s = 0; s < input.sites.length; s++) {
      for (let c = 0; c < C; c++) {
        const n = poisson(rand, region.collectRate[s * C + c]! * factors.collection[d]![s]!)
        const parts = split(rand, n, GROUP_SHARES)
        for (let g = 0; g < G; g++) col[region.key(s, c, g)] = parts[g]!
      }
    }
    for (let k = 0; k < region.nKeys; k++) dem[k] = poisson(rand, region.rate[k]! * factors.demand[d]![region.siteOf(k)]!)
    collected.push(col)
    demand.push(dem)
  }
  return { factors, collected, demand }
}

function run(region: Region, input: SimulationInput, draws: Draws, policy: Policy): PolicyResult {
  const m = new Metrics(region)
  const C = region.comps.length
  const G = GROUPS.length
  const S = input.sites.length
  const lots: Lot[][] = region.initial.map((ls) => ls.map((l) => ({ ...l })))
  for (let k = 0; k < region.nKeys; k++) m.start[region.compOf(k)]! += sumQty(lots[k]!)
  let transit: InTransit[] = []
  const every = policy.planEveryDays ?? 1
  const rbc = region.comps.indexOf('RBC')
  const routineShare = input.routineShare ?? DEFAULT_ROUTINE_SHARE
  /** A site's units on the shelf of a component (all groups) and its baseline daily issue. */
  const onHand = (s: number, c: number) => {
    let stock = 0,
      rate = 0
    for (let g = 0; g < G; g++) {
      const k = region.key(s, c, g)
      stock += sumQty(lots[k]!)
      rate += region.rate[k]!
    }
    return { stock, rate }
  }

  for (let d = 0; d < input.days; d++) {
    const now = region.startMs + d * DAY_MS
    let dayDemand = 0,
      dayShort = 0,
      dayCollected = 0,
      dayTransferred = 0
    // 1. transfers due today join the destination's shelf
    const staying: InTransit[] = []
    for (const t of transit) {
      if (t.arrive > d) staying.push(t)
      else insertLot(lots[t.key]!, { qty: t.qty, exp: t.exp })
    }
    transit = staying
    // 2. today's collection, fresh lots
    for (let k = 0; k < region.nKeys; k++) {
      const q = draws.collected[d]![k]!
      if (q === 0) continue
      const c = region.compOf(k)
      insertLot(lots[k]!, { qty: q, exp: now + SHELF_DAYS[region.comps[c]!] * DAY_MS })
      m.collected[c]! += q
      dayCollected += q
    }
    // 3. units past their expiry are discarded
    for (let k = 0; k < region.nKeys; k++) {
      const ls = lots[k]!
      while (ls.length > 0 && ls[0]!.exp <= now) m.expired[region.compOf(k)]! += ls.shift()!.qty
    }
    // 4. the warning levels act: at yellow, orange and red a station cuts its routine issues by the policy's %,
    //    judged on its stock of the component this morning (the cut demand is postponed, not short)
    const cut = new Float64Array(S * C)
    if (routineShare > 0) {
      for (let s = 0; s < S; s++) {
        for (let c = 0; c < C; c++) {
          const { stock, rate } = onHand(s, c)
          if (rate > 0) cut[s * C + c] = cutPct(region.thresholds(s, c), stock / rate) / 100
        }
      }
    }
    // 5. hospital demand: identical group FEFO, then compatible groups; the rest is shortage
    for (let k = 0; k < region.nKeys; k++) {
      const asked = draws.demand[d]![k]!
      if (asked === 0) continue
      const s = region.siteOf(k),
        c = region.compOf(k),
        g = region.groupOf(k)
      const deferred = Math.floor(asked * routineShare * cut[s * C + c]!)
      m.deferred[c]! += deferred
      m.demand[c]! += asked
      dayDemand += asked
      const want = asked - deferred
      let left = want - sumQty(takeFefo(lots[k]!, want))
      for (const donor of region.donors[c]![g]!) {
        if (left === 0) break
        left -= sumQty(takeFefo(lots[region.key(s, c, donor)]!, left))
      }
      m.issued[c]! += want - left
      m.shortage[c]! += left
      m.shortageBySite[s]![c]! += left
      dayShort += left
    }
    // 6. the planner's round
    if (policy.dispatch === 'planner' && d % every === 0) {
      const inTransit = new Float64Array(region.nKeys)
      for (const t of transit) inTransit[t.key]! += t.qty
      const r = planRound(region, policy, d, lots, inTransit)
      if (r.solved) m.plans++
      m.solveMs += r.solveMs
      m.transferCount += r.transferCount
      m.transferredUnits += r.transferredUnits
      m.unitHours += r.unitHours
      dayTransferred = r.transferredUnits
      transit.push(...r.shipments)
    }
    // 7. end-of-day levels
    let stationsRed = 0
    let rbcStock = 0,
      rbcRate = 0
    for (let s = 0; s < S; s++) {
      for (let c = 0; c < C; c++) {
        const { stock, rate } = onHand(s, c)
        if (!(rate > 0)) continue
        const red = stock / rate < region.thresholds(s, c).redDays
        if (red) m.redSiteDays[c]!++
        if (c === rbc) {
          rbcStock += stock
          rbcRate += rate
          if (red) stationsRed++
        }
      }
    }
    if (stationsRed > 0) m.redDays++
    const f = draws.factors
    m.series.push({
      day: d,
      date: new Date(now).toISOString().slice(0, 10),
      collectionFactor: Math.round((f.collection[d]!.reduce((a, b) => a + b, 0) / Math.max(1, S)) * 1000) / 1000,
      demandFactor: Math.round((f.demand[d]!.reduce((a, b) => a + b, 0) / Math.max(1, S)) * 1000) / 1000,
      demandUnits: dayDemand,
      shortageUnits: dayShort,
      collectedUnits: dayCollected,
      transferredUnits: dayTransferred,
      rbcDaysOfSupply: rbcRate > 0 ? Math.round((rbcStock / rbcRate) * 100) / 100 : null,
      stationsRed,
    })
  }
  const end = new Array<number>(C).fill(0)
  const inTransit = new Array<number>(C).fill(0)
  for (let k = 0; k < region.nKeys; k++) end[region.compOf(k)]! += sumQty(lots[k]!)
  for (const t of transit) inTransit[region.compOf(t.key)]! += t.qty
  return m.result(policy, end, inTransit)
}

/**
 * Simulates `days` days of the region under a scenario, once per policy with the same random draws.
 * Pure and deterministic for a given input (seeded PRNG); throws SimulationError on bad input.
 */
export function simulate(input: SimulationInput): SimulationResult {
  validate(input)
  const region = buildRegion(input)
  const draws = draw(region, input)
  return {
    scenario: input.scenario,
    start: new Date(region.startMs).toISOString(),
    days: input.days,
    seed: input.seed,
    sites: input.sites.length,
    components: region.comps,
    assumptions: [...ASSUMPTIONS],
    policies: input.policies.map((p) => run(region, input, draws, p)),
  }
}
