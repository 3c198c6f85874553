import { useState } from 'preact/hooks'
import { api, idempotencyKey } from '../../lib/api'
import { localInput, parseLocal, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import { URGENCIES, type AidRequest, type Site } from '../../lib/types'
import { useAppState, type Me } from '../../state'
import { ErrorMessage, FieldError } from '../error-message/error-message'
import { useAction } from '../../lib/use-action'
import { BloodTypeFields } from '../blood-type-fields/blood-type-fields'

/** The deadline field's value some hours from now, as 2026-12-01 14:30 (a text field: a date picker would follow the browser's locale). */
const inHours = (h: number): string => localInput(h)

/**
 * The deadline each urgency proposes, in hours from now (the director may type another): an emergency within 6 h,
 * the planning window of a critical (red) casualty in docs/domain-facts.md; urgent within a day; routine within 3 days.
 */
export const DEADLINE_HOURS: Record<string, number> = { emergency: 6, urgent: 24, routine: 72 }

type Draft = {
  siteId: string
  component: string
  abo: string
  rhd: string
  qty: string
  urgency: string
  neededBy: string
  reason: string
  antigens: string
  allowRhPositive: boolean
  consentBy: string
  consentAt: string
  antiDNegative: boolean
  patientNote: string
}
type Key = keyof Draft
const ANTIGENS = /^[A-Za-z0-9()+\-,\s]*$/

/** A director files a request for their own site; a coordinator or admin picks the site. */
export function RequestForm({ me, sites, onFiled }: { me: Me; sites: Site[]; onFiled: (r: AidRequest) => void }) {
  const t = useT()
  const { lang } = useAppState()
  const blank = (): Draft => ({
    siteId: me.siteId ?? '',
    component: 'RBC',
    abo: 'O',
    rhd: '+',
    qty: '',
    urgency: 'urgent',
    neededBy: inHours(DEADLINE_HOURS.urgent),
    reason: '',
    antigens: '',
    allowRhPositive: false,
    consentBy: '',
    consentAt: '',
    antiDNegative: false,
    patientNote: '',
  })
  const [d, setD] = useState<Draft>(blank)
  const [done, setDone] = useState(false)
  const { busy, error, setError, run } = useAction()
  const [touched, setTouched] = useState<Set<Key>>(new Set())
  const [tried, setTried] = useState(false)
  const touch = (k: Key) => {
    if (!touched.has(k)) setTouched(new Set(touched).add(k))
  }
  const set = (k: Key) => (e: Event) => {
    const el = e.target as HTMLInputElement
    const value = el.type === 'checkbox' ? el.checked : el.value
    const next = { ...d, [k]: value }
    // picking an urgency proposes its deadline in hours from now, unless a deadline was typed
    if (k === 'urgency' && !touched.has('neededBy')) next.neededBy = inHours(DEADLINE_HOURS[el.value] ?? 24)
    if (k === 'allowRhPositive' && el.checked && !d.consentAt) next.consentAt = localInput()
    setD(next)
    touch(k)
  }
  // RhD-positive units for an RhD-negative patient: only for an RhD-negative red-cell emergency, with the consent record
  const rhOffered = d.rhd === '-' && d.urgency === 'emergency' && (d.component === 'RBC' || d.component === 'WB')
  const rhPositive = rhOffered && d.allowRhPositive

  // Every field's problem at once (shown beside each field on submit); the API stays the judge, its field error too.
  const qtyNum = Number(d.qty)
  const hints: Partial<Record<Key, string>> = {}
  if (!(d.qty !== '' && Number.isInteger(qtyNum) && qtyNum > 0)) hints.qty = t('req.hint.qty')
  if (!d.siteId) hints.siteId = t('req.hint.site')
  if (!d.reason.trim()) hints.reason = t('req.hint.reason')
  const due = parseLocal(d.neededBy)
  if (!due || Date.parse(due) <= Date.now()) hints.neededBy = t('err.invalid_input.neededBy')
  if (!ANTIGENS.test(d.antigens)) hints.antigens = t('req.hint.antigens')
  if (rhPositive) {
    if (!d.consentBy.trim()) hints.consentBy = t('req.hint.consentBy')
    const at = parseLocal(d.consentAt)
    if (!at || Date.parse(at) > Date.now() + 5 * 60_000) hints.consentAt = t('req.hint.consentAt')
    if (!d.antiDNegative) hints.antiDNegative = t('req.hint.antiD')
    if (!d.patientNote.trim()) hints.patientNote = t('req.hint.patientNote')
  }
  /** The API's field names for the form's fields. */
  const apiField: Partial<Record<Key, string>> = {
    consentBy: 'rhPositiveConsent.consentBy',
    consentAt: 'rhPositiveConsent.consentAt',
    antiDNegative: 'rhPositiveConsent.antiDScreen',
    patientNote: 'rhPositiveConsent.patientNote',
  }
  const fieldError = (k: Key) => {
    const name = apiField[k] ?? k
    if (error?.field && (error.field === name || error.field.startsWith(`${name}.`))) return <FieldError error={error} field={name} />
    if (!hints[k]) return null
    // after a submit, every problem is an error beside its field; before, a hint under a field being filled
    if (tried)
      return (
        <span class="field-error" data-field-error={name} role="alert">
          {hints[k]}
        </span>
      )
    return touched.has(k) ? (
      <span class="hint" data-hint={k}>
        {hints[k]}
      </span>
    ) : null
  }

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setDone(false)
    // every problem at once, beside its field, when the API answers: it names the first it finds (and stays the judge), the form the rest
    const ok = await run(async () => {
      const body = {
        siteId: d.siteId,
        component: d.component,
        abo: d.abo,
        rhd: d.rhd,
        qty: d.qty === '' ? undefined : Number(d.qty),
        urgency: d.urgency,
        ...(d.neededBy.trim() ? { neededBy: parseLocal(d.neededBy) ?? d.neededBy } : {}),
        reason: d.reason,
        ...(d.antigens.trim() ? { antigens: d.antigens } : {}),
        ...(rhPositive
          ? {
              allowRhPositive: true,
              rhPositiveConsent: {
                consentBy: d.consentBy.trim(),
                consentAt: parseLocal(d.consentAt) ?? d.consentAt,
                patientNote: d.patientNote.trim(),
                ...(d.antiDNegative ? { antiDScreen: 'negative' } : {}),
              },
            }
          : {}),
      }
      const r = await api<AidRequest>('/api/requests', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey('req') } })
      setDone(true)
      setD({ ...blank(), siteId: d.siteId })
      setTouched(new Set())
      setTried(false)
      onFiled(r)
    })
    if (!ok) setTried(true)
  }

  return (
    <form class="request-form" onSubmit={submit} noValidate>
      <h3>{t('req.new')}</h3>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: the label holds an input or a select, whichever the role gets */}
      <label>
        {t('req.site')}
        {me.role === 'director' ? (
          <input
            name="siteId"
            value={siteName(
              sites.find((s) => s.id === d.siteId),
              lang,
              d.siteId,
            )}
            readOnly
          />
        ) : (
          <select name="siteId" value={d.siteId} onChange={set('siteId')}>
            <option value="">—</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {siteName(s, lang, s.id)}
              </option>
            ))}
          </select>
        )}
        {fieldError('siteId')}
      </label>
      <BloodTypeFields value={d} onChange={set} componentLabel={t('req.component')} after={fieldError} />
      <label>
        {t('req.qty')} ({t(`unit.${d.component}`)})
        <input name="qty" type="number" min={1} step={1} value={d.qty} onInput={set('qty')} />
        {fieldError('qty')}
      </label>
      <label>
        {t('req.urgency')}
        <select name="urgency" value={d.urgency} onChange={set('urgency')}>
          {URGENCIES.map((u) => (
            <option key={u} value={u}>
              {t(`urgency.${u}`)}
            </option>
          ))}
        </select>
        {fieldError('urgency')}
      </label>
      <label>
        {t('req.neededBy')}
        <input name="neededBy" value={d.neededBy} placeholder="2026-12-01 14:30" inputMode="numeric" onInput={set('neededBy')} />
        {fieldError('neededBy') ?? (
          <span class="meta" data-deadline-hours={DEADLINE_HOURS[d.urgency]}>
            {t('req.deadlineHint', { urgency: t(`urgency.${d.urgency}`), hours: DEADLINE_HOURS[d.urgency] ?? 24 })}
          </span>
        )}
      </label>
      <label>
        {t('req.antigens')}
        <input name="antigens" value={d.antigens} placeholder="Fy(a-), Jk(a-b-)" onInput={set('antigens')} />
        {fieldError('antigens')}
      </label>
      <label class="wide">
        {t('req.reason')}
        <input name="reason" value={d.reason} onInput={set('reason')} />
        {fieldError('reason')}
      </label>
      {rhOffered && (
        <fieldset class="rh-consent-form wide">
          <label class="check">
            <input name="allowRhPositive" type="checkbox" checked={d.allowRhPositive} onChange={set('allowRhPositive')} />
            {t('req.allowRhPositive')}
          </label>
          {d.allowRhPositive && (
            <>
              <p class="meta">{t('req.rhPositiveWhy')}</p>
              <label>
                {t('req.consentBy')}
                <input name="consentBy" value={d.consentBy} placeholder={t('req.consentByHint')} onInput={set('consentBy')} />
                {fieldError('consentBy')}
              </label>
              <label>
                {t('req.consentAt')}
                <input name="consentAt" value={d.consentAt} placeholder="2026-12-01 14:30" inputMode="numeric" onInput={set('consentAt')} />
                {fieldError('consentAt')}
              </label>
              <label class="check">
                <input name="antiDNegative" type="checkbox" checked={d.antiDNegative} onChange={set('antiDNegative')} />
                {t('req.antiDNegative')}
                {fieldError('antiDNegative')}
              </label>
              <label class="wide">
                {t('req.patientNote')}
                <input name="patientNote" value={d.patientNote} placeholder={t('req.patientNoteHint')} onInput={set('patientNote')} />
                {fieldError('patientNote')}
              </label>
            </>
          )}
        </fieldset>
      )}
      <button type="submit" disabled={busy}>
        {t('req.submit')}
      </button>
      {error && !error.field && <ErrorMessage error={error} />}
      {done && (
        <p class="ok" role="status">
          {t('req.submitted')}
        </p>
      )}
    </form>
  )
}
