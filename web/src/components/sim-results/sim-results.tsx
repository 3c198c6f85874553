import { dateTime, num } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { SimPolicyResult, SimulationResult } from '../../lib/types'
import { useAppState } from '../../state'
import { LineChart } from '../line-chart/line-chart'

type Row = { key: string; label: string; value: (p: SimPolicyResult) => string; sub?: boolean }

/** One column per policy: shortage (total and per component), fill rate, red days, transfers, wastage. */
export function SimResults({ result }: { result: SimulationResult }) {
  const t = useT()
  const { lang } = useAppState()
  const n = (v: number | undefined) => num(v ?? 0, lang)
  const perComponent = (key: string, pick: (p: SimPolicyResult) => Record<string, number>): Row[] =>
    result.components.map((c) => ({ key: `${key}.${c}`, label: t(`component.${c}`), value: (p) => n(pick(p)[c]), sub: true }))
  const rows: Row[] = [
    { key: 'shortage', label: t('sim.m.shortage'), value: (p) => n(p.shortageUnits) },
    ...perComponent('shortage', (p) => p.shortageByComponent),
    { key: 'deferred', label: t('sim.m.deferred'), value: (p) => n(p.deferredUnits) },
    { key: 'demand', label: t('sim.m.demand'), value: (p) => n(p.demandUnits) },
    { key: 'fillRate', label: t('sim.m.fillRate'), value: (p) => `${num(p.fillRate * 100, lang, 2)} %` },
    { key: 'redDays', label: t('sim.m.redDays'), value: (p) => n(p.redDays) },
    { key: 'redSiteDays', label: t('sim.m.redSiteDays'), value: (p) => n(Object.values(p.redSiteDays).reduce((a, b) => a + b, 0)) },
    ...perComponent('redSiteDays', (p) => p.redSiteDays),
    { key: 'transferred', label: t('sim.m.transferred'), value: (p) => n(p.transferredUnits) },
    { key: 'transfers', label: t('sim.m.transfers'), value: (p) => n(p.transferCount) },
    { key: 'wastage', label: t('sim.m.wastage'), value: (p) => n(p.wastageUnits) },
  ]
  const x0 = result.policies[0]?.series[0]?.day ?? 0
  return (
    <div class="sim-results">
      <p class="meta">
        {t('sim.summary', { scenario: t(`scenario.${result.scenario}`), start: dateTime(result.start, lang), days: result.days, seed: result.seed, sites: result.sites, ms: num(result.elapsedMs, lang) })}
      </p>
      <table class="sim-table cards">
        <thead>
          <tr>
            <th>{t('sim.metric')}</th>
            {result.policies.map((p) => <th key={p.policy.name} class="num" data-policy={p.policy.name}>{p.policy.name}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-metric={r.key} class={r.sub ? 'sub' : ''}>
              <th scope="row">{r.label}</th>
              {result.policies.map((p) => <td key={p.policy.name} class="num" data-label={p.policy.name}>{r.value(p)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('sim.chartTitle')}</h3>
      <LineChart
        title={t('sim.chartTitle')}
        xLabel={t('sim.day')}
        yLabel={t('sim.m.shortage')}
        x0={x0}
        series={result.policies.map((p) => ({ name: p.policy.name, values: p.series.map((s) => s.shortageUnits) }))}
      />
      {result.assumptions.length > 0 && (
        <details class="sim-assumptions" open>
          <summary>{t('sim.assumptions')}</summary>
          <ul>{result.assumptions.map((a) => <li key={a}>{a}</li>)}</ul>
        </details>
      )}
    </div>
  )
}
