import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoMs, roadHours, travelMatrix } from '../../solver/timing'

describe('isoMs (the fast date-time parse the planner uses)', () => {
  it('agrees with Date.parse on the UTC forms and hands everything else to it', () => {
    for (const s of [
      '2026-01-20T08:00:00Z',
      '2026-01-20T08:00:00.123Z',
      '2024-02-29T23:59:59.999Z',
      '2026-02-30T08:00:00Z',
      '2026-01-20T24:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-2XT08:00:00Z',
      '2026-01-20T08:00:00+08:00',
      '2026-01-20T08:00Z',
    ]) {
      expect(Object.is(isoMs(s), Date.parse(s)), s).toBe(true)
    }
  })

  it('agrees with Date.parse on random instants, with and without milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (t) => {
        const s = new Date(t).toISOString()
        expect(isoMs(s)).toBe(t)
        expect(isoMs(s.slice(0, 19) + 'Z')).toBe(Date.parse(s.slice(0, 19) + 'Z'))
      }),
      { numRuns: 2000, seed: 20260301 },
    )
  })
})

describe('roadHours (the one road-time rule: the table where it has the pair, else the estimate)', () => {
  const sites = [
    { id: 'CD', name: 'Chengdu', lat: 30.66, lng: 104.07 },
    { id: 'YB', name: 'Yibin', lat: 28.76, lng: 104.63 },
    { id: 'GZ', name: 'Garze', lat: 30.05, lng: 101.96 },
  ]
  const table = { CD: { YB: 3.2 } }
  it('takes the table where it has the pair and otherwise the planner estimate, to the hundredth of an hour', () => {
    const hours = roadHours(sites, table)
    const m = travelMatrix({ now: '2026-12-01T00:00:00Z', sites, lots: [], needs: [], travelHours: table })
    expect(hours('CD', 'YB')).toBe(3.2)
    // the table is one-way: the reverse is estimated
    expect(Math.abs(hours('YB', 'CD') - m[1]![0]!)).toBeLessThanOrEqual(0.005)
    expect(Math.abs(hours('CD', 'GZ') - m[0]![2]!)).toBeLessThanOrEqual(0.005)
    expect(hours('CD', 'GZ')).toBeGreaterThan(2)
    expect(hours('CD', 'XX')).toBe(Number.POSITIVE_INFINITY)
  })
})
