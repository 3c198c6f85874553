// Public API of the seasonal-shortfall simulation: pure, no I/O, deterministic for a seed.
export { simulate, SimulationError, MAX_DAYS, MAX_POLICIES, MAX_POLICY_DAYS, ASSUMPTIONS } from './simulate'
export { SCENARIOS, SPRING_FESTIVAL, STUDENT_CITIES, YEAR_SCENARIO_YEARS, YEAR_SHOCKS, dailyFactors, yearShocksOn, type ScenarioSpec } from './scenario'
export { ABO_SHARES, DEFAULT_THRESHOLDS, GROUP_SHARES, RHD_NEGATIVE_SHARE, SHELF_DAYS } from './region'
export { prng } from './random'
export type * from './types'
