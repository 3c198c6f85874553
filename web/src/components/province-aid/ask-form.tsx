import { useState } from 'preact/hooks'
import { api, idempotencyKey } from '../../lib/api'
import { dateTime, group, localInput, parseLocal, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import { URGENCIES, type Site } from '../../lib/types'
import { useAction } from '../../lib/use-action'
import { useAppState } from '../../state'
import { DEADLINE_HOURS } from '../request-form/request-form'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage, FieldError } from '../error-message/error-message'
import { BloodTypeFields } from '../blood-type-fields/blood-type-fields'

/** What the form starts from: a plan's unmet need (?site=…&component=…) or nothing. */
export type AskPrefill = Partial<Record<'site' | 'component' | 'abo' | 'rhd' | 'qty' | 'urgency' | 'neededBy' | 'request' | 'giver' | 'antigens', string>>

/**
 * A coordinator asks another province for blood for one of their own stations. The confirmation names what is asked,
 * where to and by when; that is what the click sends (POST /api/province-aid, the aid.request message in its batch).
 */
export function AskForm({ peers, sites, prefill, onSent }: { peers: string[]; sites: Site[]; prefill: AskPrefill; onSent: () => void }) {
  const t = useT()
  const { lang } = useAppState()
  const [d, setD] = useState(() => ({
    giver: prefill.giver ?? peers[0] ?? '',
    siteId: prefill.site ?? '',
    component: prefill.component ?? 'RBC',
    abo: prefill.abo ?? 'O',
    rhd: prefill.rhd ?? '-',
    qty: prefill.qty ?? '',
    urgency: prefill.urgency ?? 'emergency',
    neededBy: prefill.neededBy ? dateTime(prefill.neededBy) : localInput(DEADLINE_HOURS.emergency),
    antigens: prefill.antigens ?? '',
    reason: '',
  }))
  const [ask, setAsk] = useState(false)
  const [sent, setSent] = useState<string | null>(null)
  const { busy, error, setError, run } = useAction()
  const set = (k: keyof typeof d) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value })
  const site = sites.find((s) => s.id === d.siteId)
  const what = `${t(`component.${d.component}`)} ${group(d.abo, d.rhd)} ${d.qty || '?'} ${t(`unit.${d.component}`)}`
  const province = (p: string) => (t(`province.${p}`) === `province.${p}` ? p : t(`province.${p}`))

  const send = () =>
    run(async () => {
      setAsk(false)
      await api('/api/province-aid', {
        method: 'POST',
        headers: { 'idempotency-key': idempotencyKey('aid') },
        body: {
          giver: d.giver,
          siteId: d.siteId,
          component: d.component,
          abo: d.abo,
          rhd: d.rhd,
          qty: d.qty === '' ? undefined : Number(d.qty),
          urgency: d.urgency,
          neededBy: parseLocal(d.neededBy) ?? d.neededBy,
          reason: d.reason,
          ...(d.antigens.trim() ? { antigens: d.antigens } : {}),
          ...(prefill.request ? { requestId: prefill.request } : {}),
        },
      })
      setSent(d.giver)
      setD({ ...d, qty: '', reason: '' })
      onSent()
    })

  return (
    <form
      class="request-form province-aid-ask"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        setError(null)
        setSent(null)
        setAsk(true)
      }}
    >
      <h3>{t('paid.ask.title')}</h3>
      {prefill.request && <p class="meta">{t('paid.ask.fromUnmet')}</p>}
      <label>
        {t('paid.ask.giver')}
        <select name="giver" value={d.giver} onChange={set('giver')}>
          {peers.map((p) => (
            <option key={p} value={p}>
              {province(p)}
            </option>
          ))}
        </select>
        <FieldError error={error} field="giver" />
      </label>
      <label>
        {t('paid.ask.site')}
        <select name="siteId" value={d.siteId} onChange={set('siteId')}>
          <option value="">—</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {siteName(s, lang, s.id)}
            </option>
          ))}
        </select>
        <FieldError error={error} field="siteId" />
      </label>
      <BloodTypeFields value={d} onChange={set} componentLabel={t('req.component')} />
      <label>
        {t('req.qty')} ({t(`unit.${d.component}`)})
        <input name="qty" type="number" min="1" inputMode="numeric" value={d.qty} onInput={set('qty')} />
        <FieldError error={error} field="qty" />
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
      </label>
      <label>
        {t('req.neededBy')}
        <input name="neededBy" value={d.neededBy} onInput={set('neededBy')} />
        <FieldError error={error} field="neededBy" />
      </label>
      <label>
        {t('paid.antigens')}
        <input name="antigens" value={d.antigens} onInput={set('antigens')} />
        <FieldError error={error} field="antigens" />
      </label>
      <label>
        {t('req.reason')}
        <input name="reason" value={d.reason} onInput={set('reason')} />
        <FieldError error={error} field="reason" />
      </label>
      <button type="submit" class="primary" disabled={busy || !d.giver}>
        {t('paid.ask.submit')}
      </button>
      {ask && (
        <Confirm
          message={t('paid.ask.confirm', { province: province(d.giver), what, site: siteName(site, lang, d.siteId || '?'), at: d.neededBy })}
          yes={t('paid.ask.submit')}
          busy={busy}
          onYes={() => void send()}
          onNo={() => setAsk(false)}
        />
      )}
      {error && !error.field && <ErrorMessage error={error} />}
      {error?.field && !['giver', 'siteId', 'qty', 'neededBy', 'antigens', 'reason'].includes(error.field) && <ErrorMessage error={error} />}
      {sent && (
        <p class="ok" role="status">
          {t('paid.ask.sent', { province: province(sent) })}
        </p>
      )}
    </form>
  )
}
