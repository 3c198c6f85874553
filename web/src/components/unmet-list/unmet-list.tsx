import { URGENCY_RANK } from '../../../../solver/domain'
import { dateTime, group, num, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { InstanceNeed, Site, Unmet } from '../../lib/types'
import { useAppState } from '../../state'
import { UrgencyBadge } from '../level-badge/level-badge'

const RANK: Record<string, number> = URGENCY_RANK

/**
 * Needs the plan leaves unmet, most urgent first and then the soonest deadline (as the review groups are), each named
 * by its urgency and deadline rather than its id, with the translated reason code (the solver's own message as a tooltip).
 */
export function UnmetList({ unmet, needs, sites }: { unmet: Unmet[]; needs: InstanceNeed[]; sites: Site[] }) {
  const t = useT()
  const { lang } = useAppState()
  const siteById = new Map(sites.map((s) => [s.id, s]))
  const needById = new Map(needs.map((n) => [n.id, n]))
  const rank = (u: Unmet) => RANK[needById.get(u.need)?.urgency ?? 'routine'] ?? 2
  const deadline = (u: Unmet) => needById.get(u.need)?.neededBy ?? '~'
  const rows = unmet.filter((u) => u.qty > 0).sort((a, b) => rank(a) - rank(b) || deadline(a).localeCompare(deadline(b)) || a.need.localeCompare(b.need))
  if (rows.length === 0) return <p class="empty">{t('plan.noUnmet')}</p>
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
          {rows.some((u) => u.donors) && <th>{t('donors.unmet.col')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((u) => {
          const n = needById.get(u.need)
          return (
            <tr key={u.need} data-need={u.need} data-reason={u.reason ?? ''}>
              <td data-label={t('plan.need')}>
                {n?.urgency ? <UrgencyBadge urgency={n.urgency} /> : null}
                {n?.neededBy ? <span class="meta"> {t('review.deadline', { at: dateTime(n.neededBy, lang) })}</span> : null}
              </td>
              <td data-label={t('req.site')}>{n ? siteName(siteById.get(n.site), lang, n.site) : ''}</td>
              <td data-label={t('req.component')}>{n ? t(`component.${n.component}`) : ''}</td>
              <td data-label={t('req.group')}>{n ? group(n.abo, n.rhd) : ''}</td>
              <td class="num" data-label={t('req.qty')}>
                {u.qty}
                {n ? ` / ${n.qty}` : ''}
              </td>
              <td class="reason" data-label={t('plan.reasonCol')} title={u.message}>
                {u.reason ? t(`reason.${u.reason}`) : (u.message ?? '')}
              </td>
              {rows.some((x) => x.donors) && (
                <td class="unmet-donors" data-label={t('donors.unmet.col')}>
                  {u.donors && (
                    <>
                      {/* none callable here: the search still asks the linked province (issue 24) */}
                      {u.donors.length === 0 && <p class="meta">{t('donors.unmet.noneHere')}</p>}
                      <ul hidden={u.donors.length === 0}>
                        {u.donors.slice(0, 3).map((d) => (
                          <li key={d.siteId} data-donor-site={d.siteId} data-meets={String(d.meetsDeadline)}>
                            {t('donors.unmet.site', {
                              site: siteName(siteById.get(d.siteId), lang, d.siteId),
                              n: d.donors,
                              e: d.eligibleNow,
                              h: num(d.roadHours, lang, 1),
                              ready: dateTime(d.readyAt, lang),
                              arrives: dateTime(d.arrivesAt, lang),
                            })}{' '}
                            · {d.meetsDeadline ? t('donors.meets') : t('donors.late')}
                          </li>
                        ))}
                      </ul>
                      <a class="find-donors" href={`/donors?request=${encodeURIComponent(u.need)}`}>
                        {t('donors.unmet.find')}
                      </a>
                    </>
                  )}
                </td>
              )}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
