import { group, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { InstanceNeed, Site, Unmet } from '../../lib/types'
import { useAppState } from '../../state'
import { UrgencyBadge } from '../level-badge/level-badge'

/** Needs the plan leaves unmet, with the translated reason code (the solver's own message as a tooltip). */
export function UnmetList({ unmet, needs, sites }: { unmet: Unmet[]; needs: InstanceNeed[]; sites: Site[] }) {
  const t = useT()
  const { lang } = useAppState()
  const rows = unmet.filter((u) => u.qty > 0)
  if (rows.length === 0) return <p class="empty">{t('plan.noUnmet')}</p>
  const siteById = new Map(sites.map((s) => [s.id, s]))
  const needById = new Map(needs.map((n) => [n.id, n]))
  return (
    <table class="unmet-list cards">
      <thead>
        <tr>
          <th>{t('plan.need')}</th>
          <th>{t('req.site')}</th>
          <th>{t('req.component')}</th>
          <th>{t('req.group')}</th>
          <th class="num">{t('req.qty')}</th>
          <th>{t('plan.reasonCol')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((u) => {
          const n = needById.get(u.need)
          return (
            <tr key={u.need} data-need={u.need} data-reason={u.reason ?? ''}>
              <td data-label={t('plan.need')}>{u.need}{n?.urgency ? <> <UrgencyBadge urgency={n.urgency} /></> : null}</td>
              <td data-label={t('req.site')}>{n ? siteName(siteById.get(n.site), lang, n.site) : ''}</td>
              <td data-label={t('req.component')}>{n ? t(`component.${n.component}`) : ''}</td>
              <td data-label={t('req.group')}>{n ? group(n.abo, n.rhd) : ''}</td>
              <td class="num" data-label={t('req.qty')}>{u.qty}{n ? ` / ${n.qty}` : ''}</td>
              <td class="reason" data-label={t('plan.reasonCol')} title={u.message}>{u.reason ? t(`reason.${u.reason}`) : (u.message ?? '')}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
