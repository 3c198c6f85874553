/** Shapes the UI reads from the API: inferred from worker/schemas below; the domain's lists from solver/domain.ts. */
import * as domain from '../../../solver/domain'
import type { Abo, Component, Level, Rhd, Urgency } from '../../../solver/domain'
export type { Abo, Component, Level, Rhd, Urgency } from '../../../solver/domain'

/** The domain's lists (solver/domain.ts); pickers show red cells first. */
export const COMPONENTS: Component[] = ['RBC', ...domain.COMPONENTS.filter((c) => c !== 'RBC')]
export const ABOS: Abo[] = [...domain.ABOS]
export const URGENCIES: Urgency[] = [...domain.URGENCIES]
export const LEVELS: Level[] = [...domain.LEVELS]

// The API's own types, inferred from the zod schemas that validate and document it (type-only imports: nothing of
// the worker is bundled), so the UI cannot drift from what the API answers.
type Schemas = {
  site: typeof import('../../../worker/schemas/site')
  stock: typeof import('../../../worker/schemas/stock')
  request: typeof import('../../../worker/schemas/request')
  transfer: typeof import('../../../worker/schemas/transfer')
  plan: typeof import('../../../worker/schemas/plan')
}
type Infer<T> = import('zod').infer<T>

export type Site = Infer<Schemas['site']['Site']>
/** The schema types the group as text (it serves CSV too); the UI narrows it. */
export type StockRow = Omit<Infer<Schemas['stock']['StockRow']>, 'component' | 'abo' | 'rhd'> & { component: Component; abo: Abo; rhd: Rhd }
export type AidRequest = Infer<Schemas['request']['AidRequest']>
export type TransferStatus = Infer<Schemas['transfer']['TransferStatus']>
export type Transfer = Infer<Schemas['transfer']['Transfer']>
export type TransferRequestLine = Transfer['requests'][number]
export type PlanSummary = Infer<Schemas['plan']['PlanSummary']>
export type Unmet = Infer<Schemas['plan']['PlanDetail']>['unmet'][number]

export type WarningRow = { siteId: string; component: Component; abo: Abo | '*'; rhd: Rhd | '*'; level: Level; daysOfSupply: number | null; since?: string }

/** A need of the stored plan instance (docs/plan-instance.md), as the solver reads it. */
export type InstanceNeed = import('../../../solver').Need
/** GET /api/plans/{id}: the schema leaves `instance` open; the UI reads its needs and antigen rounds. */
export type Plan = Omit<Infer<Schemas['plan']['PlanDetail']>, 'instance'> & {
  instance?: { needs?: InstanceNeed[]; reserves?: { site: string; component: string; abo: string; rhd: string; qty: number }[]; antigenRounds?: { antigens: string; instance: { needs?: InstanceNeed[] } }[] }
}

export const SCENARIOS = ['spring-festival', 'summer', 'epidemic', 'year', 'custom'] as const
export type Scenario = (typeof SCENARIOS)[number]
export type SimPolicy = { name: string; dispatch: 'none' | 'planner'; reserveDays: number; triggerDays: number; mode?: 'routine' | 'disaster'; planEveryDays?: number }
export type SimulationBody = { scenario: Scenario; days: number | undefined; seed?: number; policies: SimPolicy[] }
type ByComponent = Record<string, number>
export type SimPolicyResult = {
  policy: SimPolicy
  demandUnits: number
  shortageUnits: number
  shortageByComponent: ByComponent
  fillRate: number
  redDays: number
  redSiteDays: ByComponent
  transferredUnits: number
  transferCount: number
  wastageUnits: number
  wastageByComponent: ByComponent
  series: { day: number; date: string; shortageUnits: number; demandUnits: number; transferredUnits: number; stationsRed: number }[]
}
/** POST /api/simulations (worker/schemas/simulation.ts), the parts the page shows. */
export type SimulationResult = {
  scenario: Scenario
  start: string
  days: number
  seed: number
  sites: number
  components: Component[]
  assumptions: string[]
  policies: SimPolicyResult[]
  elapsedMs: number
}

export type TokenInfo = { id: string; label: string; createdAt: string; expiresAt: string; revokedAt: string | null; lastUsedAt: string | null; status: 'active' | 'expired' | 'revoked' }
export type User = { id: string; name: string; role: 'coordinator' | 'director' | 'planner' | 'admin'; siteId: string | null; disabled: boolean; createdAt: string; lastUsedAt: string | null; tokens: TokenInfo[] }
export type IssuedToken = TokenInfo & { token: string }
