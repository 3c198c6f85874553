import { useEffect, useState } from 'preact/hooks'
import { ErrorMessage } from '../error-message/error-message'
import { UrgencyBadge } from '../level-badge/level-badge'
import { api } from '../../lib/api'
import { dateTime, group } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Incident } from '../../lib/incident-types'
import { useAppState } from '../../state'
import { useAction } from '../../lib/use-action'

/** Wide screens show the estimate's lines; on a phone they fold, so the transfers below stay within reach. */
const isPhone = () => typeof window !== 'undefined' && window.matchMedia('(max-width: 699.98px)').matches

/**
 * The estimate: its kind and what it was computed from, each component's range with the figure the plan uses (a
 * coordinator picks another inside the range), then the lines per receiving point, component, group and urgency
 * (editable) and the factors with their sources.
 */
export function Estimate({ inc, name, editable, onSaved }: { inc: Incident; name: (id: string) => string; editable: boolean; onSaved: () => void }) {
  const t = useT()
  const { lang } = useAppState()
  const [qty, setQty] = useState<Record<number, string>>({})
  const [cas, setCas] = useState({ ...inc.casualties })
  const [picks, setPicks] = useState<Record<string, string>>({})
  const { busy, error, run } = useAction()
  useEffect(() => {
    setQty({})
    setPicks({})
    setCas({ ...inc.casualties })
  }, [inc.updatedAt])
  const save = async (body: () => Promise<unknown>) => {
    await run(async () => {
      await body()
      onSaved()
    })
  }
  const saveLines = () =>
    save(() =>
      api(`/api/incidents/${encodeURIComponent(inc.id)}/estimate`, {
        method: 'PUT',
        body: {
          lines: inc.estimate.lines.map((l, i) => ({ ...l, qty: qty[i] === undefined ? l.qty : Number(qty[i]) })).filter((l) => l.qty > 0),
        },
      }),
    )
  const saveCasualties = () => save(() => api(`/api/incidents/${encodeURIComponent(inc.id)}`, { method: 'PATCH', body: { casualties: cas } }))
  // every picked figure goes together; components left alone keep what they had
  const savePicks = () =>
    save(() =>
      api(`/api/incidents/${encodeURIComponent(inc.id)}`, {
        method: 'PATCH',
        body: {
          picks: Object.fromEntries(
            inc.estimate.components.filter((c) => c.picked || picks[c.component] !== undefined).map((c) => [c.component, Number(picks[c.component] ?? c.qty)]),
          ),
        },
      }),
    )
  const changed = Object.keys(qty).length > 0
  const u = (n: number, c: string) => `${n} ${t(`unit.${c}`)}`
  return (
    <div class="incident-estimate">
      <h3>
        {t('incident.estimate')} <span class="meta">({t(`incident.source.${inc.estimateSource}`)})</span>
      </h3>
      <p class="meta estimate-basis" data-kind={inc.kind} data-basis={inc.estimate.basis ?? ''}>
        {t(`incident.kind.${inc.kind}`)}
        {inc.estimate.basis && (
          <> · {t(`incident.basis.${inc.estimate.basis}`, { injured: inc.injured ?? 0, hospitalised: inc.hospitalised ?? 0, ...inc.casualties })}</>
        )}
      </p>
      {inc.estimate.components.length > 0 && (
        <table class="cards estimate-range">
          <thead>
            <tr>
              <th>{t('incident.what')}</th>
              <th>{t('incident.range')}</th>
              <th>{t('incident.planUses')}</th>
            </tr>
          </thead>
          <tbody>
            {inc.estimate.components.map((c) => (
              <tr key={c.component} data-component={c.component} data-low={c.low} data-high={c.high} data-qty={c.qty}>
                <td data-label={t('incident.what')}>{t(`component.${c.component}`)}</td>
                <td data-label={t('incident.range')} class="range">
                  {t('incident.rangeText', { low: u(c.low, c.component), high: u(c.high, c.component), mid: u(c.mid, c.component) })}
                </td>
                <td data-label={t('incident.planUses')}>
                  {editable && c.high > c.low ? (
                    <>
                      <input
                        class="pick"
                        name={`pick-${c.component}`}
                        type="number"
                        min={c.low}
                        max={c.high}
                        value={picks[c.component] ?? String(c.qty)}
                        aria-label={`${t(`component.${c.component}`)} ${t('incident.planUses')}`}
                        onInput={(e) => setPicks({ ...picks, [c.component]: (e.target as HTMLInputElement).value })}
                      />{' '}
                      {t(`unit.${c.component}`)}
                    </>
                  ) : (
                    u(c.qty, c.component)
                  )}
                  {c.picked && <span class="badge picked"> {t('incident.picked')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editable && Object.keys(picks).length > 0 && (
        <button type="button" class="save-picks" disabled={busy} onClick={savePicks}>
          {t('incident.savePicks')}
        </button>
      )}
      <ErrorMessage error={error} />
      <details class="estimate-lines" open={!isPhone()}>
        <summary>{t('incident.estimateLines', { n: inc.estimate.lines.length })}</summary>
        {editable && (
          <div class="row casualty-edit">
            {(['critical', 'severe', 'moderate'] as const).map((k) => (
              <label key={k}>
                {t(`triage.${k}`)}
                <input
                  name={`cas-${k}`}
                  type="number"
                  min="0"
                  value={cas[k]}
                  onInput={(e) => setCas({ ...cas, [k]: Number((e.target as HTMLInputElement).value) })}
                />
              </label>
            ))}
            <button type="button" class="update-casualties secondary" disabled={busy} onClick={saveCasualties}>
              {t('incident.updateCasualties')}
            </button>
          </div>
        )}
        <table class="cards estimate-table">
          <thead>
            <tr>
              <th>{t('incident.to')}</th>
              <th>{t('incident.what')}</th>
              <th>{t('incident.urgency')}</th>
              <th>{t('incident.qty')}</th>
              <th>{t('incident.neededBy')}</th>
            </tr>
          </thead>
          <tbody>
            {inc.estimate.lines.map((l, i) => (
              <tr key={`${l.siteId}|${l.component}|${l.abo}${l.rhd}|${l.urgency}`} data-line={`${l.component}|${l.abo}${l.rhd}|${l.urgency}`}>
                <td data-label={t('incident.to')}>{name(l.siteId)}</td>
                <td data-label={t('incident.what')}>
                  {t(`component.${l.component}`)} {group(l.abo, l.rhd)}
                </td>
                <td data-label={t('incident.urgency')}>
                  <UrgencyBadge urgency={l.urgency} />
                </td>
                <td data-label={t('incident.qty')}>
                  {editable ? (
                    <>
                      <input
                        class="qty"
                        name={`qty-${i}`}
                        type="number"
                        min="0"
                        value={qty[i] ?? String(l.qty)}
                        onInput={(e) => setQty({ ...qty, [i]: (e.target as HTMLInputElement).value })}
                      />{' '}
                      {t(`unit.${l.component}`)}
                    </>
                  ) : (
                    u(l.qty, l.component)
                  )}
                </td>
                <td data-label={t('incident.neededBy')}>{dateTime(l.neededBy, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {editable && changed && (
          <button type="button" class="save-estimate" disabled={busy} onClick={saveLines}>
            {t('incident.saveEstimate')}
          </button>
        )}
        <details class="factors">
          <summary>{t('incident.factors')}</summary>
          {inc.estimate.kindFactors && (
            <p class="kind-factors">
              {t(`incident.kind.${inc.kind}`)}:{' '}
              {t('incident.kindFactors', {
                admLow: Math.round(inc.estimate.kindFactors.admission.low * 100),
                admHigh: Math.round(inc.estimate.kindFactors.admission.high * 100),
                rbcLow: inc.estimate.kindFactors.rbcPerAdmitted.low,
                rbcMid: inc.estimate.kindFactors.rbcPerAdmitted.mid,
                rbcHigh: inc.estimate.kindFactors.rbcPerAdmitted.high,
              })}{' '}
              —{' '}
              {inc.estimate.kindFactors.sources.map((src) => (
                <cite key={src}>{src}; </cite>
              ))}
            </p>
          )}
          <ul>
            {inc.estimate.factors
              .filter((f) => f.unitsPerPatient > 0)
              .map((f) => (
                <li key={`${f.category}|${f.component}`}>
                  {t(`triage.${f.category}`)} · {t(`component.${f.component}`)}: {Math.round(f.shareTransfused * 100)}% × {f.unitsPerPatient}{' '}
                  {t(`unit.${f.component}`)} — <cite>{f.source}</cite>
                </li>
              ))}
          </ul>
        </details>
      </details>
    </div>
  )
}
