import '../province-aid.css'
import { useLocation } from 'preact-iso'
import { AidCard, useProvinceName, type ProvinceAid } from '../components/province-aid/aid-card'
import { AskForm, type AskPrefill } from '../components/province-aid/ask-form'
import { ErrorMessage } from '../components/error-message/error-message'
import { useT } from '../lib/i18n'
import { isCoordinator } from '../lib/roles'
import type { Site } from '../lib/types'
import { useApi } from '../lib/use-api'
import { useAppState } from '../state'

const NO_SITES: Site[] = []

/**
 * Aid across the border (跨省支援, `/province-aid`): requests another province sent us (we plan, offer, counter or
 * decline, then commit once accepted) and those we sent (we accept or decline an offer), with their shipments; and the
 * form to ask (prefilled from a plan's unmet need). Directors follow the dispatch and receipt in their transfer lists.
 */
export function ProvinceAidPage() {
  const t = useT()
  const { me } = useAppState()
  const { query } = useLocation()
  const province = useProvinceName()
  const listQ = useApi<{ province: string; peers: string[]; aids: ProvinceAid[] }>('/api/province-aid')
  const own = listQ.data?.province ?? null
  const sitesQ = useApi<{ sites: Site[] }>(own ? `/api/sites?province=${encodeURIComponent(own)}` : null)
  const sites = (sitesQ.data?.sites ?? NO_SITES).filter((s) => s.kind === 'center' || s.kind === 'station')
  const byId = new Map(sites.map((s) => [s.id, s]))
  const aids = listQ.data?.aids ?? []
  const incoming = aids.filter((a) => a.side === 'giver')
  const outgoing = aids.filter((a) => a.side === 'asker')
  const canAct = isCoordinator(me)
  const notLinked = listQ.error?.code === 'not_province_mode'
  return (
    <section class="province-aid-page">
      <h2>{t('paid.title')}</h2>
      {own && <p class="meta">{t('paid.here', { province: province(own) })}</p>}
      {notLinked ? <p class="meta not-linked">{t('paid.notProvinceMode')}</p> : <ErrorMessage error={listQ.error ?? sitesQ.error} />}
      {listQ.data && (
        <>
          <h3>{t('paid.incoming')}</h3>
          {incoming.length === 0 ? (
            <p class="empty">{t('paid.none')}</p>
          ) : (
            incoming.map((a) => <AidCard key={a.id} aid={a} canAct={canAct} sites={byId} onChange={listQ.reload} />)
          )}
          <h3>{t('paid.outgoing')}</h3>
          {outgoing.length === 0 ? (
            <p class="empty">{t('paid.none')}</p>
          ) : (
            outgoing.map((a) => <AidCard key={a.id} aid={a} canAct={canAct} sites={byId} onChange={listQ.reload} />)
          )}
          {canAct && listQ.data.peers.length > 0 && sitesQ.data && (
            <AskForm peers={listQ.data.peers} sites={sites} prefill={query as AskPrefill} onSent={listQ.reload} />
          )}
        </>
      )}
    </section>
  )
}
