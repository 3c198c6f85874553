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
  warning: typeof import('../../../worker/schemas/warning')
  simulation: typeof import('../../../worker/schemas/simulation')
  user: typeof import('../../../worker/schemas/user')
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

export type WarningRow = Omit<Infer<Schemas['warning']['WarningState']>, 'component' | 'abo' | 'rhd'> & { component: Component; abo: Abo | '*'; rhd: Rhd | '*' }

/** A need of the stored plan instance (docs/plan-instance.md), as the solver reads it. */
export type InstanceNeed = import('../../../solver').Need
/** GET /api/plans/{id}, with the instance it solved (worker/schemas/plan.ts StoredInstance). */
export type Plan = Infer<Schemas['plan']['PlanDetail']>

export { SCENARIOS, type Scenario } from '../../../solver/domain'
export type SimPolicy = Infer<Schemas['simulation']['SimPolicy']>
/** The simulation form's state: the API's body, with days still empty while the planner types. */
export type SimulationBody = Omit<Infer<Schemas['simulation']['SimulationCreate']>, 'days'> & { days: number | undefined }
export type SimPolicyResult = Infer<Schemas['simulation']['SimulationPolicyResult']>
export type SimulationResult = Infer<Schemas['simulation']['SimulationResult']>

export type TokenInfo = Infer<Schemas['user']['TokenInfo']>
export type User = Infer<Schemas['user']['User']>
export type IssuedToken = Infer<Schemas['user']['IssuedToken']>
