import { ErrorMessage } from '../components/error-message/error-message'
import { RequestForm } from '../components/request-form/request-form'
import { RequestList } from '../components/request-list/request-list'
import { api, ApiCallError } from '../lib/api'
import { useT } from '../lib/i18n'
import type { AidRequest, Site } from '../lib/types'
import { useApi } from '../lib/use-api'
import { useAppState } from '../state'
import { useState } from 'preact/hooks'
import { canWriteSite } from '../lib/roles'

/** Requests still in play: not yet received in full, nor cancelled. */
const OPEN = new Set(['open', 'partly_covered', 'covered'])

export function RequestsPage() {
  const t = useT()
  const { me } = useAppState()
  const reqQ = useApi<{ requests: AidRequest[] }>('/api/requests')
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const [actionError, setActionError] = useState<ApiCallError | null>(null)
  const sites = sitesQ.data?.sites ?? []
  const open = (reqQ.data?.requests ?? []).filter((r) => OPEN.has(r.coverage))
  const mayWrite = (siteId: string) => canWriteSite(me, siteId)
  const cancel = async (r: AidRequest) => {
    setActionError(null)
    try {
      await api(`/api/requests/${encodeURIComponent(r.id)}/cancel`, { method: 'POST' })
      reqQ.reload()
    } catch (e) {
      setActionError(e as ApiCallError)
    }
  }
  return (
    <section class="requests-page">
      <h2>{t('req.title')}</h2>
      <ErrorMessage error={reqQ.error ?? sitesQ.error ?? actionError} />
      <h3>{t('req.open')}</h3>
      {reqQ.data !== null && (
        <RequestList
          requests={open}
          sites={sites}
          canCancel={(r) => (r.status === 'open' || r.status === 'planned') && r.onTheWayQty === 0 && mayWrite(r.siteId)}
          onCancel={cancel}
        />
      )}
      {me && (me.role === 'director' || me.role === 'coordinator' || me.role === 'admin') ? (
        <RequestForm me={me} sites={sites} onFiled={() => reqQ.reload()} />
      ) : (
        <p class="meta">{t('req.directorOnly')}</p>
      )}
    </section>
  )
}
