import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoMs } from '../../solver/timing'

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
