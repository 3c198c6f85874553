import { useState } from 'preact/hooks'
import { api, idempotencyKey } from '../../lib/api'
import { dateTime, group, num } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Order } from '../../lib/hospital-types'
import { useAction } from '../../lib/use-action'
import { useAppState } from '../../state'
import { UrgencyBadge } from '../level-badge/level-badge'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage, FieldError } from '../error-message/error-message'

/** Open orders first, emergencies first, then the soonest needed. */
const rank = (o: Order) => (o.status === 'open' ? 0 : o.status === 'filled' ? 1 : 2) * 10 + (o.kind === 'emergency' ? 0 : 1)
export const sortOrders = (list: Order[]) => [...list].sort((a, b) => rank(a) - rank(b) || a.neededBy.localeCompare(b.neededBy))

/**
 * Orders as cards: what, how many (with the unit), for when, and their status. `side` says who reads: the hospital
 * may cancel its own open order; the station's director fills one (asking first, naming quantity, group and
 * hospital: what the click applies) or declines it with a reason. Nothing to act on for a reader (coordinator).
 */
export function OrderList({
  orders,
  side,
  canAct,
  onDone,
  empty,
}: {
  orders: Order[]
  side: 'hospital' | 'station'
  canAct: boolean
  onDone: () => void
  empty: string
}) {
  const t = useT()
  if (orders.length === 0) return <p class="empty">{empty}</p>
  return (
    <ul class={`order-cards ${side}`}>
      {sortOrders(orders).map((o) => (
        <OrderCard key={o.id} o={o} side={side} canAct={canAct} onDone={onDone} t={t} />
      ))}
    </ul>
  )
}

function OrderCard({
  o,
  side,
  canAct,
  onDone,
  t,
}: {
  o: Order
  side: 'hospital' | 'station'
  canAct: boolean
  onDone: () => void
  t: ReturnType<typeof useT>
}) {
  const { lang } = useAppState()
  const [asking, setAsking] = useState<'fill' | 'cancel' | 'decline' | null>(null)
  const [reason, setReason] = useState('')
  const [box, setBox] = useState({ temperatureC: '', carrier: '' })
  // a hospital without an English name keeps its Chinese one: it is a proper name
  const hospital = (lang === 'en' && o.hospitalNameEn) || o.hospitalNameZh
  const { busy, error, run } = useAction()
  const what = `${t(`component.${o.component}`)} ${group(o.abo, o.rhd)} ${num(o.qty, lang)} ${t(`unit.${o.component}`)}`
  const act = async (path: string, body: unknown) => {
    const ok = await run(() => api(path, { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey(`order-${o.id}`) } }))
    if (ok) {
      setAsking(null)
      onDone()
    }
  }
  const base = `/api/orders/${encodeURIComponent(o.id)}`
  return (
    <li class={`order-card kind-${o.kind}`} data-order={o.id} data-status={o.status} data-kind={o.kind}>
      <div class="card-head">
        <UrgencyBadge urgency={o.kind} />
        <span class={`badge status status-${o.status}`} data-status={o.status}>
          {t(`hosp.orderStatus.${o.status}`)}
        </span>
        {side === 'station' && <strong data-hospital={o.hospitalId}>{hospital}</strong>}
        <span class="what">{what}</span>
      </div>
      <p class="meta">
        {t('hosp.order.neededBy', { at: dateTime(o.neededBy, lang) })} · {t('hosp.order.placed', { at: dateTime(o.createdAt, lang) })}
        {o.note && <span> · {o.note}</span>}
        {o.reason && <span data-reason> · {o.reason}</span>}
      </p>
      {side === 'station' && o.status === 'open' && (
        <p class={`meta on-hand${o.stationOnHand < o.qty ? ' short' : ''}`} data-station-on-hand={o.stationOnHand}>
          {t(o.stationOnHand < o.qty ? 'hosp.fill.short' : 'hosp.fill.onHand', { n: num(o.stationOnHand, lang), unit: t(`unit.${o.component}`) })}
        </p>
      )}
      {o.receivedQty !== null && (
        <p class="meta" data-received={o.receivedQty}>
          {t('hosp.order.received', { n: num(o.receivedQty, lang), unit: t(`unit.${o.component}`) })}
        </p>
      )}
      {canAct && o.status === 'open' && side === 'station' && (
        <div class="order-actions">
          {asking === 'fill' ? (
            <div class="fill-box">
              <label>
                {t('transport.temperature')}
                <input
                  name="temperatureC"
                  type="number"
                  inputMode="decimal"
                  step="0.1"
                  value={box.temperatureC}
                  onInput={(e) => setBox({ ...box, temperatureC: (e.target as HTMLInputElement).value })}
                />
                <FieldError error={error} field="temperatureC" />
              </label>
              <label>
                {t('transport.carrier')}
                <input
                  name="carrier"
                  value={box.carrier}
                  placeholder={t('transport.carrierHint')}
                  onInput={(e) => setBox({ ...box, carrier: (e.target as HTMLInputElement).value })}
                />
                <FieldError error={error} field="carrier" />
              </label>
              <Confirm
                message={t('hosp.fill.confirm', { what, hospital })}
                yes={t('hosp.fill.yes')}
                busy={busy}
                onYes={() =>
                  void act(`${base}/fill`, {
                    temperatureC: box.temperatureC.trim() === '' ? undefined : Number(box.temperatureC),
                    carrier: box.carrier.trim() || undefined,
                  })
                }
                onNo={() => setAsking(null)}
              />
            </div>
          ) : asking === 'decline' ? (
            <div class="decline">
              <label>
                {t('hosp.decline.reason')}
                <input name="declineReason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
                <FieldError error={error} field="reason" />
              </label>
              <Confirm
                message={t('hosp.decline.confirm', { what, hospital })}
                yes={t('hosp.decline.yes')}
                busy={busy}
                onYes={() => void act(`${base}/decline`, { reason: reason.trim() })}
                onNo={() => setAsking(null)}
              />
            </div>
          ) : (
            <>
              <button type="button" class="fill" disabled={busy} onClick={() => setAsking('fill')}>
                {t('hosp.fill.button', { what })}
              </button>
              <button type="button" class="decline-open" disabled={busy} onClick={() => setAsking('decline')}>
                {t('hosp.decline.button')}
              </button>
            </>
          )}
        </div>
      )}
      {canAct && o.status === 'open' && side === 'hospital' && (
        <div class="order-actions">
          {asking === 'cancel' ? (
            <Confirm
              message={t('hosp.cancel.confirm', { what })}
              yes={t('hosp.cancel.yes')}
              busy={busy}
              onYes={() => void act(`${base}/cancel`, {})}
              onNo={() => setAsking(null)}
            />
          ) : (
            <button type="button" class="cancel-order" disabled={busy} onClick={() => setAsking('cancel')}>
              {t('hosp.cancel.button')}
            </button>
          )}
        </div>
      )}
      {error && !['reason', 'temperatureC', 'carrier'].includes(error.field ?? '') && <ErrorMessage error={error} />}
    </li>
  )
}
