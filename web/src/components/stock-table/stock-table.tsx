import { days, group, num } from '../../lib/format'
import { useT } from '../../lib/i18n'
import { ABOS, COMPONENTS, type Level, type StockRow } from '../../lib/types'
import { useAppState } from '../../state'
import { LevelBadge } from '../level-badge/level-badge'

const order = (r: StockRow) => COMPONENTS.indexOf(r.component) * 10 + ABOS.indexOf(r.abo) * 2 + (r.rhd === '+' ? 0 : 1)

/** One table per component; a row per ABO/RhD group with its figures and level. Frozen red cells in a column of their own. */
export function StockTable({ rows, componentLevels = {} }: { rows: StockRow[]; componentLevels?: Record<string, Level> }) {
  const t = useT()
  const { lang } = useAppState()
  if (rows.length === 0) return <p>{t('stock.empty')}</p>
  const sorted = [...rows].sort((a, b) => order(a) - order(b))
  return (
    <div class="stock-tables">
      {COMPONENTS.filter((c) => sorted.some((r) => r.component === c)).map((c) => {
        // frozen red cells (10 years at ≤ −65 °C) are not on hand for today's issues: shown apart, when there are any
        const frozen = sorted.some((r) => r.component === c && r.frozenOnHand > 0)
        return (
          <table key={c} class="stock-table cards" data-component={c}>
            <caption>
              {t(`component.${c}`)} ({t('stock.unit')}: {t(`unit.${c}`)}) {componentLevels[c] && <LevelBadge level={componentLevels[c]} />}
            </caption>
            <thead>
              <tr>
                <th>{t('stock.group')}</th>
                <th class="num">{t('stock.onHand')}</th>
                {frozen && (
                  <th class="num" title={t('stock.frozenHint')}>
                    {t('stock.frozen')}
                  </th>
                )}
                <th class="num">{t('stock.inTransit')}</th>
                <th class="num">{t('stock.expiring')}</th>
                <th class="num">{t('stock.avgIssue')}</th>
                <th class="num">{t('stock.days')}</th>
                <th>{t('stock.level')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted
                .filter((r) => r.component === c)
                .map((r) => (
                  <tr key={`${r.abo}${r.rhd}`} data-group={group(r.abo, r.rhd)} data-level={r.level}>
                    <td data-label={t('stock.group')}>{group(r.abo, r.rhd)}</td>
                    <td class="num" data-label={t('stock.onHand')}>
                      {num(r.onHand, lang)}
                    </td>
                    {frozen && (
                      <td class="num frozen" data-label={t('stock.frozen')} data-frozen={r.frozenOnHand} title={t('stock.frozenHint')}>
                        {num(r.frozenOnHand, lang)}
                      </td>
                    )}
                    <td class="num" data-label={t('stock.inTransit')}>
                      {num(r.inTransit, lang)}
                    </td>
                    <td class="num" data-label={t('stock.expiring')}>
                      {num(r.expiring72h, lang)}
                    </td>
                    <td class="num" data-label={t('stock.avgIssue')}>
                      {num(r.avgDailyIssue, lang, 1)}
                    </td>
                    <td class="num" data-label={t('stock.days')}>
                      {days(r.daysOfSupply, lang)}
                    </td>
                    <td data-label={t('stock.level')}>
                      <LevelBadge level={r.level} />
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        )
      })}
    </div>
  )
}
