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
  it('plans rare rounds first on matching lots, sharing what is left, then the ordinary needs', () => {
    const live: LiveInstance = {
      base: {
        now, sites,
        lots: [{ id: 'N1', site: 'CD', component: 'RBC', abo: 'O', rhd: '+', qty: 5, expiresAt: exp }],
        reserves: [],
        needs: [{ id: 'plain', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 5, urgency: 'urgent' }],
      },
      rare: [
        { antigens: 'Fy(a-),Jk(a-b-)', needs: [{ id: 'both', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 2, urgency: 'emergency' }] },
        { antigens: 'Fy(a-)', needs: [{ id: 'fy', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 3, urgency: 'urgent' }] },
      ],
      rareLots: [{ id: 'R1', site: 'CQ', component: 'RBC', abo: 'O', rhd: '+', qty: 4, expiresAt: exp, antigens: 'Fy(a-),Jk(a-b-)' }],
    }
    const { instance, result, rounds } = solveLive(live)
    expect(rounds.map((r) => r.antigens)).toEqual(['Fy(a-),Jk(a-b-)', 'Fy(a-)', ''])
    expect(rounds[1].instance.lots).toEqual([expect.objectContaining({ id: 'R1', qty: 2 })]) // 2 left after the first round
    expect(result.unmet.map((u) => [u.need, u.qty])).toEqual([['both', 0], ['fy', 1], ['plain', 0]])
    expect(instance.antigenRounds?.map((r) => r.antigens)).toEqual(['Fy(a-),Jk(a-b-)', 'Fy(a-)'])
    expect(instance.lots.map((l) => l.id)).toEqual(['N1'])
    const transfers = rounds.flatMap((r) => transfersFromResult(r.instance, r.result, 'plan_x'))
    expect(transfers.map((t) => [t.fromSite, t.toSite, t.qty, t.lots, t.requests])).toEqual([
      ['CQ', 'YB', 2, [{ lotId: 'R1', qty: 2 }], [{ requestId: 'both', qty: 2 }]],
      ['CQ', 'YB', 2, [{ lotId: 'R1', qty: 2 }], [{ requestId: 'fy', qty: 2 }]],
      ['CD', 'YB', 5, [{ lotId: 'N1', qty: 5 }], [{ requestId: 'plain', qty: 5 }]],
    ])
  })

  it('without rare needs the stored instance is exactly the ordinary one', () => {
    const base: Instance = { now, sites, lots: [], reserves: [], needs: [] }
    const out = solveLive({ base, rare: [], rareLots: [] })
    expect(out.instance).toBe(base)
    expect(out.rounds).toHaveLength(1)
  })
})
