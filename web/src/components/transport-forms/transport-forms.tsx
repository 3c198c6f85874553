import { useState } from 'preact/hooks'
import { idempotencyKey } from '../../lib/api'
import { localInput, parseLocal } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Transfer } from '../../lib/types'
import { queuedWrite } from '../../offline/queue'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage, FieldError } from '../error-message/error-message'
import { rangeText } from './transport-record'
import { useAction } from '../../lib/use-action'

const num = (s: string) => (s.trim() === '' ? undefined : Number(s))
/** An optional local date-time field: undefined when empty, the raw text when unreadable (the API names the field). */
const when = (s: string) => (s.trim() === '' ? undefined : (parseLocal(s) ?? s))
/** A time left blank is the moment the form is sent (not when the page loaded), kept with a write that waits offline. */
const whenOrNow = (s: string) => when(s) ?? parseLocal(localInput())

/** The donor station packs, seals and sends the box: its temperature is required, the rest optional. */
export function DispatchForm({ tr, onDone }: { tr: Transfer; onDone: () => void }) {
  const t = useT()
  const [f, setF] = useState({ temperatureC: '', carrier: '', packedAt: '', sealedAt: '' })
  const { busy, error, run } = useAction()
  const [queued, setQueued] = useState(false)
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })
  const submit = async (e: Event) => {
    e.preventDefault()
    await run(async () => {
      const body = { temperatureC: num(f.temperatureC), carrier: f.carrier.trim() || undefined, packedAt: whenOrNow(f.packedAt), sealedAt: when(f.sealedAt) }
      // offline it waits on the device (offline/queue.ts), keyed now, and is sent when the network returns
      const r = await queuedWrite({
        kind: 'dispatch',
        siteId: tr.fromSite,
        summary: `${tr.fromSite} → ${tr.toSite} · ${tr.qty} ${t(`unit.${tr.component}`)}`,
        path: `/api/transfers/${encodeURIComponent(tr.id)}/dispatch`,
        body,
        idempotencyKey: idempotencyKey('dispatch'),
      })
      if (r.queued) setQueued(true)
      else onDone()
    })
  }
  return (
    <form class="transport-form dispatch-form" onSubmit={submit} noValidate data-transfer={tr.id}>
      <label>
        {t('transport.temperature')}
        <input name="temperatureC" type="number" inputMode="decimal" step="0.1" value={f.temperatureC} onInput={set('temperatureC')} />
        <FieldError error={error} field="temperatureC" />
      </label>
      <label>
        {t('transport.carrier')}
        <input name="carrier" value={f.carrier} placeholder={t('transport.carrierHint')} onInput={set('carrier')} />
        <FieldError error={error} field="carrier" />
      </label>
      <label>
        {t('transport.packedAt')}
        <input name="packedAt" value={f.packedAt} placeholder={t('transport.nowHint')} onInput={set('packedAt')} />
        <FieldError error={error} field="packedAt" />
      </label>
      <label>
        {t('transport.sealedAtField')}
        <input name="sealedAt" value={f.sealedAt} placeholder="2026-12-01 14:35" onInput={set('sealedAt')} />
        <FieldError error={error} field="sealedAt" />
      </label>
      {queued ? (
        <p class="entry-done queued" role="status">
          {t('offline.dispatchQueued')}
        </p>
      ) : (
        <button type="submit" class="dispatch" disabled={busy}>
          {t('plan.dispatch')}
        </button>
      )}
      {error && !error.field && <ErrorMessage error={error} />}
    </form>
  )
}

/** Whether a box temperature lies outside the component's transport range (null: not typed yet). */
function outOfRange(tr: Transfer, temp: number | undefined): boolean {
  if (temp === undefined || Number.isNaN(temp)) return false
  return (tr.transportMinC !== null && temp < tr.transportMinC) || (tr.transportMaxC !== null && temp > tr.transportMaxC)
}

/**
 * The receiving station takes the box in: units that arrived, the box temperature (its allowed range beside it), the
 * seal, and any units refused with a reason. A short or refused receipt asks first, saying what will be recorded; a box
 * outside its range asks first too, saying every unit will be discarded.
 */
export function ReceiveForm({ tr, onDone }: { tr: Transfer; onDone: () => void }) {
  const t = useT()
  const [f, setF] = useState({ receivedQty: String(tr.qty), temperatureC: '', sealIntact: true, rejectedQty: '0', rejectReason: '', arrivedAt: '' })
  const { busy, error, run } = useAction()
  const [confirming, setConfirming] = useState(false)
  const [queued, setQueued] = useState(false)
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })
  const received = num(f.receivedQty) ?? 0
  const rejected = num(f.rejectedQty) ?? 0
  const warm = outOfRange(tr, num(f.temperatureC))
  const range = rangeText(tr)
  const send = async () => {
    setConfirming(false)
    await run(async () => {
      const body = {
        receivedQty: num(f.receivedQty),
        temperatureC: num(f.temperatureC),
        sealIntact: f.sealIntact,
        arrivedAt: whenOrNow(f.arrivedAt),
        ...(rejected ? { rejectedQty: rejected, rejectReason: f.rejectReason.trim() || undefined } : {}),
      }
      const r = await queuedWrite({
        kind: 'receive',
        siteId: tr.toSite,
        summary: `${tr.toSite} ← ${tr.fromSite} · ${received} ${t(`unit.${tr.component}`)}`,
        path: `/api/transfers/${encodeURIComponent(tr.id)}/receive`,
        body,
        idempotencyKey: idempotencyKey('receive'),
      })
      if (r.queued) setQueued(true)
      else onDone()
    })
  }
  const submit = (e: Event) => {
    e.preventDefault()
    if (received < tr.qty || rejected > 0 || warm) setConfirming(true)
    else void send()
  }
  return (
    <form class="transport-form receive-form" onSubmit={submit} noValidate data-transfer={tr.id}>
      <label>
        {t('transport.receivedQty', { qty: tr.qty })}
        <input name="receivedQty" type="number" inputMode="numeric" min={0} max={tr.qty} value={f.receivedQty} onInput={set('receivedQty')} />
        <FieldError error={error} field="receivedQty" />
      </label>
      <label>
        {t('transport.temperature')}
        <input
          name="temperatureC"
          type="number"
          inputMode="decimal"
          step="0.1"
          value={f.temperatureC}
          onInput={set('temperatureC')}
          aria-invalid={warm || undefined}
        />
        {range && (
          <span class={`meta range${warm ? ' out-of-range' : ''}`} data-range>
            {t(warm ? 'transport.rangeOut' : 'transport.range', { range })}
          </span>
        )}
        <FieldError error={error} field="temperatureC" />
      </label>
      <label class="check">
        <input name="sealIntact" type="checkbox" checked={f.sealIntact} onChange={(e) => setF({ ...f, sealIntact: (e.target as HTMLInputElement).checked })} />
        {t('transport.sealIntact')}
      </label>
      <label>
        {t('transport.rejectedQty')}
        <input name="rejectedQty" type="number" inputMode="numeric" min={0} value={f.rejectedQty} onInput={set('rejectedQty')} />
        <FieldError error={error} field="rejectedQty" />
      </label>
      <label>
        {t('transport.rejectReason')}
        <input name="rejectReason" value={f.rejectReason} onInput={set('rejectReason')} />
        <FieldError error={error} field="rejectReason" />
      </label>
      <label>
        {t('transport.arrivedAt')}
        <input name="arrivedAt" value={f.arrivedAt} placeholder={t('transport.nowHint')} onInput={set('arrivedAt')} />
        <FieldError error={error} field="arrivedAt" />
      </label>
      {queued && (
        <p class="entry-done queued" role="status">
          {t('offline.queued')}
        </p>
      )}
      {queued ? null : confirming ? (
        warm ? (
          <Confirm
            message={t('transport.confirmDiscard', {
              temp: f.temperatureC,
              range: range ?? '',
              n: received,
              unit: t(`unit.${tr.component}`),
              lost: Math.max(tr.qty - received, 0),
            })}
            yes={t('transport.discardYes')}
            busy={busy}
            onYes={send}
            onNo={() => setConfirming(false)}
          />
        ) : (
          <Confirm
            message={t('transport.confirmReceive', { accepted: Math.max(received - rejected, 0), rejected, lost: Math.max(tr.qty - received, 0) })}
            yes={t('plan.receive')}
            busy={busy}
            onYes={send}
            onNo={() => setConfirming(false)}
          />
        )
      ) : (
        <button type="submit" class="receive" disabled={busy}>
          {t('plan.receive')}
        </button>
      )}
      {error && !error.field && <ErrorMessage error={error} />}
    </form>
  )
}
