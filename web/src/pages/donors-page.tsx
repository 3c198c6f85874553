import '../donors.css'
import { CallupLinkPanel } from '../components/donor-pool/callup-link-panel'
import { CallupTable } from '../components/donor-pool/callup-table'
import { DeferralPanel } from '../components/donor-pool/deferral-panel'
import { DonorSearch } from '../components/donor-pool/donor-search'
import { PoolPanel } from '../components/donor-pool/pool-panel'
import { StationRegister } from '../components/donor-pool/station-register'
import { ErrorMessage } from '../components/error-message/error-message'
import type { Callup } from '../lib/donor-types'
import { useT } from '../lib/i18n'
import type { Site } from '../lib/types'
import { useApi } from '../lib/use-api'
import { useAppState } from '../state'

const NO_SITES: Site[] = []

/**
 * The rare-donor pool (稀有血型献血者库): its size by antigen, a search across the region nearest first (from an unmet
 * need, a call-up), the call-ups of the station or the region, and the joint deferral list. Planners see counts only.
 */
export function DonorsPage() {
  const t = useT()
  const { me } = useAppState()
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const planner = me?.role === 'planner'
  const callupsQ = useApi<{ callups: Callup[] }>(planner ? null : '/api/callups')
  const sites = new Map((sitesQ.data?.sites ?? NO_SITES).map((s) => [s.id, s]))
  return (
    <section class="donors-page">
      <h2>{t('donors.title')}</h2>
      <PoolPanel screening />
      <DonorSearch sites={sites} onCalled={callupsQ.reload} />
      {!planner && (
        <>
          <h3>{t(me?.role === 'director' ? 'donors.callups.mine' : 'donors.callups.title')}</h3>
          <ErrorMessage error={callupsQ.error} />
          <CallupTable callups={callupsQ.data?.callups ?? []} sites={sites} onDone={callupsQ.reload} />
          <CallupLinkPanel onIssued={callupsQ.reload} />
          <DeferralPanel sites={sites} />
          <StationRegister sites={sites} onChange={callupsQ.reload} />
        </>
      )}
      {planner && <p class="meta">{t('donors.countsOnly')}</p>}
    </section>
  )
}
