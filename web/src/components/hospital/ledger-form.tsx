import { useState } from 'preact/hooks'
import { ApiCallError, idempotencyKey } from '../../lib/api'
import { dateTime, group } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Lot } from '../../lib/hospital-types'
import { useAction } from '../../lib/use-action'
import { queuedWrite } from '../../offline/queue'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage, FieldError } from '../error-message/error-message'

export type LedgerKind = 'transfusion' | 'discard' | 'return'
export const LEDGER_KINDS: LedgerKind[] = ['transfusion', 'discard', 'return']

/**
 * What a hospital's blood bank records against its own stock: a transfusion (an issue with reason 'transfusion'),
 * a discard (with why), or a return of units to its station (POST /api/hospitals/{id}/returns: a local transfer back, received at once). It asks
 * first, naming the lot, group and quantity and what the write does; writes go through the outbox (offline they
 * wait on the device with the Idempotency-Key they were given here).
 */
export function LedgerForm({
  kind,
  siteId,
  stationName,
  lots,
  onDone,
  onClose,
}: {
  kind: LedgerKind
  siteId: string
  stationName: string
  lots: Lot[]
  onDone: () => void
  onClose: () => void
}) {
  const t = useT()
  // soonest expiry first: the one to use first is at the top
  const usable = [...lots].filter((l) => l.qty > 0).sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
  const [f, setF] = useState({ lotId: usable[0]?.id ?? '', qty: '1', reason: '' })
  const [confirming, setConfirming] = useState(false)
  const [done, setDone] = useState<'queued' | 'sent' | null>(null)
  const { busy, error, setError, run } = useAction()
  const set = (k: keyof typeof f) => (e: Event) => {
    setF({ ...f, [k]: (e.target as HTMLInputElement).value })
    setConfirming(false)
    setDone(null)
  }
  // a lot used up meanwhile drops out of the list: the next to expire takes its place
  const lot = usable.find((l) => l.id === f.lotId) ?? usable[0]
  const qty = f.qty.trim() === '' ? undefined : Number(f.qty)
  const unit = t(`unit.${lot?.component ?? 'RBC'}`)
  const what = lot ? `${t(`component.${lot.component}`)} ${group(lot.abo, lot.rhd)} ${qty ?? '—'} ${unit}` : ''

  // the same checks the API makes, said before asking: the API stays the judge (and names the field)
  const check = (): ApiCallError | null => {
    // read like a schema's issue (lib/errors.ts issueKind): "数量不能大于 3", said by kind and limit in the page's language
    const bad = (field: string, message: string) => new ApiCallError(400, 'bad_request', message, field)
    if (!lot) return bad('lotId', 'Invalid input: expected string, received undefined')
    if (qty === undefined || Number.isNaN(qty)) return bad('qty', 'Invalid input: expected number, received undefined')
    if (!Number.isInteger(qty)) return bad('qty', 'Invalid input: expected int, received number')
    if (qty < 1) return bad('qty', 'Too small: expected number to be >=1')
    if (qty > lot.qty) return bad('qty', `Too big: expected number to be <=${lot.qty}`)
    if (kind === 'discard' && !f.reason.trim()) return bad('reason', 'Too small: expected string to have >=1 characters')
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
    if (!lot || qty === undefined) return
    const key = idempotencyKey(`${siteId.toLowerCase()}-${kind}`)
    const write =
      kind === 'return'
        ? { path: `/api/hospitals/${encodeURIComponent(siteId)}/returns`, body: { lotId: lot.id, qty, note: f.reason.trim() } }
        : kind === 'transfusion'
          ? { path: '/api/movements', body: { siteId, kind: 'issue', lotId: lot.id, qty, reason: 'transfusion', urgency: 'routine' } }
          : { path: '/api/movements', body: { siteId, kind: 'discard', lotId: lot.id, qty, reason: f.reason.trim() } }
    const ok = await run(async () => {
      const r = await queuedWrite({ kind, siteId, summary: `${lot.id} · ${what}`, ...write, idempotencyKey: key })
      setDone(r.queued ? 'queued' : 'sent')
    })
    if (ok) {
      setF({ ...f, qty: '1', reason: '' })
      onDone()
    }
  }
  return (
    <form class={`hospital-ledger ledger-${kind}`} data-kind={kind} onSubmit={submit} noValidate>
      <h4>{t(`hosp.ledger.${kind}`)}</h4>
      {usable.length === 0 ? (
        <p class="empty">{t('hosp.noLots')}</p>
      ) : (
        <>
          <label class="lot">
            {t('offline.lot')}
            <select name="lotId" value={lot?.id ?? ''} onChange={set('lotId')}>
              {usable.map((l) => (
                <option key={l.id} value={l.id}>
                  {t(`component.${l.component}`)} {group(l.abo, l.rhd)} · {l.qty} {t(`unit.${l.component}`)} ·{' '}
                  {t('offline.expires', { at: dateTime(l.expiresAt) })} · {l.id}
                </option>
              ))}
            </select>
            <FieldError error={error} field="lotId" />
          </label>
          <label>
            {t('offline.qty')}
            <span class="qty-unit">
              <input name="qty" type="number" inputMode="numeric" min={1} max={lot?.qty} value={f.qty} onInput={set('qty')} />
              <span class="unit">{unit}</span>
            </span>
            <FieldError error={error} field="qty" />
          </label>
          {kind !== 'transfusion' && (
            <label>
              {t(kind === 'discard' ? 'hosp.discardReason' : 'hosp.returnNote')}
              <input name="reason" value={f.reason} onInput={set('reason')} />
              <FieldError error={error} field={kind === 'discard' ? 'reason' : 'note'} />
            </label>
          )}
          {confirming ? (
            <Confirm
              message={t(`hosp.confirm.${kind}`, { what, lot: lot?.id ?? '', station: stationName })}
              yes={t(`hosp.do.${kind}`)}
              busy={busy}
              onYes={() => void send()}
              onNo={() => setConfirming(false)}
            />
          ) : (
            <button type="submit" class="record" disabled={busy}>
              {t(`hosp.do.${kind}`)}
            </button>
          )}
        </>
      )}
      <button type="button" class="link close" onClick={onClose}>
        {t('hosp.close')}
      </button>
      {done && (
        <p class={`entry-done ${done}`} role="status">
          {t(done === 'queued' ? 'offline.queued' : 'hosp.recorded')}
        </p>
      )}
      {error && !['lotId', 'qty', 'reason', 'note'].includes(error.field ?? '') && <ErrorMessage error={error} />}
    </form>
  )
}
