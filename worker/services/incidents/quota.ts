/** The quota split lives in the planner (solver/quota.ts): the worker only passes it the live instance. */
export { splitQuotas, withQuotas, type QuotaPlan } from '../../../solver/quota'
