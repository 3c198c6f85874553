// Public API of the pure planning solver (no I/O; imports nothing from worker/).
import { parseInstance } from './instance-schema'
import type { Budget } from './budget'
import { solve } from './solve'
import type { PlanResult } from './types'

export { InstanceError, parseInstance, PlanInstanceSchema } from './instance-schema'
export { solve } from './solve'
export { DEFAULT_WORK_LIMIT, PlanTimeLimitError, workSpent, type Budget } from './budget'
export { isCompatible, preferenceRank } from './compat'
export { antigenSet, antigensServe, coversAntigens, profileKey } from './antigens'
export { MAX_TRANSIT_HOURS, THAW_HOURS, THAWED_LIFE_HOURS } from './domain'
export { DEFAULT_MIN_REMAINING_HOURS, greatCircleKm, travelMatrix } from './timing'
export type * from './types'

/** Validate then solve; throws InstanceError on bad input. */
export function planFromJson(input: unknown, budget?: Budget): PlanResult {
  return solve(parseInstance(input), budget)
}
