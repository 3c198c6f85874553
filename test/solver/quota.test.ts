// A quota to another province split across the region's stations (solver/quota.ts), by the planner's own rules:
// compatibility and preference (solver/compat.ts), in time and shelf life on arrival (solver/timing.ts), floors, antigens.
import { describe, expect, it } from 'vitest'
import { proportional, splitQuotas, type QuotaLot, type QuotaNeed } from '../../solver/quota'
import type { Instance, PlanResult } from '../../solver/types'

const NOW = '2026-12-01T08:00:00Z'
const inH = (h: number) => new Date(Date.parse(NOW) + h * 3_600_000).toISOString()
const SITES = [
  { id: 'CD', name: 'Chengdu', lat: 30.66, lng: 104.07 },
  { id: 'CQ', name: 'Chongqing', lat: 29.56, lng: 106.55 },
  { id: 'NC', name: 'Nanchong', lat: 30.84, lng: 106.11 },
  { id: 'WH', name: 'Wuhan', lat: 30.59, lng: 114.31 },
]
const EXTERNAL = new Set(['WH'])
const EMPTY: PlanResult = { allocations: [], transfers: [], unmet: [] } as unknown as PlanResult
const lot = (id: string, site: string, qty: number, extra: Partial<QuotaLot> = {}): QuotaLot => ({
  id,
  site,
  component: 'RBC',
  abo: 'O',
  rhd: '+',
  qty,
  expiresAt: inH(24 * 30),
  ...extra,
})
const need = (id: string, qty: number, extra: Partial<QuotaNeed> = {}): QuotaNeed => ({
  id,
  site: 'WH',
  component: 'RBC',
  abo: 'O',
  rhd: '+',
  qty,
  urgency: 'urgent',
  neededBy: inH(72),
  ...extra,
})
const instance = (lots: QuotaLot[], reserves: Instance['reserves'] = []): Parameters<typeof splitQuotas>[0] => ({
  now: NOW,
  sites: SITES,
  lots,
  reserves,
  needs: [],
})
const bySource = (q: ReturnType<typeof splitQuotas>) => Object.fromEntries(q.transfers.map((t) => [t.from, t.qty]))

describe('splitting a quota across stations', () => {
  it('every station gives the same share of its spare above its floor; none goes below it', () => {
    const inst = instance(
      [lot('a', 'CD', 20), lot('b', 'CQ', 20), lot('c', 'NC', 20)],
      ['CD', 'CQ', 'NC'].map((site) => ({ site, component: 'RBC' as const, abo: 'O' as const, rhd: '+' as const, qty: 6 })),
    )
    expect(bySource(splitQuotas(inst, [need('q', 9)], EMPTY, EXTERNAL))).toEqual({ CD: 3, CQ: 3, NC: 3 })
    const all = splitQuotas(inst, [need('q', 60)], EMPTY, EXTERNAL)
    expect(bySource(all)).toEqual({ CD: 14, CQ: 14, NC: 14 })
    expect(all.unmet).toEqual([expect.objectContaining({ need: 'q', qty: 18, reason: 'held_by_reserves' })])
  })

  it('takes nothing the planner would refuse: a lot too short-lived on arrival, a deadline it cannot meet, an incompatible group', () => {
    // RBC must have 72 h of life left on arrival (solver/timing.ts DEFAULT_MIN_REMAINING_HOURS)
    const inst = instance([lot('short', 'CD', 10, { expiresAt: inH(60) }), lot('ok', 'CQ', 10), lot('a-group', 'NC', 10, { abo: 'A' })])
    const q = splitQuotas(inst, [need('q', 5)], EMPTY, EXTERNAL)
    expect(bySource(q)).toEqual({ CQ: 5 })
    expect(q.transfers[0].lots).toEqual([{ lotId: 'ok', qty: 5 }])
    // Chongqing → Wuhan is about 17 h by the planner's road estimate: a 2-hour deadline is out of reach
    const late = splitQuotas(inst, [need('q', 5, { neededBy: inH(2) })], EMPTY, EXTERNAL)
    expect(late.transfers).toEqual([])
    expect(late.unmet).toEqual([expect.objectContaining({ need: 'q', qty: 5 })])
  })

  it('leaves what the plan of the region already took', () => {
    const inst = instance([lot('a', 'CD', 10), lot('b', 'CQ', 10)])
    const taken = {
      ...EMPTY,
      allocations: [
        { need: 'n', fromSite: 'CD', abo: 'O', rhd: '+', qty: 10, lots: [{ id: 'a', qty: 10 }], substitution: false, preferenceRank: 0, travelHours: 0 },
      ],
    } as PlanResult
    expect(bySource(splitQuotas(inst, [need('q', 6)], taken, EXTERNAL))).toEqual({ CQ: 6 })
  })
})

describe('a quota with antigens (the Yibin relief to Wuhan sent rare units)', () => {
  it('takes only lots carrying every antigen asked for; an ordinary quota leaves rare lots alone', () => {
    const inst = instance([
      lot('plain', 'CD', 20),
      lot('fy', 'CQ', 4, { antigens: 'Fy(a-)' }),
      lot('fy-jk', 'NC', 3, { antigens: ['Fy(a-)', 'Jk(b-)'] }),
      lot('jk', 'CD', 5, { antigens: 'Jk(b-)' }),
    ])
    const rare = splitQuotas(inst, [need('r', 10, { antigens: ['Fy(a-)'] })], EMPTY, EXTERNAL)
    expect(rare.transfers.flatMap((t) => t.lots.map((l) => l.lotId)).sort()).toEqual(['fy', 'fy-jk'])
    expect(rare.transfers.reduce((s, t) => s + t.qty, 0)).toBe(7)
    expect(rare.unmet).toEqual([expect.objectContaining({ need: 'r', qty: 3 })])
    const both = splitQuotas(inst, [need('r', 10, { antigens: ['Fy(a-)', 'Jk(b-)'] })], EMPTY, EXTERNAL)
    expect(both.transfers.flatMap((t) => t.lots)).toEqual([{ lotId: 'fy-jk', qty: 3 }])
    const ordinary = splitQuotas(inst, [need('o', 10)], EMPTY, EXTERNAL)
    expect(ordinary.transfers.flatMap((t) => t.lots.map((l) => l.lotId))).toEqual(['plain'])
    // floors hold ordinary units, counted on ordinary stock alone; rare units travel (as in the planner's antigen rounds)
    const floors = instance(inst.lots as QuotaLot[], [
      { site: 'CD', component: 'RBC', abo: 'O', rhd: '+', qty: 16 },
      { site: 'CQ', component: 'RBC', abo: 'O', rhd: '+', qty: 6 },
    ])
    expect(bySource(splitQuotas(floors, [need('o', 10)], EMPTY, EXTERNAL))).toEqual({ CD: 4 })
    expect(bySource(splitQuotas(floors, [need('r', 10, { antigens: ['Fy(a-)'] })], EMPTY, EXTERNAL))).toEqual({ CQ: 4, NC: 3 })
  })
})

describe('proportional (largest remainder)', () => {
  it('adds up to the amount (or all the weights), never gives a part more than its weight, ties to whoever gave least', () => {
    expect(proportional(10, [5, 5, 5])).toEqual([4, 3, 3])
    expect(proportional(10, [5, 5, 5], [2, 0, 0])).toEqual([3, 4, 3])
    expect(proportional(100, [1, 2, 3])).toEqual([1, 2, 3])
    expect(proportional(0, [1, 2])).toEqual([0, 0])
    expect(proportional(7, [0, 0])).toEqual([0, 0])
  })
})

describe('a quota by the planner own road and thawing rules', () => {
  it('never sends red cells on a road longer than 24 h, and says so', () => {
    // Urumqi → Wuhan is about 58 h by the road estimate: over the 24 h red cells may travel (solver/domain.ts)
    const far = { id: 'XJ', name: 'Urumqi', lat: 43.83, lng: 87.62 }
    const inst = { ...instance([lot('far', 'XJ', 10)]), sites: [...SITES, far] }
    const q = splitQuotas(inst, [need('q', 5, { neededBy: inH(96) })], EMPTY, EXTERNAL)
    expect(q.transfers).toEqual([])
    expect(q.unmet).toEqual([expect.objectContaining({ need: 'q', qty: 5, reason: 'route_too_long' })])
  })

  it('thaws frozen units first (their ETA counts it), sends them only where 24 h after thawing covers the road, liquid first', () => {
    const inst = instance([
      lot('fy-liquid', 'NC', 2, { antigens: 'Fy(a-)' }),
      lot('fy-frozen', 'CQ', 4, { antigens: 'Fy(a-)', frozen: true, expiresAt: inH(24 * 365 * 9) }),
      // Chengdu → Wuhan is about 21 h: thawed 2 h + 21 h leaves less than the 6 h a thawed unit must keep on arrival
      lot('fy-frozen-far', 'CD', 4, { antigens: 'Fy(a-)', frozen: true, expiresAt: inH(24 * 365 * 9) }),
    ])
    const q = splitQuotas(inst, [need('r', 3, { antigens: ['Fy(a-)'] })], EMPTY, EXTERNAL)
    expect(q.unmet).toEqual([])
    const liquid = q.transfers.find((t) => t.from === 'NC')!
    const frozen = q.transfers.find((t) => t.from === 'CQ')!
    expect(liquid).toMatchObject({ qty: 2, lots: [{ lotId: 'fy-liquid', qty: 2 }] })
    expect(liquid.thawHours).toBeUndefined()
    expect(frozen).toMatchObject({ qty: 1, thawHours: 2, lots: [{ lotId: 'fy-frozen', qty: 1 }] })
    const road = splitQuotas(instance([lot('plain', 'CQ', 5)]), [need('p', 1)], EMPTY, EXTERNAL).transfers[0].etaHours
    expect(frozen.etaHours).toBeCloseTo(road + 2, 1)
    expect(q.transfers.some((t) => t.from === 'CD')).toBe(false)
  })
})
