/**
 * Stock warning levels (库存预警), pure: no D1, no clock.
 * Days of supply = usable stock ÷ average daily issue. A level is declared only when the last
 * `consecutiveDays` daily readings were all below its threshold; the most severe such level wins.
 */

import { LEVELS, type Level } from '../../solver/domain'
export { LEVELS, type Level }
export type Thresholds = { yellowDays: number; orangeDays: number; redDays: number; consecutiveDays: number }

/** Null when there is no use to divide by (no use: no shortage). */
export function daysOfSupply(usable: number, avgDailyIssue: number): number | null {
  if (!(avgDailyIssue > 0)) return null
  return Math.max(0, usable) / avgDailyIssue
}

/** The level one reading points at, without the consecutive-days rule. */
export function instantLevel(days: number | null, t: Thresholds): Level {
  if (days === null) return 'normal'
  if (days < t.redDays) return 'red'
  if (days < t.orangeDays) return 'orange'
  if (days < t.yellowDays) return 'yellow'
  return 'normal'
}

export const severity = (l: Level) => LEVELS.indexOf(l)

/**
 * The declared level from daily readings of days of supply, newest LAST. A level needs the newest
 * `consecutiveDays` readings all below its threshold; with fewer readings than that nothing is declared.
 */
export function declaredLevel(readings: (number | null)[], t: Thresholds): Level {
  const n = Math.max(1, Math.floor(t.consecutiveDays))
  if (readings.length < n) return 'normal'
  const recent = readings.slice(-n)
  const below = (limit: number) => recent.every((d) => d !== null && d < limit)
  if (below(t.redDays)) return 'red'
  if (below(t.orangeDays)) return 'orange'
  if (below(t.yellowDays)) return 'yellow'
  return 'normal'
}

/** Valid thresholds: yellow > orange > red > 0, at least one consecutive day. */
export function validThresholds(t: Thresholds): string | null {
  if (!(t.redDays > 0)) return 'redDays'
  if (!(t.orangeDays > t.redDays)) return 'orangeDays'
  if (!(t.yellowDays > t.orangeDays)) return 'yellowDays'
  if (!(Number.isInteger(t.consecutiveDays) && t.consecutiveDays >= 1)) return 'consecutiveDays'
  return null
}
