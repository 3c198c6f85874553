import { useState } from 'preact/hooks'
import type { ApiCallError } from '../../lib/api'
import { errorText } from '../../lib/errors'
import { t as translate, useT } from '../../lib/i18n'
import { SCENARIOS, type Scenario, type SimulationBody } from '../../lib/types'
import { getState } from '../../state'
import { ErrorMessage } from '../error-message/error-message'

type PolicyDraft = { name: string; dispatch: 'none' | 'planner'; reserveDays: string; triggerDays: string }
export type SimDraft = { scenario: Scenario; days: string; seed: string; policies: PolicyDraft[] }
export const MAX_POLICIES = 4

/** The three policies planners compare first, named in the language of the moment. */
export function defaultDraft(lang = getState().lang): SimDraft {
  const name = (key: string) => translate(key, {}, lang)
  return {
    scenario: 'spring-festival',
    days: '30',
    seed: '1',
    policies: [
      { name: name('sim.policy.none'), dispatch: 'none', reserveDays: '3', triggerDays: '5' },
      { name: name('sim.policy.red'), dispatch: 'planner', reserveDays: '3', triggerDays: '5' },
      { name: name('sim.policy.yellow'), dispatch: 'planner', reserveDays: '7', triggerDays: '7' },
    ],
  }
}

const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s))

/** The request body for a draft; the API judges it (blank numbers are left out, so it names the field). */
export function toBody(d: SimDraft): SimulationBody {
  return {
    scenario: d.scenario,
    days: num(d.days),
    ...(d.seed.trim() === '' ? {} : { seed: num(d.seed) }),
    policies: d.policies.map((p) => ({ name: p.name, dispatch: p.dispatch, reserveDays: num(p.reserveDays)!, triggerDays: num(p.triggerDays)! })),
  }
}

/** Scenario, days, seed and 1–4 policy rows; the API's 400 field errors show beside their field. */
export function SimForm({
  busy,
  error,
  onRun,
  progress,
}: {
  busy: boolean
  error: ApiCallError | null
  onRun: (body: SimulationBody) => void
  progress?: preact.ComponentChildren
}) {
  const t = useT()
  const [d, setD] = useState<SimDraft>(() => defaultDraft())
  const val = (e: Event) => (e.target as HTMLInputElement).value
  const setPolicy = (i: number, k: keyof PolicyDraft) => (e: Event) => setD({ ...d, policies: d.policies.map((p, j) => (j === i ? { ...p, [k]: val(e) } : p)) })
  const addPolicy = () =>
    setD({
      ...d,
      policies: [...d.policies, { name: t('sim.policy.new', { n: d.policies.length + 1 }), dispatch: 'planner', reserveDays: '3', triggerDays: '5' }],
    })
  const removePolicy = (i: number) => setD({ ...d, policies: d.policies.filter((_, j) => j !== i) })
  const fieldError = (k: string) =>
    error?.field && (error.field === k || error.field.startsWith(`${k}.`)) ? (
      <span class="field-error" data-field-error={k} role="alert" title={error.message}>
        {errorText(error, t)}
      </span>
    ) : null
  // a field this form has no input for (or none at all): the error shows under the form
  const atField = !!error?.field && /^((scenario|days|seed|policies\.\d+\.(name|dispatch|reserveDays|triggerDays))(\.|$)|policies$)/.test(error.field)
  const submit = (e: Event) => {
    e.preventDefault()
    onRun(toBody(d))
  }

  return (
    <form class="sim-form" onSubmit={submit} noValidate>
      <div class="sim-fields">
        <label>
          {t('sim.scenario')}
          <select name="scenario" value={d.scenario} onChange={(e) => setD({ ...d, scenario: val(e) as Scenario })}>
            {SCENARIOS.map((s) => (
              <option key={s} value={s}>
                {t(`scenario.${s}`)}
              </option>
            ))}
          </select>
          {fieldError('scenario')}
        </label>
        <label>
          {t('sim.days')}
          <input name="days" type="number" min={1} max={366} step={1} value={d.days} onInput={(e) => setD({ ...d, days: val(e) })} />
          {fieldError('days')}
        </label>
        <label>
          {t('sim.seed')}
          <input name="seed" type="number" min={0} step={1} value={d.seed} onInput={(e) => setD({ ...d, seed: val(e) })} />
          {fieldError('seed')}
        </label>
      </div>
      <table class="sim-policies cards">
        <caption>{t('sim.policies')}</caption>
        <thead>
          <tr>
            <th>{t('sim.policyName')}</th>
            <th>{t('sim.dispatch')}</th>
            <th>{t('sim.reserveDays')}</th>
            <th>{t('sim.triggerDays')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {d.policies.map((p, i) => (
            <tr key={i} data-policy={i}>
              <td data-label={t('sim.policyName')}>
                <input name={`policies.${i}.name`} value={p.name} onInput={setPolicy(i, 'name')} />
                {fieldError(`policies.${i}.name`)}
              </td>
              <td data-label={t('sim.dispatch')}>
                <select name={`policies.${i}.dispatch`} value={p.dispatch} onChange={setPolicy(i, 'dispatch')}>
                  <option value="none">{t('sim.dispatch.none')}</option>
                  <option value="planner">{t('sim.dispatch.planner')}</option>
                </select>
                {fieldError(`policies.${i}.dispatch`)}
              </td>
              <td data-label={t('sim.reserveDays')}>
                <input
                  name={`policies.${i}.reserveDays`}
                  type="number"
                  min={0}
                  max={60}
                  step="any"
                  value={p.reserveDays}
                  onInput={setPolicy(i, 'reserveDays')}
                />
                {fieldError(`policies.${i}.reserveDays`)}
              </td>
              <td data-label={t('sim.triggerDays')}>
                <input
                  name={`policies.${i}.triggerDays`}
                  type="number"
                  min={0}
                  max={60}
                  step="any"
                  value={p.triggerDays}
                  onInput={setPolicy(i, 'triggerDays')}
                />
                {fieldError(`policies.${i}.triggerDays`)}
              </td>
              <td class="actions" data-label="">
                <button type="button" class="remove-policy" disabled={d.policies.length <= 1} onClick={() => removePolicy(i)}>
                  {t('sim.removePolicy')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error?.field === 'policies' && (
        <span class="field-error" data-field-error="policies" role="alert" title={error.message}>
          {errorText(error, t)}
        </span>
      )}
      <div class="toolbar">
        <button type="button" class="add-policy" disabled={d.policies.length >= MAX_POLICIES} onClick={addPolicy}>
          {t('sim.addPolicy')}
        </button>
        <button type="submit" class="run-sim" disabled={busy}>
          {busy ? t('sim.running') : t('sim.run')}
        </button>
        {busy &&
          (progress ?? (
            <span class="meta" role="status">
              {t('sim.runningHint')}
            </span>
          ))}
      </div>
      {error && !atField && <ErrorMessage error={error} />}
    </form>
  )
}
