import { dateTime, num } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { SimPolicyResult, SimulationResult } from '../../lib/types'
import { useAppState } from '../../state'
import { LineChart } from '../line-chart/line-chart'
import './sim-results.css'

/** A metric row: its figure per policy, and how a difference between two policies reads (units or points). */
type Row = { key: string; label: string; of: (p: SimPolicyResult) => number; percent?: boolean; sub?: boolean }

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0)

/**
 * The two policies the page compares: the one short of the fewest units (then fewer red station-days, then less
 * wastage), against the first policy (the baseline, "no dispatch" by default), or against the runner-up when the
 * first is the best. Null with a single policy.
 */
export function comparedPolicies(policies: SimPolicyResult[]): { better: SimPolicyResult; other: SimPolicyResult } | null {
  if (policies.length < 2) return null
  const ranked = [...policies].sort((a, b) => a.shortageUnits - b.shortageUnits || sum(a.redSiteDays) - sum(b.redSiteDays) || a.wastageUnits - b.wastageUnits)
  const better = ranked[0]
  return { better, other: better === policies[0] ? ranked[1] : policies[0] }
}

/** Hashes an assumption's English text to its translation key, so a reworded assumption shows as sent, never wrong. */
const assumptionKey = (s: string) => {
  let x = 5381
  for (const c of s) x = ((x * 33) ^ c.codePointAt(0)!) >>> 0
  return `sim.assumption.${x.toString(36)}`
}

/** One column per policy and one for the difference, a sentence saying which did better; the daily chart by date. */
export function SimResults({ result }: { result: SimulationResult }) {
  const t = useT()
  const { lang } = useAppState()
  const n = (v: number | undefined) => num(v ?? 0, lang)
  const perComponent = (key: string, pick: (p: SimPolicyResult) => Record<string, number>): Row[] =>
    result.components.map((c) => ({ key: `${key}.${c}`, label: t(`component.${c}`), of: (p) => pick(p)[c] ?? 0, sub: true }))
  const rows: Row[] = [
    { key: 'shortage', label: t('sim.m.shortage'), of: (p) => p.shortageUnits },
    ...perComponent('shortage', (p) => p.shortageByComponent),
    { key: 'deferred', label: t('sim.m.deferred'), of: (p) => p.deferredUnits ?? 0 },
    { key: 'demand', label: t('sim.m.demand'), of: (p) => p.demandUnits },
    { key: 'fillRate', label: t('sim.m.fillRate'), of: (p) => p.fillRate * 100, percent: true },
    { key: 'redDays', label: t('sim.m.redDays'), of: (p) => p.redDays },
    { key: 'redSiteDays', label: t('sim.m.redSiteDays'), of: (p) => sum(p.redSiteDays) },
    ...perComponent('redSiteDays', (p) => p.redSiteDays),
    { key: 'transferred', label: t('sim.m.transferred'), of: (p) => p.transferredUnits },
    { key: 'transfers', label: t('sim.m.transfers'), of: (p) => p.transferCount },
    { key: 'wastage', label: t('sim.m.wastage'), of: (p) => p.wastageUnits },
  ]
  const show = (r: Row, p: SimPolicyResult) => (r.percent ? `${num(r.of(p), lang, 2)} %` : n(r.of(p)))
  const signed = (v: number, digits = 0) => (v > 0 ? '+' : v < 0 ? '−' : '±') + num(Math.abs(v), lang, digits)
  const vs = comparedPolicies(result.policies)
  const diff = (r: Row) => {
    const d = r.of(vs!.better) - r.of(vs!.other)
    return r.percent ? t('sim.pp', { n: signed(d, 2) }) : signed(d)
  }
  const x0 = result.policies[0]?.series[0]?.day ?? 0
  // each day's calendar date (yyyy-mm-dd, the simulation's own day, not a moment to convert)
  const dates = result.policies[0]?.series.map((s) => s.date)
  return (
    <div class="sim-results">
      <p class="meta">
        {t('sim.summary', {
          scenario: t(`scenario.${result.scenario}`),
          start: dateTime(result.start, lang),
          days: result.days,
          seed: result.seed,
          sites: result.sites,
          ms: num(result.elapsedMs, lang),
        })}
      </p>
      {vs && <Verdict better={vs.better} other={vs.other} />}
      <table class="sim-table cards">
        <thead>
          <tr>
            <th>{t('sim.metric')}</th>
            {result.policies.map((p) => (
              <th key={p.policy.name} class="num" data-policy={p.policy.name}>
                {p.policy.name}
              </th>
            ))}
            {vs && <th class="num diff">{t('sim.diff', { a: vs.better.policy.name, b: vs.other.policy.name })}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-metric={r.key} class={r.sub ? 'sub' : ''}>
              <th scope="row">{r.label}</th>
              {result.policies.map((p) => (
                <td key={p.policy.name} class="num" data-label={p.policy.name}>
                  {show(r, p)}
                </td>
              ))}
              {vs && (
                <td class="num diff" data-label={t('sim.diff', { a: vs.better.policy.name, b: vs.other.policy.name })}>
                  {diff(r)}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('sim.chartTitle')}</h3>
      <LineChart
        title={t('sim.chartTitle')}
        xLabel={t('sim.date')}
        yLabel={t('sim.m.shortage')}
        x0={x0}
        labels={dates}
        // ticks read month-day (12-01); the tooltips the whole date
        tickLabel={(d) => d.slice(5)}
        peakLabel={t('sim.peak')}
        series={result.policies.map((p) => ({ name: p.policy.name, values: p.series.map((s) => s.shortageUnits) }))}
      />
      {result.assumptions.length > 0 && (
        <details class="sim-assumptions" open>
          <summary>{t('sim.assumptions')}</summary>
          <ul>
            {result.assumptions.map((a) => {
              // Chinese has its own words for each; English reads them as the model states them
              const key = assumptionKey(a)
              const text = lang === 'zh' && t(key) !== key ? t(key) : a
              return (
                <li key={a} data-assumption={key}>
                  {text}
                </li>
              )
            })}
          </ul>
        </details>
      )}
    </div>
  )
}

/** The sentence: which policy did better than which, by how many units short, by what share, and in fill rate. */
function Verdict({ better, other }: { better: SimPolicyResult; other: SimPolicyResult }) {
  const t = useT()
  const { lang } = useAppState()
  const units = other.shortageUnits - better.shortageUnits
  const vars = { a: better.policy.name, b: other.policy.name, units: num(units === 0 ? better.shortageUnits : units, lang) }
  if (units === 0)
    return (
      <p class="sim-verdict" data-units="0">
        {t('sim.verdict.tie', vars)}
      </p>
    )
  const pct = other.shortageUnits > 0 ? `${num((units / other.shortageUnits) * 100, lang, 1)} %` : '—'
  return (
    <p class="sim-verdict" data-units={units}>
      {t('sim.verdict', { ...vars, pct, pp: num((better.fillRate - other.fillRate) * 100, lang, 2) })}
    </p>
  )
}
