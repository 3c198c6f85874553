import { dateTime, group, hours, num } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Lot } from '../../lib/hospital-types'
import { useAppState } from '../../state'

/**
 * A hospital's units lot by lot, soonest expiry first (what its blood bank uses first): component and group,
 * the quantity with its unit, and when it expires (with the hours left when under three days).
 */
export function HospitalLots({ lots }: { lots: Lot[] }) {
  const t = useT()
  const { lang } = useAppState()
  if (lots.length === 0) return <p class="empty">{t('hosp.noLots')}</p>
  const sorted = [...lots].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
  return (
    <table class="hospital-lots cards">
      <thead>
        <tr>
          <th>{t('hosp.lot.component')}</th>
          <th>{t('stock.group')}</th>
          <th class="num">{t('hosp.lot.qty')}</th>
          <th>{t('hosp.lot.expires')}</th>
          <th>{t('hosp.lot.id')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((l) => (
          <tr key={l.id} data-lot={l.id} data-component={l.component} data-group={group(l.abo, l.rhd)} class={l.hoursToExpiry < 72 ? 'expiring' : ''}>
            <td data-label={t('hosp.lot.component')}>{t(`component.${l.component}`)}</td>
            <td data-label={t('stock.group')}>{group(l.abo, l.rhd)}</td>
            <td class="num" data-label={t('hosp.lot.qty')} data-qty={l.qty}>
              {num(l.qty, lang)} {t(`unit.${l.component}`)}
            </td>
            <td class="expires" data-label={t('hosp.lot.expires')}>
              {dateTime(l.expiresAt, lang)}
              {l.hoursToExpiry < 72 && <span class="badge expiring"> {t('hosp.lot.left', { h: hours(l.hoursToExpiry, lang) })}</span>}
            </td>
            <td data-label={t('hosp.lot.id')} class="meta">
              {l.id}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
