import { useState } from 'preact/hooks'
import { ErrorMessage, FieldError } from '../components/error-message/error-message'
import { ApiCallError, idempotencyKey } from '../lib/api'
import { dateTime, group, localInput, parseLocal } from '../lib/format'
import { useT } from '../lib/i18n'
import { SHELF_DAYS } from '../../../solver/domain'
import type { Component } from '../lib/types'
import { useApi } from '../lib/use-api'
import { queuedWrite } from './queue'
import { useAction } from '../lib/use-action'
import { BloodTypeFields } from '../components/blood-type-fields/blood-type-fields'

type Lot = { id: string; component: Component; abo: string; rhd: string; qty: number; expiresAt: string }
type Kind = 'receipt' | 'issue' | 'discard' | 'count'

/** Shelf life by component (docs/domain-facts.md), to prefill a receipt's expiry; the person can change it. */
const expiryFor = (c: Component) => localInput(SHELF_DAYS[c] * 24)

/**
 * A station records its own stock: a receipt (a new lot), an issue to a hospital, a discard, or a count of a lot.
 * Each write is given its Idempotency-Key when typed and goes through the outbox (offline/queue.ts): sent at once
 * online, kept on the device and marked "waiting to send" offline.
 */
export function StockEntry({ siteId }: { siteId: string }) {
  const t = useT()
  const lotsQ = useApi<{ lots: Lot[] }>(`/api/stock/lots?site=${encodeURIComponent(siteId)}`)
  const lots = lotsQ.data?.lots ?? []
  const [kind, setKind] = useState<Kind>('receipt')
  const [f, setF] = useState({
    component: 'RBC' as Component,
    abo: 'O',
    rhd: '+',
    qty: '',
    lotId: '',
    expiresAt: expiryFor('RBC'),
    urgency: 'routine',
    reason: '',
  })
  const [done, setDone] = useState<'queued' | 'sent' | null>(null)
  const { busy, error, setError, run } = useAction()
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })
  const lot = lots.find((l) => l.id === f.lotId)
  const qty = f.qty.trim() === '' ? undefined : Number(f.qty)

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setDone(null)
    if (kind !== 'receipt' && !lot) return setError(new ApiCallError(400, 'invalid_input', 'Pick a lot', 'lotId'))
    const unit = t(`unit.${kind === 'receipt' ? f.component : lot!.component}`)
    const what =
      kind === 'receipt'
        ? `${t(`component.${f.component}`)} ${group(f.abo, f.rhd)} ${qty ?? '—'} ${unit}`
        : `${lot!.id} · ${kind === 'count' ? t('offline.countedAs', { n: qty ?? '—', unit }) : `${qty ?? '—'} ${unit}`}`
    const body =
      kind === 'receipt'
        ? {
            siteId,
            kind,
            component: f.component,
            abo: f.abo,
            rhd: f.rhd,
            antigens: [],
            qty,
            collectedAt: new Date().toISOString(),
            expiresAt: parseLocal(f.expiresAt) ?? f.expiresAt,
            reason: f.reason.trim(),
          }
        : kind === 'count'
          ? { siteId, kind: 'adjust', lotId: lot!.id, countedQty: qty, reason: f.reason.trim() || 'stock count' }
          : kind === 'issue'
            ? { siteId, kind, lotId: lot!.id, qty, urgency: f.urgency, reason: f.reason.trim() }
            : { siteId, kind, lotId: lot!.id, qty, reason: f.reason.trim() }
    await run(async () => {
      const r = await queuedWrite({
        kind,
        siteId,
        summary: what,
        path: '/api/movements',
        body,
        idempotencyKey: idempotencyKey(`${siteId.toLowerCase()}-${kind}`),
        ...(kind === 'count' ? { seenQty: lot!.qty } : {}),
      })
      setDone(r.queued ? 'queued' : 'sent')
      setF({ ...f, qty: '', reason: '' })
      if (!r.queued) lotsQ.reload()
    })
  }

  return (
    <form class="stock-entry" onSubmit={submit} noValidate>
      <h3>{t('offline.entryTitle')}</h3>
      <label>
        {t('offline.entryKind')}
        <select
          name="kind"
          value={kind}
          onChange={(e) => {
            setKind((e.target as HTMLSelectElement).value as Kind)
            setDone(null)
          }}
        >
          {(['receipt', 'issue', 'discard', 'count'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`offline.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {kind === 'receipt' ? (
        <>
          <BloodTypeFields
            value={f}
            componentLabel={t('offline.component')}
            // a new component proposes its own shelf life as the expiry
            onChange={(k) =>
              k === 'component'
                ? (e) => {
                    const c = (e.target as HTMLSelectElement).value as Component
                    setF({ ...f, component: c, expiresAt: expiryFor(c) })
                  }
                : set(k)
            }
          />
          <label>
            {t('offline.expiresAt')}
            <input name="expiresAt" value={f.expiresAt} placeholder="2026-12-31 14:30" onInput={set('expiresAt')} />
            <FieldError error={error} field="expiresAt" />
          </label>
        </>
      ) : (
        <label>
          {t('offline.lot')}
          <select name="lotId" value={f.lotId} onChange={set('lotId')}>
            <option value="">—</option>
            {lots.map((l) => (
              <option key={l.id} value={l.id}>
                {l.id} · {t(`component.${l.component}`)} {group(l.abo, l.rhd)} · {l.qty} {t(`unit.${l.component}`)} ·{' '}
                {t('offline.expires', { at: dateTime(l.expiresAt) })}
              </option>
            ))}
          </select>
          <FieldError error={error} field="lotId" />
        </label>
      )}
      <label>
        {t(kind === 'count' ? 'offline.countedQty' : 'offline.qty')}
        <input name="qty" type="number" inputMode="numeric" min={kind === 'count' ? 0 : 1} value={f.qty} onInput={set('qty')} />
        <span class="unit">{t(`unit.${kind === 'receipt' ? f.component : (lot?.component ?? 'RBC')}`)}</span>
        <FieldError error={error} field={kind === 'count' ? 'countedQty' : 'qty'} />
      </label>
      {kind === 'issue' && (
        <label>
          {t('offline.urgency')}
          <select name="urgency" value={f.urgency} onChange={set('urgency')}>
            {['emergency', 'urgent', 'routine'].map((u) => (
              <option key={u} value={u}>
                {t(`urgency.${u}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('offline.reason')}
        <input name="reason" value={f.reason} onInput={set('reason')} />
        <FieldError error={error} field="reason" />
      </label>
      <button type="submit" class="record" disabled={busy}>
        {t('offline.record')}
      </button>
      {done && (
        <p class={`entry-done ${done}`} role="status">
          {t(done === 'queued' ? 'offline.queued' : 'offline.sent')}
        </p>
      )}
      {error && !error.field && <ErrorMessage error={error} />}
    </form>
  )
}
