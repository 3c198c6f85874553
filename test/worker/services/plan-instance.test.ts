import { describe, expect, it } from 'vitest'
import type { Instance } from '../../../solver'
import { antigenSet, coversAntigens, type LiveInstance } from '../../../worker/services/plan-instance'
import { solveLive, transfersFromResult } from '../../../worker/services/plans'

const sites = [
  { id: 'CD', name: 'Chengdu', lat: 30.657, lng: 104.066 },
  { id: 'YB', name: 'Yibin', lat: 28.752, lng: 104.643 },
  { id: 'CQ', name: 'Chongqing', lat: 29.563, lng: 106.551 },
]
const now = '2026-01-20T08:00:00Z'
const exp = '2026-02-15T00:00:00Z'

describe('antigen profiles', () => {
  it('parses profiles and matches a lot that carries every antigen asked for', () => {
    expect([...antigenSet(' Fy(a-), Jk(a-b-) ,')]).toEqual(['Fy(a-)', 'Jk(a-b-)'])
    expect(antigenSet('').size).toBe(0)
    expect(coversAntigens('Jk(a-b-),Fy(a-)', 'Fy(a-)')).toBe(true)
    expect(coversAntigens('Fy(a-)', 'Fy(a-),Jk(a-b-)')).toBe(false)
    expect(coversAntigens('', 'Fy(a-)')).toBe(false)
    expect(coversAntigens('Fy(a-)', '')).toBe(true)
  })
})

describe('solveLive', () => {
  it('plans rare and ordinary needs in one solve: each rare need only from lots carrying its antigens, rare lots kept from ordinary needs', () => {
    const live: LiveInstance = {
      base: {
        now,
        sites,
        lots: [
          { id: 'N1', site: 'CD', component: 'RBC', abo: 'O', rhd: '+', qty: 5, expiresAt: exp },
          { id: 'R1', site: 'CQ', component: 'RBC', abo: 'O', rhd: '+', qty: 4, expiresAt: exp, antigens: 'Fy(a-),Jk(a-b-)' },
        ],
        reserves: [],
        needs: [
          { id: 'plain', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 5, urgency: 'urgent' },
          { id: 'both', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 2, urgency: 'emergency', antigens: 'Fy(a-),Jk(a-b-)' },
          { id: 'fy', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 3, urgency: 'urgent', antigens: 'Fy(a-)' },
        ],
      },
    }
    const { instance, result, rounds } = solveLive(live)
    expect(rounds).toHaveLength(1)
    expect(instance).toBe(live.base)
    // R1 covers both profiles: 2 to the emergency, the other 2 to the urgent Fy(a-) need; none to 'plain'
    expect(result.unmet.map((u) => [u.need, u.qty])).toEqual([
      ['plain', 0],
      ['both', 0],
      ['fy', 1],
    ])
    expect(result.unmet[2]!.reason).toBe('used_by_higher_priority')
    const transfers = transfersFromResult(instance, result, 'plan_x')
    expect(transfers.map((t) => [t.fromSite, t.toSite, t.qty, t.lots, t.requests])).toEqual([
      ['CD', 'YB', 5, [{ lotId: 'N1', qty: 5 }], [{ requestId: 'plain', qty: 5 }]],
      [
        'CQ',
        'YB',
        4,
        [{ lotId: 'R1', qty: 4 }],
        [
          { requestId: 'both', qty: 2 },
          { requestId: 'fy', qty: 2 },
        ],
      ],
    ])
  })

  it('liquid and frozen units on one route become two transfers, each with its own lots', () => {
    const base: Instance = {
      now,
      sites,
      reserves: [],
      lots: [
        { id: 'L1', site: 'CQ', component: 'RBC', abo: 'O', rhd: '+', qty: 1, expiresAt: exp, antigens: 'Fy(a-)' },
        { id: 'F1', site: 'CQ', component: 'RBC', abo: 'O', rhd: '+', qty: 2, expiresAt: '2031-01-01T00:00:00Z', antigens: 'Fy(a-)', frozen: true },
      ],
      needs: [{ id: 'fy', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 3, urgency: 'emergency', antigens: 'Fy(a-)' }],
    }
    const { instance, result } = solveLive({ base })
    expect(result.transfers.map((t) => [t.qty, t.frozen ?? false])).toEqual([
      [1, false],
      [2, true],
    ])
    expect(transfersFromResult(instance, result, 'plan_x').map((t) => [t.qty, t.lots])).toEqual([
      [1, [{ lotId: 'L1', qty: 1 }]],
      [2, [{ lotId: 'F1', qty: 2 }]],
    ])
  })

  it('a need without antigens never takes a rare lot, even when it is left unmet', () => {
    const base: Instance = {
      now,
      sites,
      reserves: [],
      lots: [{ id: 'R1', site: 'CQ', component: 'RBC', abo: 'O', rhd: '+', qty: 4, expiresAt: exp, antigens: 'Fy(a-)' }],
      needs: [{ id: 'plain', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 3, urgency: 'emergency' }],
    }
    const { result } = solveLive({ base })
    expect(result.allocations).toEqual([])
    expect(result.unmet[0]).toMatchObject({ need: 'plain', qty: 3, reason: 'no_compatible_stock' })
  })
})
