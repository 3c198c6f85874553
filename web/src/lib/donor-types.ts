// The rare-donor pool's API types, inferred from the zod schemas (type-only: nothing of the worker is bundled).
type Schemas = typeof import('../../../worker/schemas/donor')
type Infer<T> = import('zod').infer<T>

export type Donor = Infer<Schemas['Donor']>
export type DonorSearchResult = Infer<Schemas['DonorSearchResult']>
export type Callup = Infer<Schemas['Callup']>
export type CallupStatus = Callup['status']
export type Deferral = Infer<Schemas['Deferral']>
export type PoolSummary = Infer<Schemas['PoolSummary']>
export type DonorSuggestion = Infer<Schemas['DonorSuggestion']>

export const DEFERRAL_REASONS = ['medical', 'lab_result', 'medication', 'travel', 'behaviour', 'adverse_reaction', 'other'] as const
/** The moves a call-up may make from each status (the API's trigger refuses any other). */
export const NEXT: Record<CallupStatus, CallupStatus[]> = {
  asked: ['scheduled', 'declined', 'deferred'],
  scheduled: ['donated', 'declined', 'deferred'],
  donated: ['released', 'deferred'],
  released: [], declined: [], deferred: [],
}
