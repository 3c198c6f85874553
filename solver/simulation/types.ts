// Input and result types of the seasonal-shortfall simulation (docs/simulation.md).
import type { Abo, Component, Rhd } from '../types'

/** the scenarios (solver/domain.ts SCENARIOS) */
export type ScenarioName = import('../domain').Scenario

export interface SimSite {
  id: string
  name?: string
  lat: number
  lng: number
  province?: string
  /** city or prefecture; the summer scenario hits student-heavy cities harder */
  city?: string
}
export interface SimLot {
  site: string
  component: Component
  abo: Abo
  rhd: Rhd
  qty: number
  expiresAt: string
}
/** baseline average daily issue of one site × component × group (units per day) */
export interface SimIssueRate {
  site: string
  component: Component
  abo: Abo
  rhd: Rhd
  perDay: number
}
/** baseline daily collection of one site × component (units per day); split by blood-group shares */
export interface SimCollectionRate {
  site: string
  component: Component
  perDay: number
}

export interface Policy {
  name: string
  /** none: every station lives on its own stock; planner: solve() plans transfers every planning day */
  dispatch: 'none' | 'planner'
  /** reserve floor in days of supply (red-cell days; other components scaled, see scaleDays) */
  reserveDays: number
  /** a station asks for aid when its days of supply (stock + in transit) falls below this */
  triggerDays: number
  mode?: 'routine' | 'disaster'
  /** plan every N days (default 1) */
  planEveryDays?: number
}

export interface Thresholds {
  yellowDays: number
  orangeDays: number
  redDays: number
  /** the share of routine issues cut at each level, in % (warning_policy cut_*_pct; default 30/50/70) */
  cutYellowPct?: number
  cutOrangePct?: number
  cutRedPct?: number
}

export interface CustomScenario {
  /** collection factor inside the window (default 1) */
  collectionFactor?: number
  /** demand factor inside the window (default 1) */
  demandFactor?: number
  /** first simulated day of the window (0-based, default 0) */
  fromDay?: number
  /** last simulated day of the window, inclusive (default: the last day) */
  toDay?: number
}

export interface SimulationInput {
  /** ISO date-time of the first simulated day (lots expiring before it are dropped) */
  start: string
  sites: SimSite[]
  lots: SimLot[]
  issue: SimIssueRate[]
  /** default: each site × component collects what it issues at baseline */
  collection?: SimCollectionRate[]
  scenario: ScenarioName
  custom?: CustomScenario
  days: number
  seed: number
  policies: Policy[]
  /** components to simulate (default: every component with baseline issue) */
  components?: Component[]
  /** warning thresholds per component (default: the domain's RBC/WB 7/5/3, PLT 3/2/1, FFP/CRYO 14/10/7) */
  thresholds?: Partial<Record<Component, Thresholds>>
  /** per province overrides of `thresholds` (warning_policy rows) */
  thresholdsByProvince?: Record<string, Partial<Record<Component, Thresholds>>>
  /**
   * The share of hospital demand that is routine (elective surgery, planned transfusions) and so falls under a
   * warning level's cut on routine issues (default 0.3; an assumption, see docs/simulation.md). 0 turns the cut off.
   */
  routineShare?: number
}

export type ByComponent = Partial<Record<Component, number>>

export interface DayPoint {
  day: number
  date: string
  collectionFactor: number
  demandFactor: number
  demandUnits: number
  shortageUnits: number
  collectedUnits: number
  transferredUnits: number
  /** region-wide red-cell stock on hand ÷ baseline red-cell daily issue, end of day */
  rbcDaysOfSupply: number | null
  /** stations whose red-cell days of supply is below their red threshold, end of day */
  stationsRed: number
}

export interface Balance {
  component: Component
  start: number
  collected: number
  issued: number
  expired: number
  end: number
  inTransit: number
}

export interface PolicyResult {
  policy: Policy
  demandUnits: number
  shortageUnits: number
  shortageByComponent: ByComponent
  /** routine demand postponed by the warning levels' cuts: demandUnits = issued + shortageUnits + deferredUnits */
  deferredUnits: number
  deferredByComponent: ByComponent
  shortageBySite: { site: string; units: number; byComponent: ByComponent }[]
  fillRate: number
  /** days on which at least one station's red cells were below its red threshold */
  redDays: number
  /** station-days below the red threshold, per component */
  redSiteDays: ByComponent
  transferredUnits: number
  transferCount: number
  unitHours: number
  wastageUnits: number
  wastageByComponent: ByComponent
  /** per component: start + collected = issued + expired + end + inTransit */
  balance: Balance[]
  series: DayPoint[]
  plans: number
  solveMs: number
}

export interface SimulationResult {
  scenario: ScenarioName
  start: string
  days: number
  seed: number
  sites: number
  components: Component[]
  /** notes on what was simplified, for the reader of the result */
  assumptions: string[]
  policies: PolicyResult[]
}
