import { dateTime, group, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { AidRequest, Site } from '../../lib/types'
import { useAppState } from '../../state'
import { StatusBadge, UrgencyBadge } from '../level-badge/level-badge'

const RANK: Record<string, number> = { emergency: 0, urgent: 1, routine: 2 }

/** Requests, most urgent first; a cancel button where the user may cancel. */
export function RequestList({ requests, sites, canCancel, onCancel }: {
  requests: AidRequest[]
  sites: Site[]
  canCancel: (r: AidRequest) => boolean
  onCancel: (r: AidRequest) => void
}) {
  const t = useT()
  const { lang } = useAppState()
  const byId = new Map(sites.map((s) => [s.id, s]))
  if (requests.length === 0) return <p class="empty">{t('req.none')}</p>
  const sorted = [...requests].sort((a, b) => (RANK[a.urgency] ?? 9) - (RANK[b.urgency] ?? 9) || (a.neededBy ?? '~').localeCompare(b.neededBy ?? '~'))
  return (
    <table class="request-list">
      <thead>
        <tr>
          <th>{t('req.urgency')}</th>
          <th>{t('req.site')}</th>
          <th>{t('req.component')}</th>
          <th>{t('req.group')}</th>
          <th class="num">{t('req.qty')}</th>
          <th>{t('req.neededBy')}</th>
          <th>{t('req.reason')}</th>
          <th>{t('req.status')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.id} data-request={r.id}>
            <td><UrgencyBadge urgency={r.urgency} /></td>
            <td>{siteName(byId.get(r.siteId), lang, r.siteId)}</td>
            <td>{t(`component.${r.component}`)}</td>
            <td>{group(r.abo, r.rhd)}</td>
            <td class="num">{r.qty} {t(`unit.${r.component}`)}</td>
            <td>{dateTime(r.neededBy, lang)}</td>
            <td>{r.reason}</td>
            <td><StatusBadge status={r.status} /></td>
            <td>{canCancel(r) && <button type="button" onClick={() => onCancel(r)}>{t('req.cancel')}</button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
