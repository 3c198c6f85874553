/**
 * Stock warning levels (库存预警), pure: no D1, no clock.
 * Days of supply = usable stock ÷ average daily issue. Red is declared at once; yellow and orange only when the
 * last `consecutiveDays` daily readings were all below the threshold; the most severe such level wins.
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
 * The declared level from daily readings of days of supply, newest LAST. A fall below red is declared at once,
 * on the newest reading alone: the consecutive-day rule guards only the milder levels (a collapse must not wait
 * N days). Yellow and orange need the newest `consecutiveDays` readings all below their threshold; with fewer
 * readings than that they are not declared.
 */
export function declaredLevel(readings: (number | null)[], t: Thresholds): Level {
  const newest = readings[readings.length - 1]
  if (newest !== undefined && newest !== null && newest < t.redDays) return 'red'
  const n = Math.max(1, Math.floor(t.consecutiveDays))
  if (readings.length < n) return 'normal'
  const recent = readings.slice(-n)
  const below = (limit: number) => recent.every((d) => d !== null && d < limit)
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
