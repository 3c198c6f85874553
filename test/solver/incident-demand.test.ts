// The incident demand estimate (solver/incident-demand.ts): factors per kind of incident, pinned to the published
// events they were checked against (docs/incidents.md, "Back-test"), a range on every total, and the coordinator's pick.
import { describe, expect, it } from 'vitest'
import {
  casualtiesAt,
  demandBasis,
  estimateDemand,
  KIND_FACTORS,
  pickOutOfRange,
  TRIAGE_RBC_PER_CASUALTY,
  type Factor,
  type GroupShare,
  type Triage,
} from '../../solver/incident-demand'

// migration 0030's planning_factor, triage_category and a one-group share (so totals read as units)
const FACTORS: Factor[] = (
  [
    ['critical', 'RBC', 0.75, 20],
    ['critical', 'FFP', 0.75, 25],
    ['critical', 'PLT', 0.75, 1.5],
    ['critical', 'CRYO', 0.75, 20],
    ['severe', 'RBC', 0.3, 8],
    ['severe', 'FFP', 0.3, 5],
    ['severe', 'PLT', 0.3, 0.2],
    ['severe', 'CRYO', 0.3, 0],
    ['moderate', 'RBC', 0.05, 4],
    ['moderate', 'FFP', 0.05, 0],
    ['moderate', 'PLT', 0.05, 0],
    ['moderate', 'CRYO', 0.05, 0],
  ] as const
).map(([category, component, shareTransfused, unitsPerPatient]) => ({ category, component, shareTransfused, unitsPerPatient }))
const TRIAGE: Triage[] = [
  { category: 'critical', urgency: 'emergency', deadlineHours: 6 },
  { category: 'severe', urgency: 'urgent', deadlineHours: 24 },
  { category: 'moderate', urgency: 'routine', deadlineHours: 72 },
]
const ONE_GROUP: GroupShare[] = [{ abo: 'O', rhd: '+', share: 1 }]
const AT = '2026-12-01T08:00:00.000Z'
const rbc = (kind: Parameters<typeof estimateDemand>[0], counts: Parameters<typeof estimateDemand>[1]) => {
  const d = estimateDemand(kind, counts, FACTORS, TRIAGE, ONE_GROUP, AT, 'GZ')
  const c = d?.components.find((x) => x.component === 'RBC')
  return c ? { basis: d!.basis, low: c.low, mid: c.mid, high: c.high } : null
}

describe('the factors per kind of incident', () => {
  it('the earthquake factors are those of the published figures (a change here must change docs/incidents.md too)', () => {
    // Tehran planning study: admission 0.25–0.35 of the injured, transfusion 0.05–0.10 of those admitted, × 8 U per transfused patient
    expect(KIND_FACTORS.earthquake.admission).toEqual({ low: 0.25, mid: 0.3, high: 0.35 })
    expect(KIND_FACTORS.earthquake.rbcPerAdmitted).toEqual({ low: 0.05 * 8, mid: 0.075 * 8, high: 0.1 * 8 })
    expect(KIND_FACTORS.earthquake.sources.join(' ')).toContain('Tabatabaie')
    // floods and landslides: no series found, the earthquake's figures
    expect(KIND_FACTORS.flood.rbcPerAdmitted).toEqual(KIND_FACTORS.earthquake.rbcPerAdmitted)
    // the 0030 triage factors at a 10/30/60 mix: 2.34 red-cell U per casualty, the middle figure of crashes and explosions
    expect(0.1 * 0.75 * 20 + 0.3 * 0.3 * 8 + 0.6 * 0.05 * 4).toBeCloseTo(TRIAGE_RBC_PER_CASUALTY, 10)
    expect([KIND_FACTORS.crash.rbcPerAdmitted.mid, KIND_FACTORS.explosion.rbcPerAdmitted.mid]).toEqual([2.34, 2.34])
    for (const f of Object.values(KIND_FACTORS)) {
      expect(f.sources.length).toBeGreaterThan(0)
      expect(f.rbcPerAdmitted.low).toBeLessThanOrEqual(f.rbcPerAdmitted.mid)
      expect(f.rbcPerAdmitted.mid).toBeLessThanOrEqual(f.rbcPerAdmitted.high)
    }
  })

  it('back-test: the estimates docs/incidents.md reports for published earthquakes (red cells, U of 200 mL)', () => {
    // Wenchuan 2008: 96,020 hospitalised (Xinhua, 5 June 2008) → 38,409–76,818 U; 974,000 mL (4,870 U) of blood from other
    // provinces used by day 4: the estimate is 11.8× that partial figure (docs/incidents.md says why)
    expect(rbc('earthquake', { hospitalised: 96_020 })).toEqual({ basis: 'hospitalised', low: 38_409, mid: 57_613, high: 76_818 })
    expect(57_613 / (974_000 / 200)).toBeGreaterThan(2)
    // and from its 373,606 injured: 0.257 of them were hospitalised, inside the 0.25–0.35 admission range
    expect(96_020 / 373_606).toBeGreaterThan(KIND_FACTORS.earthquake.admission.low)
    expect(rbc('earthquake', { injured: 373_606 })).toEqual({ basis: 'injured', low: 37_362, mid: 67_251, high: 104_611 })
    // Bam 2003: 23,000 injured → 2,301–6,442 U; Kerman province received 1,231 units in the first four days
    expect(rbc('earthquake', { injured: 23_000 })).toEqual({ basis: 'injured', low: 2_301, mid: 4_141, high: 6_442 })
    // Yushu 2010: 12,135 injured; Lushan 2013: 11,826 injured; Jiuzhaigou 2017: 525 injured
    expect(rbc('earthquake', { injured: 12_135 })).toEqual({ basis: 'injured', low: 1_215, mid: 2_187, high: 3_400 })
    expect(rbc('earthquake', { injured: 11_826 })).toEqual({ basis: 'injured', low: 1_184, mid: 2_130, high: 3_312 })
    expect(rbc('earthquake', { injured: 525 })).toEqual({ basis: 'injured', low: 54, mid: 96, high: 149 })
    // the old factors (crash's middle figure) would have asked 224,688 U (each category rounded up) = 44.9 million mL for Wenchuan
    expect(rbc('crash', { hospitalised: 96_020 })!.mid).toBe(224_688)
  })

  it('a 68-casualty earthquake near Luding (8 critical, 20 severe, 40 moderate): 32–62 U of red cells, 47 planned', () => {
    const d = estimateDemand('earthquake', { casualties: { critical: 8, severe: 20, moderate: 40 } }, FACTORS, TRIAGE, ONE_GROUP, AT, 'GZ')!
    expect(d.basis).toBe('triaged')
    expect(d.components.find((c) => c.component === 'RBC')).toEqual({ component: 'RBC', low: 32, mid: 47, high: 62, qty: 47, picked: false })
    // per urgency: critical → emergency 21–42 (31), severe → urgent 9–17 (13), moderate → routine 2–3 (3)
    const t = (u: string) => d.totals.find((x) => x.component === 'RBC' && x.urgency === u)
    expect([t('emergency'), t('urgent'), t('routine')]).toEqual([
      { component: 'RBC', urgency: 'emergency', low: 21, mid: 31, high: 42 },
      { component: 'RBC', urgency: 'urgent', low: 9, mid: 13, high: 17 },
      { component: 'RBC', urgency: 'routine', low: 2, mid: 3, high: 3 },
    ])
    // the same casualties as a crash keep the 0030 estimate: 120 + 48 + 8 = 176 U
    expect(rbc('crash', { casualties: { critical: 8, severe: 20, moderate: 40 } })).toEqual({ basis: 'triaged', low: 106, mid: 176, high: 272 })
  })
})

describe('what the coordinator knows', () => {
  it('triaged counts come first, then hospitalised, then injured; a relief call has no casualty estimate', () => {
    expect(demandBasis({ casualties: { critical: 1 }, hospitalised: 10, injured: 100 })).toBe('triaged')
    expect(demandBasis({ hospitalised: 10, injured: 100 })).toBe('hospitalised')
    expect(demandBasis({ injured: 100 })).toBe('injured')
    expect(demandBasis({ casualties: { critical: 0, severe: 0, moderate: 0 } })).toBeNull()
    expect(estimateDemand('relief', { injured: 100 }, FACTORS, TRIAGE, ONE_GROUP, AT, 'GZ')).toBeNull()
    // 100 injured of an earthquake at the middle figure: 30 admitted, at the 10/30/60 mix
    expect(casualtiesAt('earthquake', { injured: 100 }, 'mid')!.casualties).toEqual({ critical: 3, severe: 9, moderate: 18 })
  })

  it('every component total carries low ≤ mid ≤ high, and the lines add up to the figure the plan uses', () => {
    for (const [kind, counts] of [
      ['earthquake', { injured: 4321 }],
      ['crash', { hospitalised: 57 }],
      ['explosion', { casualties: { critical: 3, severe: 7, moderate: 11 } }],
      ['flood', { injured: 90 }],
    ] as const) {
      const d = estimateDemand(kind, counts, FACTORS, TRIAGE, ONE_GROUP, AT, 'GZ')!
      expect(d.components.length).toBeGreaterThan(0)
      for (const c of d.components) {
        expect(c.low).toBeLessThanOrEqual(c.mid)
        expect(c.mid).toBeLessThanOrEqual(c.high)
        expect(d.lines.filter((l) => l.component === c.component).reduce((s, l) => s + l.qty, 0)).toBe(c.qty)
      }
    }
  })
})

describe('picking another figure inside the range', () => {
  it("spreads the pick over the component's lines in proportion, exactly; a pick outside the range is named", () => {
    const shares: GroupShare[] = [
      { abo: 'O', rhd: '+', share: 0.342 },
      { abo: 'A', rhd: '+', share: 0.287 },
      { abo: 'B', rhd: '+', share: 0.282 },
      { abo: 'AB', rhd: '+', share: 0.089 },
    ]
    const counts = { casualties: { critical: 8, severe: 20, moderate: 40 } }
    const d = estimateDemand('earthquake', counts, FACTORS, TRIAGE, shares, AT, 'GZ', { RBC: 60 })!
    expect(d.components.find((c) => c.component === 'RBC')).toMatchObject({ qty: 60, low: 32, mid: 47, high: 62, picked: true })
    const lines = d.lines.filter((l) => l.component === 'RBC')
    expect(lines.length).toBeGreaterThan(4)
    expect(lines.reduce((s, l) => s + l.qty, 0)).toBe(60)
    // the emergency share stays about what it was at mid (31 of 47)
    const emergency = lines.filter((l) => l.urgency === 'emergency').reduce((s, l) => s + l.qty, 0)
    expect(Math.abs(emergency - (60 * 31) / 47)).toBeLessThan(2)
    // other components keep their middle figure
    expect(d.components.find((c) => c.component === 'FFP')).toMatchObject({ qty: 47, picked: false })
    expect(pickOutOfRange(d, { RBC: 60 })).toBeNull()
    expect(pickOutOfRange(d, { RBC: 63 })).toEqual({ component: 'RBC', low: 32, high: 62 })
    expect(pickOutOfRange(d, { RBC: 31 })).toEqual({ component: 'RBC', low: 32, high: 62 })
    expect(pickOutOfRange(d, { WB: 1 })).toEqual({ component: 'WB', low: 0, high: 0 })
  })
})
