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

/** The domain's lists (solver/domain.ts): deferral reasons, and the moves a call-up may make (the API's trigger refuses any other). */
export { DEFERRAL_REASONS, CALLUP_NEXT as NEXT } from '../../../solver/domain'

// Across the link (issue 24): another province's donors in a search, and call-ups asked through its coordinator.
type LinkSchemas = typeof import('../../../worker/schemas/donor-link')
export type PeerSearch = Infer<Schemas['PeerSearch']>
export type PeerDonor = Infer<Schemas['PeerDonor']>
export type CallupLink = Infer<LinkSchemas['CallupLink']>
