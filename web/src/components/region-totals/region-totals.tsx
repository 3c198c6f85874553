import { days, num } from '../../lib/format'
import { useT } from '../../lib/i18n'
import { ABOS, COMPONENTS, type Component } from '../../lib/types'
import { useAppState } from '../../state'

/** GET /api/stock/summary, the parts the strip shows (worker/schemas/stock.ts StockSummary). */
export type Totals = { onHand: number; inTransit: number; daysOfSupply: number | null; frozenOnHand?: number }
export type StockSummary = {
  at: string
  components: (Totals & { component: Component })[]
  groups: (Totals & { component: Component; abo: string; rhd: string })[]
}

/**
 * The strip above the map: region totals and days of supply per component (a click picks the map's
 * component), and the RhD-negative units of the chosen component by ABO group.
 */
export function RegionTotals({ summary, component, onPick }: { summary: StockSummary; component: Component; onPick: (c: Component) => void }) {
  const t = useT()
  const { lang } = useAppState()
  const byComponent = new Map(summary.components.map((c) => [c.component, c]))
  const neg = (abo: string) => summary.groups.find((g) => g.component === component && g.abo === abo && g.rhd === '-')?.onHand ?? 0
  return (
    <section class="region-totals" aria-label={t('totals.title')}>
      <div class="totals-components">
        {COMPONENTS.map((c) => {
          const tot = byComponent.get(c)
          return (
            <button type="button" key={c} class="total" data-component={c} aria-pressed={c === component} onClick={() => onPick(c)}>
              <span class="total-name">{t(`component.${c}`)}</span>
              <span class="total-value" data-on-hand={tot?.onHand ?? 0}>
                {num(tot?.onHand ?? 0, lang)} {t(`unit.${c}`)}
              </span>
              <span class="total-days" data-days={tot?.daysOfSupply ?? ''}>
                {t('totals.days', { n: days(tot?.daysOfSupply, lang) })}
              </span>
              {!!tot?.frozenOnHand && (
                <span class="total-frozen meta" data-frozen={tot.frozenOnHand} title={t('stock.frozenHint')}>
                  {t('stock.frozen')} {num(tot.frozenOnHand, lang)} {t(`unit.${c}`)}
                </span>
              )}
            </button>
          )
        })}
      </div>
      <div class="totals-rhneg" data-component={component}>
        <span class="total-name">{t('totals.rhneg', { component: t(`component.${component}`) })}</span>
        {ABOS.map((abo) => (
          <span key={abo} class="rhneg" data-abo={abo} data-on-hand={neg(abo)}>
            {abo}− <strong>{num(neg(abo), lang)}</strong>
          </span>
        ))}
        <span class="meta">{t(`unit.${component}`)}</span>
      </div>
    </section>
  )
}
