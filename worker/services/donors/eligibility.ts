// When a donor may give again: the donation intervals of China's donor-health standard, GB 18467-2011
// 《献血者健康检查要求》 (docs/domain-facts.md, "Donation intervals"). Pure: no D1, no clock.

export type DonationKind = 'WB' | 'PLT'

/** GB 18467-2011: whole blood ≥ 6 months apart; apheresis platelets ≥ 2 weeks apart and ≤ 24 a year; platelets → whole
 *  blood ≥ 4 weeks; whole blood → platelets ≥ 3 months. */
export const INTERVALS = {
  wholeBloodAfterWholeBlood: { months: 6 },
  plateletsAfterPlatelets: { days: 14 },
  plateletsPerYear: 24,
  wholeBloodAfterPlatelets: { days: 28 },
  plateletsAfterWholeBlood: { months: 3 },
} as const

export type History = {
  lastWb: string | null
  lastPlt: string | null
  /** the 24th most recent platelet donation: the yearly cap holds until a year after it */
  plt24th?: string | null
}

const DAY_MS = 86_400_000
const addDays = (iso: string, days: number) => Date.parse(iso) + days * DAY_MS
/** Calendar months in UTC (6 months after 2026-03-31 is 2026-10-01, as Date rolls the missing day over). */
const addMonths = (iso: string, months: number) => {
  const d = new Date(iso)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d.getTime()
}

/** The donation kind a component is collected by: platelets by apheresis, everything else from whole blood. */
export const donationKind = (component: string): DonationKind => (component === 'PLT' ? 'PLT' : 'WB')

/** The earliest moment the intervals allow a donation of `kind`, as epoch ms (0: any time). */
export function intervalEligibleMs(kind: DonationKind, h: History): number {
  const limits: number[] = [0]
  if (kind === 'WB') {
    if (h.lastWb) limits.push(addMonths(h.lastWb, INTERVALS.wholeBloodAfterWholeBlood.months))
    if (h.lastPlt) limits.push(addDays(h.lastPlt, INTERVALS.wholeBloodAfterPlatelets.days))
  } else {
    if (h.lastPlt) limits.push(addDays(h.lastPlt, INTERVALS.plateletsAfterPlatelets.days))
    if (h.lastWb) limits.push(addMonths(h.lastWb, INTERVALS.plateletsAfterWholeBlood.months))
    if (h.plt24th) limits.push(addDays(h.plt24th, 365))
  }
  return Math.max(...limits)
}

export type Deferral = { now: boolean; until: string | null; permanent: boolean }

/**
 * When the donor may give `kind`: the later of the intervals and any deferral in force (its end); null when a
 * permanent deferral stands (never callable). An ISO time at or before `now` means eligible now.
 */
export function eligibleFrom(kind: DonationKind, h: History, deferral: Deferral, now: string): string | null {
  if (deferral.permanent) return null
  const ms = Math.max(intervalEligibleMs(kind, h), deferral.now && deferral.until ? Date.parse(deferral.until) : 0, Date.parse(now))
  return new Date(ms).toISOString()
}

export const isEligibleAt = (kind: DonationKind, h: History, at: string) => intervalEligibleMs(kind, h) <= Date.parse(at)
