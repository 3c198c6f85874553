import { useState } from 'preact/hooks'
import { ApiCallError, idempotencyKey } from '../../lib/api'
import { group, localInput, parseLocal } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Component } from '../../lib/types'
import { useAction } from '../../lib/use-action'
import { queuedWrite } from '../../offline/queue'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage, FieldError } from '../error-message/error-message'
import { BloodTypeFields } from '../blood-type-fields/blood-type-fields'

type OrderUrgency = 'routine' | 'emergency'
/** Needed-by proposed for each kind of order: an emergency call within 2 h, a routine order the next day. */
const NEEDED_IN_HOURS: Record<OrderUrgency, number> = { emergency: 2, routine: 24 }

/**
 * A hospital orders from its station: a routine order or an emergency call (紧急: the station's director is
 * alerted). The urgency proposes the needed-by (2 h for an emergency) until the person types their own. It asks
 * first, naming what will be ordered from whom; the write goes through the outbox.
 */
export function OrderForm({ siteId, stationName, onDone }: { siteId: string; stationName: string; onDone: () => void }) {
  const t = useT()
  const [f, setF] = useState({
    component: 'RBC' as Component,
    abo: 'O',
    rhd: '+',
    qty: '',
    urgency: 'routine' as OrderUrgency,
    neededBy: localInput(NEEDED_IN_HOURS.routine),
    note: '',
  })
  const [typedDeadline, setTypedDeadline] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [done, setDone] = useState<'queued' | 'sent' | null>(null)
  const { busy, error, setError, run } = useAction()
  const set = (k: keyof typeof f) => (e: Event) => {
    const value = (e.target as HTMLInputElement).value
    const next = { ...f, [k]: value }
    if (k === 'urgency' && !typedDeadline) next.neededBy = localInput(NEEDED_IN_HOURS[value as OrderUrgency])
    if (k === 'neededBy') setTypedDeadline(true)
    setF(next)
    setConfirming(false)
    setDone(null)
  }
  const qty = f.qty.trim() === '' ? undefined : Number(f.qty)
  const what = `${t(`component.${f.component}`)} ${group(f.abo, f.rhd)} ${qty ?? '—'} ${t(`unit.${f.component}`)}`

  const check = (): ApiCallError | null => {
    // read like a schema's issue (lib/errors.ts issueKind): "数量不能大于 3", said by kind and limit in the page's language
    const bad = (field: string, message: string) => new ApiCallError(400, 'bad_request', message, field)
    if (qty === undefined || Number.isNaN(qty)) return bad('qty', 'Invalid input: expected number, received undefined')
    if (!Number.isInteger(qty)) return bad('qty', 'Invalid input: expected int, received number')
    if (qty < 1) return bad('qty', 'Too small: expected number to be >=1')
    const due = parseLocal(f.neededBy)
    if (!due || Date.parse(due) <= Date.now()) return new ApiCallError(400, 'invalid_input', 'Invalid datetime', 'neededBy')
    return null
  }
  const submit = (e: Event) => {
    e.preventDefault()
    setDone(null)
    const problem = check()
    setError(problem)
    if (!problem) setConfirming(true)
  }
  const send = async () => {
    setConfirming(false)
    const body = {
      hospitalId: siteId,
      component: f.component,
      abo: f.abo,
      rhd: f.rhd,
      qty,
      kind: f.urgency,
      neededBy: parseLocal(f.neededBy) ?? f.neededBy,
      note: f.note.trim(),
    }
    const ok = await run(async () => {
      const r = await queuedWrite({
        kind: 'order',
        siteId,
        summary: `${t(`urgency.${f.urgency}`)} · ${what}`,
        path: '/api/orders',
        body,
        idempotencyKey: idempotencyKey(`${siteId.toLowerCase()}-order`),
      })
      setDone(r.queued ? 'queued' : 'sent')
    })
    if (ok) {
      setF({ ...f, qty: '', note: '' })
      onDone()
    }
  }
  return (
    <form class={`order-form kind-${f.urgency}`} onSubmit={submit} noValidate>
      <h3>{t('hosp.order.title', { station: stationName })}</h3>
      <label>
        {t('hosp.order.urgency')}
        <select name="urgency" value={f.urgency} onChange={set('urgency')}>
          {(['routine', 'emergency'] as const).map((u) => (
            <option key={u} value={u}>
              {t(`hosp.order.${u}`)}
            </option>
          ))}
        </select>
      </label>
      <BloodTypeFields value={f} onChange={set} componentLabel={t('offline.component')} />
      <label>
        {t('offline.qty')}
        <span class="qty-unit">
          <input name="qty" type="number" inputMode="numeric" min={1} value={f.qty} onInput={set('qty')} />
          <span class="unit">{t(`unit.${f.component}`)}</span>
        </span>
        <FieldError error={error} field="qty" />
      </label>
      <label>
        {t('req.neededBy')}
        <input name="neededBy" value={f.neededBy} placeholder="2026-12-01 14:30" onInput={set('neededBy')} />
        <FieldError error={error} field="neededBy" />
      </label>
      <label>
        {t('hosp.order.note')}
        <input name="note" value={f.note} onInput={set('note')} />
        <FieldError error={error} field="note" />
      </label>
      {confirming ? (
        <Confirm
          message={t(`hosp.order.confirm.${f.urgency}`, { what, station: stationName, at: f.neededBy })}
          yes={t(`hosp.order.send.${f.urgency}`)}
          busy={busy}
          onYes={() => void send()}
          onNo={() => setConfirming(false)}
        />
      ) : (
        <button type="submit" class={`send-order ${f.urgency === 'emergency' ? 'danger' : ''}`} disabled={busy}>
          {t(`hosp.order.send.${f.urgency}`)}
        </button>
      )}
      {done && (
        <p class={`entry-done ${done}`} role="status">
          {t(done === 'queued' ? 'offline.queued' : 'hosp.order.sent')}
        </p>
      )}
      {error && !['qty', 'neededBy', 'note'].includes(error.field ?? '') && <ErrorMessage error={error} />}
    </form>
  )
}
