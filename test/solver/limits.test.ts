// Issue 21: one instance with huge quantities held the API for minutes. The instance schema bounds every
// quantity and list (400 naming the field), the solver's running time no longer grows with the size of
// the numbers, and a work budget stops any solve that would run too long.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { main } from '../../solver/cli'
import { InstanceError, parseInstance, PlanTimeLimitError, solve, workSpent } from '../../solver/index'
import { MAX_LOTS, MAX_SITES, MAX_UNITS } from '../../solver/instance-schema'
import type { Instance } from '../../solver/types'
import { fairArb, instanceArb } from './arbitraries'
import { checkFeasible, unmetByUrgency } from './check'
import { fcParams } from './helpers'

const example = () => JSON.parse(readFileSync('solver/example-instance.json', 'utf8'))

function fieldOf(input: unknown): string {
  try {
    parseInstance(input)
  } catch (e) {
    if (e instanceof InstanceError) return e.field
    throw e
  }
  return ''
}

describe('instance bounds', () => {
  it('refuses a quantity above the API bound, naming the field, in every list', () => {
    for (const [list, q] of [
      ['lots', 4294967296],
      ['lots', 1e15],
      ['needs', MAX_UNITS + 1],
      ['reserves', 2 ** 31],
    ] as const) {
      const inst = example()
      inst[list][0].qty = q
      expect(fieldOf(inst)).toBe(`${list}.0.qty`)
    }
    const ok = example()
    ok.lots[0].qty = MAX_UNITS
    expect(fieldOf(ok)).toBe('')
  })

  it('refuses lists longer than the bounds, naming the list', () => {
    const inst = example()
    inst.sites = Array.from({ length: MAX_SITES + 1 }, (_, i) => ({ id: `S${i}`, name: `S${i}`, lat: 30, lng: 104 }))
    expect(fieldOf(inst)).toBe('sites')
    const lots = example()
    lots.lots = Array.from({ length: MAX_LOTS + 1 }, () => ({ ...lots.lots[0], id: undefined }))
    expect(fieldOf(lots)).toBe('lots')
  })

  it('refuses unknown keys at every level, naming the key', () => {
    const cases: [(i: any) => void, string][] = [
      [(i) => (i.needs[0].antigenz = ['K-']), 'needs.0.antigenz'],
      [(i) => (i.lots[1].colour = 'red'), 'lots.1.colour'],
      [(i) => (i.sites[2].admin = true), 'sites.2.admin'],
      [(i) => (i.reserves[0].floor = 3), 'reserves.0.floor'],
      [(i) => (i.options = { mode: 'routine', fast: true }), 'options.fast'],
      [(i) => (i.isRoot = true), 'isRoot'],
    ]
    for (const [change, field] of cases) {
      const inst = example()
      change(inst)
      expect(fieldOf(inst)).toBe(field)
    }
  })

  it('the CLI answers at once for 4294967296 units: exit 2 naming lots.0.qty', () => {
    const inst = example()
    inst.lots[0].qty = 4294967296
    const t = performance.now()
    const r = main(['-'], () => JSON.stringify(inst))
    expect(performance.now() - t).toBeLessThan(2000)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('lots.0.qty')
  })
})

describe('running time independent of the size of the numbers', () => {
  it('plans the example with 2^32 and 1e15 units in under 2 s, exactly as with small ones (solver without the schema)', () => {
    for (const q of [4294967295, 4294967296, 1e10, 1e15]) {
      const inst: Instance = example()
      inst.lots[0]!.qty = q
      const t = performance.now()
      const r = solve(inst)
      expect(performance.now() - t).toBeLessThan(2000)
      checkFeasible(inst, r)
      expect(unmetByUrgency(inst, r)).toEqual({ emergency: 0, urgent: 0, routine: 0 })
    }
  })

  // fairArb: instances full of ties, where the fair-shares stage (whose floating-point bisection ran for
  // minutes on 2^32 units) has work to do.
  // Every quantity × K: the lexicographic max flows scale exactly (an integral network scaled by K), so the
  // unmet units per urgency are K × the small instance's; the work stays within a bound that does not grow
  // with K (the fair-shares bisection takes ~2·log2(stock) steps, so a constant allowance covers 2^40).
  it('huge and mixed quantities: same plan shape, bounded work (property)', () => {
    const scales = [2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 1e10, 1e12]
    fc.assert(
      fc.property(fc.oneof(instanceArb(), fairArb()), fc.constantFrom(...scales), (inst, k) => {
        const small = solve(inst, {})
        const smallWork = workSpent()
        const big: Instance = {
          ...inst,
          lots: inst.lots.map((l) => ({ ...l, qty: l.qty * k })),
          needs: inst.needs.map((n) => ({ ...n, qty: n.qty * k })),
          reserves: inst.reserves?.map((r) => ({ ...r, qty: r.qty * k })),
        }
        const r = solve(big, {})
        expect(workSpent()).toBeLessThanOrEqual(smallWork * 3 + 20_000)
        checkFeasible(big, r)
        if (r.summary.exact && small.summary.exact) {
          const u = unmetByUrgency(inst, small)
          expect(unmetByUrgency(big, r)).toEqual({ emergency: u.emergency * k, urgent: u.urgent * k, routine: u.routine * k })
        }
      }),
      fcParams(120, 2101),
    )
  })

  it('mixed sizes in one instance: every quantity small or huge, and the plan is feasible', () => {
    fc.assert(
      fc.property(fc.oneof(instanceArb(), fairArb()), fc.array(fc.constantFrom(1, 2 ** 32, 1e12, 7), { minLength: 64, maxLength: 64 }), (inst, ks) => {
        let i = 0
        const k = () => ks[i++ % ks.length]!
        const big: Instance = { ...inst, lots: inst.lots.map((l) => ({ ...l, qty: l.qty * k() })), needs: inst.needs.map((n) => ({ ...n, qty: n.qty * k() })) }
        const t = performance.now()
        const r = solve(big, { work: 2_000_000 })
        expect(performance.now() - t).toBeLessThan(2000)
        checkFeasible(big, r)
      }),
      fcParams(120, 2102),
    )
  })
})

describe('time budget', () => {
  it('stops a solve past its work budget with PlanTimeLimitError, and solves it with enough budget', () => {
    const inst: Instance = example()
    expect(() => solve(inst, { work: 10 })).toThrow(PlanTimeLimitError)
    expect(() => solve(inst, { work: 10 })).toThrow(/arc scans/)
    const r = solve(inst, { work: 1_000_000 })
    expect(workSpent()).toBeGreaterThan(10)
    checkFeasible(inst, r)
  })

  it('stops at a wall-clock deadline where the clock runs', () => {
    expect(() => solve(example(), { ms: -1 })).toThrow(PlanTimeLimitError)
  })
})
