import type { ComponentModel } from './model'
import type { PlanSummary } from './types'
export function balanceBurden(m: ComponentModel): PlanSummary['fairness'][number] {
  return { component: m.component, maxShare: 0, method: 'not-needed' }
}
