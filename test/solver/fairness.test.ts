import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseInstance, planFromJson } from '../../solver'
import { referenceUnmet } from './reference-highs'

// A 23-site day from the seasonal simulator whose fairness LP is fractional: branch and bound on it
// ran for minutes. The solver now keeps the exact min-cost plan there (deterministically).
const instance = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/fairness-fractional-23-sites.json'), 'utf8'))

describe('fairness stage', () => {
  it('keeps the min-cost plan when the fairness LP is fractional, and says so', async () => {
    const r = planFromJson(instance)
    const rbc = r.summary.fairness.find((f) => f.component === 'RBC')
    expect(rbc?.method).toBe('fractional-kept-min-cost')
    expect(r.summary.unmetUnits).toEqual(await referenceUnmet(parseInstance(instance)))
    expect(r.summary.exact).toBe(true)
  })

  it('is deterministic on it', () => {
    expect(JSON.stringify(planFromJson(instance))).toBe(JSON.stringify(planFromJson(instance)))
  })
})
