import { useState } from 'preact/hooks'
import { api, ApiError, idempotencyKey } from '../../lib/api'
import { localInput, parseLocal, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import { ABOS, COMPONENTS, URGENCIES, type AidRequest, type Site } from '../../lib/types'
import { useAppState, type Me } from '../../state'
import { ErrorMessage, FieldError } from '../error-message/error-message'

/** The deadline field's value some hours from now, as 2026-12-01 14:30 (a text field: a date picker would follow the browser's locale). */
const inHours = (h: number): string => localInput(h)

type Draft = { siteId: string; component: string; abo: string; rhd: string; qty: string; urgency: string; neededBy: string; reason: string }

/** A director files a request for their own site; a coordinator or admin picks the site. */
export function RequestForm({ me, sites, onFiled }: { me: Me; sites: Site[]; onFiled: (r: AidRequest) => void }) {
  const t = useT()
  const { lang } = useAppState()
  const [d, setD] = useState<Draft>({ siteId: me.siteId ?? '', component: 'RBC', abo: 'O', rhd: '+', qty: '', urgency: 'urgent', neededBy: inHours(24), reason: '' })
  const [error, setError] = useState<ApiError | null>(null)
  const [done, setDone] = useState(false)
  const [busy, setBusy] = useState(false)
  const [touched, setTouched] = useState<Set<keyof Draft>>(new Set())
  const set = (k: keyof Draft) => (e: Event) => {
    setD({ ...d, [k]: (e.target as HTMLInputElement).value })
    if (!touched.has(k)) setTouched(new Set(touched).add(k))
  }

  // Hints only: the API stays the judge, and its field errors are shown beside the field.
  const qtyNum = Number(d.qty)
  const hints: Partial<Record<keyof Draft, string>> = {}
  if (d.qty !== '' && !(Number.isInteger(qtyNum) && qtyNum > 0)) hints.qty = t('req.hint.qty')
  if (!d.siteId) hints.siteId = t('req.hint.site')
  if (!d.reason.trim()) hints.reason = t('req.hint.reason')
  if (d.neededBy.trim() && !parseLocal(d.neededBy)) hints.neededBy = t('req.hint.neededBy')
  const fieldError = (k: string) =>
    error?.field && (error.field === k || error.field.startsWith(`${k}.`)) ? <FieldError error={error} field={k} />
    : hints[k as keyof Draft] && touched.has(k as keyof Draft) ? <span class="hint">{hints[k as keyof Draft]}</span> : null

  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setDone(false)
    try {
      const body = {
        siteId: d.siteId,
        component: d.component,
        abo: d.abo,
        rhd: d.rhd,
        qty: d.qty === '' ? undefined : Number(d.qty),
        urgency: d.urgency,
        ...(d.neededBy.trim() ? { neededBy: parseLocal(d.neededBy) ?? d.neededBy } : {}),
        reason: d.reason,
      }
      const r = await api<AidRequest>('/api/requests', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey('req') } })
      setDone(true)
      setD({ ...d, qty: '', reason: '', neededBy: inHours(24) })
      setTouched(new Set())
      onFiled(r)
    } catch (err) {
      setError(err as ApiError)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="request-form" onSubmit={submit} noValidate>
      <h3>{t('req.new')}</h3>
      <label>
        {t('req.site')}
        {me.role === 'director' ? (
          <input name="siteId" value={siteName(sites.find((s) => s.id === d.siteId), lang, d.siteId)} readOnly />
        ) : (
          <select name="siteId" value={d.siteId} onChange={set('siteId')}>
            <option value="">—</option>
            {sites.map((s) => <option key={s.id} value={s.id}>{siteName(s, lang, s.id)}</option>)}
          </select>
        )}
        {fieldError('siteId')}
      </label>
      <label>
        {t('req.component')}
        <select name="component" value={d.component} onChange={set('component')}>
          {COMPONENTS.map((c) => <option key={c} value={c}>{t(`component.${c}`)}</option>)}
        </select>
        {fieldError('component')}
      </label>
      <label>
        ABO
        <select name="abo" value={d.abo} onChange={set('abo')}>
          {ABOS.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
        {fieldError('abo')}
      </label>
      <label>
        RhD
        <select name="rhd" value={d.rhd} onChange={set('rhd')}>
          <option value="+">+</option>
          <option value="-">−</option>
        </select>
        {fieldError('rhd')}
      </label>
      <label>
        {t('req.qty')} ({t(`unit.${d.component}`)})
        <input name="qty" type="number" min={1} step={1} value={d.qty} onInput={set('qty')} />
        {fieldError('qty')}
      </label>
      <label>
        {t('req.urgency')}
        <select name="urgency" value={d.urgency} onChange={set('urgency')}>
          {URGENCIES.map((u) => <option key={u} value={u}>{t(`urgency.${u}`)}</option>)}
        </select>
        {fieldError('urgency')}
      </label>
      <label>
        {t('req.neededBy')}
        <input name="neededBy" value={d.neededBy} placeholder="2026-12-01 14:30" inputMode="numeric" onInput={set('neededBy')} />
        {fieldError('neededBy')}
      </label>
      <label class="wide">
        {t('req.reason')}
        <input name="reason" value={d.reason} onInput={set('reason')} />
        {fieldError('reason')}
      </label>
      <button type="submit" disabled={busy}>{t('req.submit')}</button>
      {error && !error.field && <ErrorMessage error={error} />}
      {done && <p class="ok" role="status">{t('req.submitted')}</p>}
    </form>
  )
}
