// The donation intervals of GB 18467-2011, both kinds and the crossings between them, and the yearly platelet cap.
import { describe, expect, it } from 'vitest'
import { eligibleFrom, intervalEligibleMs, isEligibleAt } from '../../../worker/services/donors/eligibility'

const iso = (ms: number) => new Date(ms).toISOString()
const none = { now: false, until: null, permanent: false }

describe('eligibility by interval (GB 18467-2011)', () => {
  it('whole blood after whole blood: 6 calendar months', () => {
    const h = { lastWb: '2026-03-15T09:00:00.000Z', lastPlt: null }
    expect(iso(intervalEligibleMs('WB', h))).toBe('2026-09-15T09:00:00.000Z')
    expect(isEligibleAt('WB', h, '2026-09-15T08:59:00.000Z')).toBe(false)
    expect(isEligibleAt('WB', h, '2026-09-15T09:00:00.000Z')).toBe(true)
  })
  it('platelets after platelets: 2 weeks', () => {
    const h = { lastWb: null, lastPlt: '2026-11-01T00:00:00.000Z' }
    expect(iso(intervalEligibleMs('PLT', h))).toBe('2026-11-15T00:00:00.000Z')
  })
  it('platelets → whole blood: 4 weeks; whole blood → platelets: 3 months', () => {
    expect(iso(intervalEligibleMs('WB', { lastWb: null, lastPlt: '2026-11-01T00:00:00.000Z' }))).toBe('2026-11-29T00:00:00.000Z')
    expect(iso(intervalEligibleMs('PLT', { lastWb: '2026-08-20T00:00:00.000Z', lastPlt: null }))).toBe('2026-11-20T00:00:00.000Z')
  })
  it('the later limit wins when both kinds were given', () => {
    // whole blood in June (→ platelets from September), platelets on 1 October (→ platelets from 15 October)
    const h = { lastWb: '2026-06-01T00:00:00.000Z', lastPlt: '2026-10-01T00:00:00.000Z' }
    expect(iso(intervalEligibleMs('PLT', h))).toBe('2026-10-15T00:00:00.000Z')
    // whole blood: 6 months after June (December) beats 4 weeks after October
    expect(iso(intervalEligibleMs('WB', h))).toBe('2026-12-01T00:00:00.000Z')
  })
  it('at most 24 platelet donations a year: the 24th most recent holds the next until a year after it', () => {
    const h = { lastWb: null, lastPlt: '2026-11-01T00:00:00.000Z', plt24th: '2026-01-10T00:00:00.000Z' }
    expect(iso(intervalEligibleMs('PLT', h))).toBe('2027-01-10T00:00:00.000Z')
  })
  it('never given: eligible now; a deferral in force pushes the date; a permanent one gives null', () => {
    const now = '2026-12-01T00:00:00.000Z'
    expect(eligibleFrom('WB', { lastWb: null, lastPlt: null }, none, now)).toBe(now)
    expect(eligibleFrom('WB', { lastWb: null, lastPlt: null }, { now: true, until: '2027-02-01T00:00:00.000Z', permanent: false }, now)).toBe(
      '2027-02-01T00:00:00.000Z',
    )
    expect(eligibleFrom('PLT', { lastWb: null, lastPlt: null }, { now: true, until: null, permanent: true }, now)).toBeNull()
  })
})
