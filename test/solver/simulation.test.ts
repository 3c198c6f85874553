import { describe, expect, it } from 'vitest'
import {
  dailyFactors,
  simulate,
  SimulationError,
  yearShocksOn,
  type Policy,
  type PolicyResult,
  type SimulationInput,
  type SimulationResult,
} from '../../solver/simulation'
import { planRound } from '../../solver/simulation/dispatch'
import { buildRegion, sumQty } from '../../solver/simulation/region'

const START = '2027-01-20T00:00:00Z'
const DAY = 86_400_000
const inDays = (d: number) => new Date(Date.parse(START) + d * DAY).toISOString()

const NONE: Policy = { name: 'none', dispatch: 'none', reserveDays: 3, triggerDays: 5 }
const PLANNER: Policy = { name: 'planner', dispatch: 'planner', reserveDays: 3, triggerDays: 5 }

/** Four sites; Chengdu and Chongqing are student-heavy cities (summer scenario). */
function region(over: Partial<SimulationInput> = {}): SimulationInput {
  const sites = [
    { id: 'CD', lat: 30.657, lng: 104.066, province: 'Sichuan', city: 'Chengdu' },
    { id: 'CQ', lat: 29.563, lng: 106.551, province: 'Chongqing', city: 'Chongqing' },
    { id: 'YB', lat: 28.752, lng: 104.643, province: 'Sichuan', city: 'Yibin' },
    { id: 'LS', lat: 29.552, lng: 103.766, province: 'Sichuan', city: 'Leshan' },
  ]
  const perDay: Record<string, number> = { CD: 40, CQ: 40, YB: 10, LS: 8 }
  const lots: SimulationInput['lots'] = []
  const issue: SimulationInput['issue'] = []
  for (const s of sites) {
    for (const [abo, share] of [
      ['O', 0.342],
      ['A', 0.287],
      ['B', 0.282],
      ['AB', 0.089],
    ] as const) {
      issue.push({ site: s.id, component: 'RBC', abo, rhd: '+', perDay: perDay[s.id]! * share })
      issue.push({ site: s.id, component: 'PLT', abo, rhd: '+', perDay: perDay[s.id]! * share * 0.12 })
      for (const age of [5, 15, 25])
        lots.push({ site: s.id, component: 'RBC', abo, rhd: '+', qty: Math.round(perDay[s.id]! * share * 3), expiresAt: inDays(35 - age) })
      lots.push({ site: s.id, component: 'PLT', abo, rhd: '+', qty: Math.round(perDay[s.id]! * share * 0.36), expiresAt: inDays(3) })
    }
  }
  return { start: START, sites, lots, issue, scenario: 'spring-festival', days: 30, seed: 42, policies: [NONE, PLANNER], ...over }
}

/** A result without wall-clock timings. */
const untimed = (r: SimulationResult) => ({ ...r, policies: r.policies.map(({ solveMs: _t, ...p }) => p) })

function expectConserved(p: PolicyResult) {
  for (const b of p.balance) expect(b.start + b.collected, `${p.policy.name} ${b.component}`).toBe(b.issued + b.expired + b.end + b.inTransit)
  const demand = p.series.reduce((a, d) => a + d.demandUnits, 0)
  const short = p.series.reduce((a, d) => a + d.shortageUnits, 0)
  expect(demand).toBe(p.demandUnits)
  expect(short).toBe(p.shortageUnits)
  // demand is issued, short, or postponed by a warning level's cut on routine issues
  expect(p.balance.reduce((a, b) => a + b.issued, 0)).toBe(p.demandUnits - p.shortageUnits - p.deferredUnits)
  expect(p.balance.reduce((a, b) => a + b.expired, 0)).toBe(p.wastageUnits)
}

describe('simulate', () => {
  it('the warning levels act: a station below red cuts routine issues by the red %, one in the normal band cuts none', () => {
    // one day at YB with 1 day of red cells (below red 3 d) and plenty at CD: only YB's routine share is postponed
    const base = region({ days: 1, scenario: 'custom', policies: [NONE], lots: [], routineShare: 0.5 })
    const rbc = (site: string, qty: number) =>
      ['O', 'A', 'B', 'AB'].map((abo) => ({ site, component: 'RBC' as const, abo: abo as 'O', rhd: '+' as const, qty, expiresAt: inDays(20) }))
    const input = {
      ...base,
      components: ['RBC' as const],
      lots: [...rbc('YB', 3), ...rbc('CD', 200)],
      sites: base.sites.filter((s) => s.id === 'YB' || s.id === 'CD'),
      issue: base.issue.filter((r) => r.component === 'RBC' && (r.site === 'YB' || r.site === 'CD')),
      thresholds: { RBC: { yellowDays: 7, orangeDays: 5, redDays: 3, cutYellowPct: 30, cutOrangePct: 50, cutRedPct: 80 } },
    }
    const p = simulate(input).policies[0]!
    expectConserved(p)
    expect(p.deferredUnits).toBeGreaterThan(0)
    // exactly floor(asked × 0.5 × 0.8) per YB group; CD (normal) defers nothing
    const off = simulate({ ...input, routineShare: 0 }).policies[0]!
    expect(off.deferredUnits).toBe(0)
    expect(off.demandUnits).toBe(p.demandUnits)
    const cdOnly = simulate({
      ...input,
      lots: rbc('CD', 200),
      sites: input.sites.filter((s) => s.id === 'CD'),
      issue: input.issue.filter((r) => r.site === 'CD'),
    }).policies[0]!
    expect(cdOnly.deferredUnits).toBe(0)
    expect(() => simulate({ ...input, routineShare: 1.5 })).toThrow(SimulationError)
  })

  it('is deterministic for a seed, and another seed draws differently', () => {
    const a = simulate(region())
    const b = simulate(region())
    expect(untimed(a)).toEqual(untimed(b))
    const c = simulate(region({ seed: 43 }))
    expect(c.policies[0]!.demandUnits).not.toBe(a.policies[0]!.demandUnits)
  })

  it('uses common random numbers: every policy faces the same demand', () => {
    const r = simulate(region({ policies: [NONE, PLANNER, { ...PLANNER, name: 'yellow', reserveDays: 7, triggerDays: 7 }] }))
    const demands = r.policies.map((p) => p.series.map((d) => d.demandUnits))
    expect(demands[1]).toEqual(demands[0])
    expect(demands[2]).toEqual(demands[0])
  })

  it('conserves units per component: start + collected = issued + expired + end + in transit, transfers included', () => {
    const r = simulate(region({ scenario: 'epidemic' }))
    const planner = r.policies[1]!
    expect(planner.transferredUnits).toBeGreaterThan(0)
    for (const p of r.policies) expectConserved(p)
  })

  it('never transfers under a no-dispatch policy', () => {
    const r = simulate(region({ scenario: 'epidemic' }))
    const none = r.policies[0]!
    expect(none.transferredUnits).toBe(0)
    expect(none.transferCount).toBe(0)
    expect(none.unitHours).toBe(0)
    expect(none.plans).toBe(0)
    expect(none.series.every((d) => d.transferredUnits === 0)).toBe(true)
  })

  it('on two sites, one short and one with surplus, the planner leaves strictly less shortage than no dispatch', () => {
    const sites = [
      { id: 'CD', lat: 30.657, lng: 104.066, province: 'Sichuan', city: 'Chengdu' },
      { id: 'YB', lat: 28.752, lng: 104.643, province: 'Sichuan', city: 'Yibin' },
    ]
    const input: SimulationInput = {
      start: START,
      sites,
      scenario: 'custom',
      days: 20,
      seed: 7,
      policies: [NONE, PLANNER],
      lots: [
        { site: 'CD', component: 'RBC', abo: 'O', rhd: '+', qty: 600, expiresAt: inDays(30) },
        { site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 10, expiresAt: inDays(30) },
      ],
      issue: [
        { site: 'CD', component: 'RBC', abo: 'O', rhd: '+', perDay: 10 },
        { site: 'YB', component: 'RBC', abo: 'O', rhd: '+', perDay: 10 },
      ],
      collection: [{ site: 'CD', component: 'RBC', perDay: 10 }], // YB collects nothing
    }
    const [none, planner] = simulate(input).policies
    expect(none!.shortageUnits).toBeGreaterThan(50)
    expect(planner!.shortageUnits).toBeLessThan(none!.shortageUnits)
    expect(planner!.transferredUnits).toBeGreaterThan(0)
    expect(planner!.shortageBySite.find((s) => s.site === 'CD')).toBeUndefined()
    // a reserve floor above the donor's whole stock forbids every transfer
    const held = simulate({ ...input, policies: [{ ...PLANNER, reserveDays: 60 }] }).policies[0]!
    expect(held.transferredUnits).toBe(0)
    expect(held.shortageUnits).toBe(none!.shortageUnits)
  })

  it("one region-wide solve per planning day serves the more urgent station first when two compete for a donor's spare stock", () => {
    // DN holds 72 A+ red cells with a 3-day reserve of 30: 42 to spare. AA is the lowest station overall
    // (O+ at 0.5 days, which DN cannot serve) and asks 10 A+ at routine urgency (4 days); BB asks 42 A+ as an
    // emergency (0.8 days). Solving station by station, lowest days first, gave AA its 10 routine units
    // first and BB only 32; the region-wide solve fills the emergency first.
    const input: SimulationInput = {
      start: START,
      scenario: 'custom',
      days: 1,
      seed: 1,
      policies: [PLANNER],
      sites: [
        { id: 'DN', lat: 30.657, lng: 104.066, province: 'Sichuan' },
        { id: 'AA', lat: 30.13, lng: 104.63, province: 'Sichuan' },
        { id: 'BB', lat: 31.13, lng: 104.39, province: 'Sichuan' },
      ],
      lots: [
        { site: 'DN', component: 'RBC', abo: 'A', rhd: '+', qty: 72, expiresAt: inDays(30) },
        { site: 'AA', component: 'RBC', abo: 'O', rhd: '+', qty: 5, expiresAt: inDays(30) },
        { site: 'AA', component: 'RBC', abo: 'A', rhd: '+', qty: 40, expiresAt: inDays(30) },
        { site: 'BB', component: 'RBC', abo: 'A', rhd: '+', qty: 8, expiresAt: inDays(30) },
      ],
      issue: [
        { site: 'DN', component: 'RBC', abo: 'A', rhd: '+', perDay: 10 },
        { site: 'AA', component: 'RBC', abo: 'O', rhd: '+', perDay: 10 },
        { site: 'AA', component: 'RBC', abo: 'A', rhd: '+', perDay: 10 },
        { site: 'BB', component: 'RBC', abo: 'A', rhd: '+', perDay: 10 },
      ],
    }
    const region = buildRegion(input)
    const lots = region.initial.map((ls) => ls.map((l) => ({ ...l })))
    const r = planRound(region, PLANNER, 0, lots, new Float64Array(region.nKeys))
    const to = (s: number) => r.shipments.filter((t) => region.siteOf(t.key) === s).reduce((a, t) => a + t.qty, 0)
    const aPlus = 2 // group index of A+ in GROUPS
    expect(to(2)).toBe(42) // BB, the emergency
    expect(to(1)).toBe(0) // AA's routine need waits
    expect(r.shipments.every((t) => region.groupOf(t.key) === aPlus && t.arrive === 1)).toBe(true)
    expect(sumQty(lots[region.key(0, 0, aPlus)]!)).toBe(30) // DN keeps its reserve
    expect(r.transferredUnits).toBe(42)
  })

  it('the spring festival lowers collection against the custom baseline, inside its window only', () => {
    const base = simulate(region({ scenario: 'custom', policies: [NONE] })).policies[0]!
    const sf = simulate(region({ scenario: 'spring-festival', policies: [NONE] })).policies[0]!
    const collected = (p: PolicyResult) => p.balance.reduce((a, b) => a + b.collected, 0)
    expect(collected(sf)).toBeLessThan(collected(base) * 0.85)
    expect(base.series.every((d) => d.collectionFactor === 1 && d.demandFactor === 1)).toBe(true)
    for (const d of sf.series) {
      if (d.day >= 3 && d.day < 24) {
        expect(d.collectionFactor).toBeGreaterThanOrEqual(0.6)
        expect(d.collectionFactor).toBeLessThanOrEqual(0.75)
        expect(d.demandFactor).toBe(0.9)
      } else expect([d.day, d.collectionFactor, d.demandFactor]).toEqual([d.day, 1, 1])
    }
  })

  it('the summer vacation halves collection in student-heavy cities only', () => {
    const r = simulate(region({ scenario: 'summer', policies: [NONE], days: 10 }))
    // sites CD, CQ (student cities: 0.4–0.5) and YB, LS (0.75–0.85): the regional mean lies between
    for (const d of r.policies[0]!.series) {
      expect(d.collectionFactor).toBeGreaterThanOrEqual((0.4 * 2 + 0.75 * 2) / 4)
      expect(d.collectionFactor).toBeLessThanOrEqual((0.5 * 2 + 0.85 * 2) / 4)
    }
  })

  it('rejects bad input naming the field', () => {
    const field = (over: Partial<SimulationInput>) => {
      try {
        simulate(region(over))
      } catch (e) {
        expect(e).toBeInstanceOf(SimulationError)
        return (e as SimulationError).field
      }
      return null
    }
    expect(field({ days: 0 })).toBe('days')
    expect(field({ days: 367 })).toBe('days')
    expect(field({ scenario: 'year', start: '2036-12-01T00:00:00Z', days: 60 })).toBe('start')
    expect(field({ policies: [] })).toBe('policies')
    expect(field({ policies: [NONE, PLANNER, { ...NONE, name: 'a' }, { ...NONE, name: 'b' }, { ...NONE, name: 'c' }] })).toBe('policies')
    expect(field({ policies: [NONE, { ...PLANNER, triggerDays: 0 }] })).toBe('policies.1.triggerDays')
    expect(field({ policies: [NONE, { ...PLANNER, name: 'none' }] })).toBe('policies.1.name')
  })
})

describe('the year scenario', () => {
  const day = (iso: string) => Math.floor(Date.parse(iso) / DAY)
  it('puts each shock on its calendar dates: Spring Festival by the lunar calendar, summer vacation, flu season', () => {
    // Spring Festival 2027 is February 6: on from January 27 to February 16
    expect(yearShocksOn(day('2027-01-26T00:00:00Z')).springFestival).toBe(false)
    expect(yearShocksOn(day('2027-01-27T00:00:00Z')).springFestival).toBe(true)
    expect(yearShocksOn(day('2027-02-16T00:00:00Z')).springFestival).toBe(true)
    expect(yearShocksOn(day('2027-02-17T00:00:00Z')).springFestival).toBe(false)
    // 2028: January 26, so mid-January is already on
    expect(yearShocksOn(day('2028-01-17T00:00:00Z')).springFestival).toBe(true)
    expect(yearShocksOn(day('2027-06-30T00:00:00Z')).summer).toBe(false)
    expect(yearShocksOn(day('2027-07-01T00:00:00Z')).summer).toBe(true)
    expect(yearShocksOn(day('2027-08-31T00:00:00Z')).summer).toBe(true)
    expect(yearShocksOn(day('2027-09-01T00:00:00Z')).summer).toBe(false)
    expect(yearShocksOn(day('2027-11-30T00:00:00Z')).flu).toBe(false)
    expect(yearShocksOn(day('2027-12-01T00:00:00Z')).flu).toBe(true)
    expect(yearShocksOn(day('2028-02-29T00:00:00Z')).flu).toBe(true)
    expect(yearShocksOn(day('2028-03-01T00:00:00Z')).flu).toBe(false)
  })

  it('applies the shocks from the start date, multiplying where they overlap, with student cities hit harder in summer', () => {
    const sites = region().sites
    const f = dailyFactors('year', undefined, sites, 366, 42, Date.parse('2027-01-01T00:00:00Z'))
    const at = (iso: string) => (Date.parse(iso) - Date.parse('2027-01-01T00:00:00Z')) / DAY
    const festival = at('2027-02-06T00:00:00Z') // flu season too
    expect(f.demand[festival]![0]).toBeCloseTo(0.9 * 1.05)
    expect(f.collection[festival]![0]).toBeGreaterThanOrEqual(0.6 * 0.85 - 1e-9)
    expect(f.collection[festival]![0]).toBeLessThanOrEqual(0.75 * 0.95 + 1e-9)
    const may = at('2027-05-10T00:00:00Z')
    expect(f.collection[may]).toEqual(sites.map(() => 1))
    expect(f.demand[may]).toEqual(sites.map(() => 1))
    const july = at('2027-07-15T00:00:00Z') // CD, CQ student cities; YB, LS not
    expect(f.collection[july]![0]).toBeLessThanOrEqual(0.5)
    expect(f.collection[july]![2]).toBeGreaterThanOrEqual(0.75)
  })

  it('runs a whole year with daily planning, conserving every unit', () => {
    const res = simulate(region({ scenario: 'year', start: '2027-01-01T00:00:00Z', days: 365 }))
    expect(res.days).toBe(365)
    for (const p of res.policies) {
      expect(p.series).toHaveLength(365)
      expectConserved(p)
    }
    // the levels' cuts postpone routine demand where stock runs low, so compare what went unserved either way
    const unserved = (p: PolicyResult) => p.shortageUnits + p.deferredUnits
    expect(unserved(res.policies[1]!)).toBeLessThanOrEqual(unserved(res.policies[0]!))
  })
})
