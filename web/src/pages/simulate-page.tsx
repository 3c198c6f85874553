import { useEffect, useState } from 'preact/hooks'
import { SimForm, defaultDraft, toBody } from '../components/sim-form/sim-form'
import { SimResults } from '../components/sim-results/sim-results'
import { api } from '../lib/api'
import { useT } from '../lib/i18n'
import { SIM_ROLES } from '../lib/roles'
import type { SimulationBody, SimulationResult } from '../lib/types'
import { useAppState } from '../state'
import { useAction } from '../lib/use-action'

/** seconds one planning day of one planner policy takes on the demo region, rounded up (a 365-day
 *  `year` run with two planner policies and one without answered in 2.8 s through wrangler dev on
 *  the shared 2-core machine, 2026-12-01); only for the progress estimate */
const ESTIMATE_S_PER_PLANNING_DAY = 0.005

/** What-if: a seasonal shortfall played forward once per dispatch policy (POST /api/simulations), nothing stored. */
export function SimulatePage() {
  const t = useT()
  const { me } = useAppState()
  const { busy, error, run: act } = useAction()
  const [result, setResult] = useState<SimulationResult | null>(null)
  const [started, setStarted] = useState<{ at: number; estimateS: number; days: number } | null>(null)
  const [now, setNow] = useState(Date.now())
  // a long run (up to a year) answers in one response: show the time elapsed against an estimate
  useEffect(() => {
    if (!busy) return
    const id = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(id)
  }, [busy])

  const run = async (body: SimulationBody) => {
    const days = body.days ?? 0
    const planners = body.policies.filter((p) => p.dispatch === 'planner').length
    setStarted({ at: Date.now(), days, estimateS: Math.max(1, days * (0.002 + ESTIMATE_S_PER_PLANNING_DAY * planners)) })
    setNow(Date.now())
    const ok = await act(async () => setResult(await api<SimulationResult>('/api/simulations', { method: 'POST', body })))
    if (!ok) setResult(null)
  }
  // Someone the nav doesn't offer the page to (a director following a link) gets the API's own answer.
  const outsider = !!me && !SIM_ROLES.includes(me.role)
  useEffect(() => {
    if (outsider) void run(toBody(defaultDraft()))
  }, [outsider])

  return (
    <section class="simulate-page">
      <h2>{t('sim.title')}</h2>
      <p class="meta">{t('sim.intro')}</p>
      <SimForm
        busy={busy}
        error={error}
        onRun={run}
        progress={
          busy && started ? (
            <span class="meta sim-progress" role="status">
              <progress value={Math.min(now - started.at, started.estimateS * 1000)} max={started.estimateS * 1000} />{' '}
              {t('sim.progress', { elapsed: Math.floor((now - started.at) / 1000), estimate: Math.ceil(started.estimateS), days: started.days })}
            </span>
          ) : undefined
        }
      />
      {result && !busy && <SimResults result={result} />}
    </section>
  )
}
