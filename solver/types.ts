// Plain data types of the planning contract (docs/plan-instance.md).
// The zod schema in instance-schema.ts validates input into these shapes.

import type { Abo, Component, Rhd, Urgency } from './domain'
export { ABOS, COMPONENTS, RHDS, URGENCIES } from './domain'
export type { Abo, Component, Rhd, Urgency } from './domain'

export interface Site {
  id: string
  name: string
  lat: number
  lng: number
}
export interface Lot {
  id?: string
  site: string
  component: Component
  abo: Abo
  rhd: Rhd
  qty: number
  expiresAt: string
  /** rare antigen profile the units carry, e.g. 'Fy(a-),Jk(a-b-)'; such lots serve only needs asking for antigens they cover */
  antigens?: string
  /** frozen red cells (RBC only): thawed and deglycerolised before dispatch, then 24 h of life */
  frozen?: boolean
}
export interface Reserve {
  site: string
  component: Component
  abo: Abo
  rhd: Rhd
  qty: number
}
export interface Need {
  id: string
  site: string
  component: Component
  abo: Abo
  rhd: Rhd
  qty: number
  urgency: Urgency
  neededBy?: string
  allowRhPositive?: boolean
  /** rare antigen profile the patient needs, e.g. 'Fy(a-)': only lots carrying every antigen serve it */
  antigens?: string
}
export interface Options {
  minRemainingHours?: Partial<Record<Component, number>>
  mode?: 'routine' | 'disaster'
  /** longest road hours per component (defaults: solver/domain.ts MAX_TRANSIT_HOURS, WB and RBC 24) */
  maxTransitHours?: Partial<Record<Component, number>>
  /** hours to thaw and deglycerolise a frozen unit before dispatch (default 2) */
  thawHours?: number
  /** hours a thawed unit must still have on arrival (default 6; it lives 24 h after thawing) */
  thawedMinRemainingHours?: number
}
export interface Instance {
  now: string
  sites: Site[]
  travelHours?: Record<string, Record<string, number>>
  lots: Lot[]
  reserves?: Reserve[]
  needs: Need[]
  options?: Options
}

export interface AllocationLot {
  id: string
  qty: number
}
export interface Allocation {
  need: string
  fromSite: string
  abo: Abo
  rhd: Rhd
  qty: number
  lots: AllocationLot[]
  /** true when the donor group differs from the need's group */
  substitution: boolean
  /** 0 = identical group; higher = later in the clinical preference order */
  preferenceRank: number
  /** road hours from fromSite to the need's site (0 for local use) */
  travelHours: number
  /** the units are frozen red cells, thawed before dispatch */
  frozen?: true
}
export interface Transfer {
  from: string
  to: string
  component: Component
  abo: Abo
  rhd: Rhd
  qty: number
  /** hours from now to arrival: thawing (frozen units) plus road hours */
  etaHours: number
  /** ids of the needs this transfer serves */
  needs: string[]
  /** frozen red cells: thawed and deglycerolised before dispatch (grouped apart from liquid units) */
  frozen?: true
  /** hours of thawing included in etaHours (frozen transfers only) */
  thawHours?: number
}
export type UnmetReason =
  | 'no_compatible_stock'
  | 'route_too_long'
  | 'none_in_time'
  | 'insufficient_shelf_life'
  | 'held_by_reserves'
  | 'used_by_higher_priority'
  | 'insufficient_stock'
export interface Unmet {
  need: string
  qty: number
  reason?: UnmetReason
  message?: string
}
export interface UrgencyCounts {
  emergency: number
  urgent: number
  routine: number
}
export interface ResultSummary {
  demandUnits: UrgencyCounts
  unmetUnits: UrgencyCounts
  /** unmet units per reason code */
  unmetByReason: Partial<Record<UnmetReason, number>>
  allocatedUnits: number
  transferredUnits: number
  substitutedUnits: number
  /** fairness stage: largest share of a donor station's stock sent out, per component solved */
  fairness: { component: Component; maxShare: number; method: 'parametric-max-flow' | 'not-needed' }[]
  /** true when the unmet units are proven lexicographically optimal; false only in disaster mode
   *  when the contested reserve sub-problem was too large or slow for the exact stage and the
   *  lock search was used instead (see `notes` and solver/README.md) */
  exact: boolean
  /** why `exact` is false, per component */
  notes?: string[]
}
export interface PlanResult {
  status: 'optimal'
  allocations: Allocation[]
  transfers: Transfer[]
  unmet: Unmet[]
  /** preference-tier cost of the plan (after the lexicographic unmet totals); see solver/README.md */
  objective: number
  summary: ResultSummary
}
