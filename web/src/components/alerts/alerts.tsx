import { useAlerts } from '../../lib/events'
import { siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Site } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'

/** New emergency requests (for coordinators) and my station's transfer changes (for directors), as they arrive. */
export function Alerts() {
  const t = useT()
  const { lang } = useAppState()
  const [alerts, dismiss] = useAlerts()
  const sitesQ = useApi<{ sites: Site[] }>(alerts.length ? '/api/sites' : null)
  const byId = new Map((sitesQ.data?.sites ?? []).map((s) => [s.id, s]))
  if (alerts.length === 0) return null
  return (
    <div class="alerts" aria-live="assertive">
      {alerts.map((a) => {
        const emergency = a.action === 'request.create'
        const site = siteName(byId.get(a.sites[0]), lang, a.sites[0])
        return (
          <div key={a.id} class={`alert ${emergency ? 'alert-emergency' : 'alert-transfer'}`} role="alert" data-event={a.action} data-entity={a.entityId}>
            <span>{emergency ? t('alert.emergency', { site }) : t(`alert.${a.action}`, { id: a.entityId })}</span>
            <a href={emergency ? '/requests' : '/station'} onClick={() => dismiss(a.id)}>{t('alert.open')}</a>
            <button type="button" class="alert-close" aria-label={t('alert.dismiss')} onClick={() => dismiss(a.id)}>×</button>
          </div>
        )
      })}
    </div>
  )
}
