import { useState } from 'preact/hooks'
import { URGENCY_RANK } from '../../../../solver/domain'
import { dateTime, group, requestReason, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { AidRequest, Site } from '../../lib/types'
import { useAppState } from '../../state'
import { Confirm } from '../confirm/confirm'
import { UrgencyBadge } from '../level-badge/level-badge'

const RANK: Record<string, number> = URGENCY_RANK

/** What a station can count on: open, partly covered (units on the way), covered, received, cancelled. */
function Coverage({ r }: { r: AidRequest }) {
  const t = useT()
  return (
    <span class={`badge coverage coverage-${r.coverage}`} data-coverage={r.coverage}>
      {t(`coverage.${r.coverage}`, { onTheWay: r.onTheWayQty, received: r.fulfilledQty, qty: r.qty })}
    </span>
  )
}

/** Requests, most urgent first; a cancel button (which asks first) where the user may cancel. */
export function RequestList({
  requests,
  sites,
  canCancel,
  onCancel,
}: {
  requests: AidRequest[]
  sites: Site[]
  canCancel: (r: AidRequest) => boolean
  onCancel: (r: AidRequest) => void
}) {
  const t = useT()
  const { lang } = useAppState()
  const byId = new Map(sites.map((s) => [s.id, s]))
  const [asking, setAsking] = useState<string | null>(null)
  if (requests.length === 0) return <p class="empty">{t('req.none')}</p>
  const sorted = [...requests].sort((a, b) => (RANK[a.urgency] ?? 9) - (RANK[b.urgency] ?? 9) || (a.neededBy ?? '~').localeCompare(b.neededBy ?? '~'))
  return (
    <table class="request-list cards">
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
          <tr key={r.id} data-request={r.id} data-coverage={r.coverage}>
            <td data-label={t('req.urgency')}>
              <UrgencyBadge urgency={r.urgency} />
            </td>
            <td data-label={t('req.site')}>{siteName(byId.get(r.siteId), lang, r.siteId)}</td>
            <td data-label={t('req.component')}>{t(`component.${r.component}`)}</td>
            <td data-label={t('req.group')}>
              {group(r.abo, r.rhd)}
              {r.antigens ? <span class="badge antigens"> {r.antigens}</span> : null}
            </td>
            <td class="num" data-label={t('req.qty')}>
              {r.qty} {t(`unit.${r.component}`)}
            </td>
            <td data-label={t('req.neededBy')}>{dateTime(r.neededBy, lang)}</td>
            <td data-label={t('req.reason')}>{requestReason(r.reason, lang)}</td>
            <td data-label={t('req.status')}>
              <Coverage r={r} />
              {r.inReviewQty > 0 && <span class="meta"> {t('coverage.inReview', { n: r.inReviewQty })}</span>}
            </td>
            <td class="actions" data-label={t('plan.actions')}>
              {canCancel(r) &&
                (asking === r.id ? (
                  <Confirm
                    message={t('req.confirmCancel', { qty: r.qty, site: siteName(byId.get(r.siteId), lang, r.siteId), reason: requestReason(r.reason, lang) })}
                    yes={t('req.cancel')}
                    onYes={() => {
                      setAsking(null)
                      onCancel(r)
                    }}
                    onNo={() => setAsking(null)}
                  />
                ) : (
                  <button type="button" class="cancel-request" onClick={() => setAsking(r.id)}>
                    {t('req.cancel')}
                  </button>
                ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
