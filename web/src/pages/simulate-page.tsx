import { useEffect, useState } from 'preact/hooks'
import { SimForm, defaultDraft, toBody } from '../components/sim-form/sim-form'
import { SimResults } from '../components/sim-results/sim-results'
import { api, ApiError } from '../lib/api'
import { useT } from '../lib/i18n'
import type { SimulationBody, SimulationResult } from '../lib/types'
import { useAppState, type Role } from '../state'

/** The roles the nav offers the page to; the API stays the judge. */
export const SIM_ROLES: Role[] = ['planner', 'coordinator', 'admin']

/** What-if: a seasonal shortfall played forward once per dispatch policy (POST /api/simulations), nothing stored. */
export function SimulatePage() {
  const t = useT()
  const { me } = useAppState()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [result, setResult] = useState<SimulationResult | null>(null)

  const run = async (body: SimulationBody) => {
    setBusy(true)
    setError(null)
    try {
      setResult(await api<SimulationResult>('/api/simulations', { method: 'POST', body }))
    } catch (e) {
      setError(e as ApiError)
      setResult(null)
    } finally {
      setBusy(false)
    }
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
      <SimForm busy={busy} error={error} onRun={run} />
      {result && !busy && <SimResults result={result} />}
    </section>
  )
}
