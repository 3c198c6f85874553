import { api } from './api'
import type { PlanSummary } from './types'

/**
 * The review work a new plan would close: the plans under review with approved transfers (a new plan supersedes
 * open plans over the same requests, closing their transfers). Empty when nothing approved would be lost.
 */
export async function approvalsAtRisk(): Promise<PlanSummary[]> {
  const { plans } = await api<{ plans: PlanSummary[] }>('/api/plans?status=review&limit=50')
  return plans.filter((p) => p.approvedCount > 0)
}
