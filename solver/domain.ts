// The domain's lists, written once. The solver is pure, so the API (worker/), the demo seed and the UI
// (web/, through Vite) import them from here instead of writing them out again.

/** Blood components, in the catalogue's order: whole blood, red cells, platelets, plasma, cryoprecipitate. */
export const COMPONENTS = ['WB', 'RBC', 'PLT', 'FFP', 'CRYO'] as const
export type Component = (typeof COMPONENTS)[number]

/** ABO groups, O first (the universal red-cell donor). */
export const ABOS = ['O', 'A', 'B', 'AB'] as const
export type Abo = (typeof ABOS)[number]

/** RhD: + positive, - negative. */
export const RHDS = ['+', '-'] as const
export type Rhd = (typeof RHDS)[number]

/** Urgencies, most urgent first; URGENCY_RANK[u] is u's place in that order (0 = emergency). */
export const URGENCIES = ['emergency', 'urgent', 'routine'] as const
export type Urgency = (typeof URGENCIES)[number]
export const URGENCY_RANK = Object.fromEntries(URGENCIES.map((u, i) => [u, i])) as Record<Urgency, number>

/** Stock warning levels (库存预警), least severe first; LEVEL_RANK[l] is l's severity (0 = normal). */
export const LEVELS = ['normal', 'yellow', 'orange', 'red'] as const
export type Level = (typeof LEVELS)[number]
export const LEVEL_RANK = Object.fromEntries(LEVELS.map((l, i) => [l, i])) as Record<Level, number>

/** Longest road time a unit of the component may spend in its transport box, in hours; a route
 *  over it is never planned. Whole blood and red cells travel at 2–10 °C for at most 24 h
 *  (docs/domain-facts.md, "Units": blood-transport practice, WS/T 400). Platelets (20–24 °C) and
 *  plasma and cryoprecipitate (frozen) have no limit in the domain facts: none here. */
export const MAX_TRANSIT_HOURS: Partial<Record<Component, number>> = { WB: 24, RBC: 24 }

/** Frozen red cells (冰冻红细胞, GB 18469-2012: 10 years at ≤ −65 °C; once thawed and
 *  deglycerolised, 24 h at 2–6 °C). Before dispatch a frozen unit is thawed in a 37 °C bath and
 *  washed free of glycerol: about 1.5–2 h per batch on a closed deglycerolising system (docs/domain-facts.md);
 *  the planner counts the cautious 2 h. */
export const THAW_HOURS = 2
/** life of a thawed, deglycerolised red-cell unit at 2–6 °C (GB 18469-2012) */
export const THAWED_LIFE_HOURS = 24
/** hours a thawed unit must still have when it arrives (crossmatch and transfusion): a planning
 *  choice, not a standard — the 72 h of liquid red cells cannot apply to a unit that lives 24 h */
export const THAWED_MIN_REMAINING_HOURS = 6

/** Shelf life of a liquid unit from collection, in days (docs/domain-facts.md, "Units"). */
export const SHELF_DAYS: Readonly<Record<Component, number>> = { WB: 35, RBC: 35, PLT: 5, FFP: 365, CRYO: 365 }

/** Who signs in: the API's roles (worker/schemas/user.ts) and the UI's pickers read this list. */
export const ROLES = ['coordinator', 'director', 'planner', 'admin', 'hospital', 'feed'] as const
/** Roles that act for one site (user.site_id): a director's station, a hospital's blood bank, a machine feed's site. */
export const SITE_ROLES = ['director', 'hospital', 'feed'] as const satisfies readonly Role[]
export type Role = (typeof ROLES)[number]

/** The seasonal-shortfall simulation's scenarios (docs/simulation.md). */
export const SCENARIOS = ['spring-festival', 'summer', 'epidemic', 'year', 'custom'] as const
export type Scenario = (typeof SCENARIOS)[number]

/** Why a donor is on the joint deferral list (a category; the station keeps the details). */
export const DEFERRAL_REASONS = ['medical', 'lab_result', 'medication', 'travel', 'behaviour', 'adverse_reaction', 'other'] as const
export type DeferralReason = (typeof DEFERRAL_REASONS)[number]

/** A transfer's statuses and the moves the transfer_status_guard trigger allows (migrations/0002). */
export const TRANSFER_STATUSES = ['proposed', 'approved', 'rejected', 'committed', 'dispatched', 'received', 'cancelled'] as const
export type TransferStatus = (typeof TRANSFER_STATUSES)[number]
export const TRANSFER_NEXT: Readonly<Record<TransferStatus, readonly TransferStatus[]>> = {
  proposed: ['approved', 'rejected'],
  approved: ['proposed', 'rejected', 'committed'],
  committed: ['dispatched', 'cancelled'],
  dispatched: ['received'],
  rejected: [],
  received: [],
  cancelled: [],
}

/** A donor call-up's statuses and the moves its trigger allows. */
export const CALLUP_STATUSES = ['asked', 'scheduled', 'donated', 'released', 'declined', 'deferred'] as const
export type CallupStatus = (typeof CALLUP_STATUSES)[number]
export const CALLUP_NEXT: Readonly<Record<CallupStatus, readonly CallupStatus[]>> = {
  asked: ['scheduled', 'declined', 'deferred'],
  scheduled: ['donated', 'declined', 'deferred'],
  donated: ['released', 'deferred'],
  released: [],
  declined: [],
  deferred: [],
}

/** A transfer as the dispatch sheet orders it: the requests it serves, and its route. */
type SheetRow = { id: string; fromSite: string; toSite: string; requests: { urgency: Urgency; neededBy?: string | null }[] }

/** The dispatch sheet's order, on paper and in its CSV: the most urgent request served first, then the earliest
 *  deadline, then the route. */
export function bySheetOrder(a: SheetRow, b: SheetRow): number {
  const rank = (t: SheetRow) => Math.min(URGENCIES.length, ...t.requests.map((r) => URGENCY_RANK[r.urgency]))
  const due = (t: SheetRow) =>
    t.requests
      .map((r) => r.neededBy)
      .filter((x): x is string => !!x)
      .sort()[0] ?? '9999'
  return (
    rank(a) - rank(b) || due(a).localeCompare(due(b)) || a.fromSite.localeCompare(b.fromSite) || a.toSite.localeCompare(b.toSite) || a.id.localeCompare(b.id)
  )
}
