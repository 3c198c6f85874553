import { useEffect, useState } from 'preact/hooks'
import { Confirm } from '../components/confirm/confirm'
import { ApiCallError } from '../lib/api'
import { errorText } from '../lib/errors'
import { dateTime } from '../lib/format'
import { useT } from '../lib/i18n'
import { useAppState } from '../state'
import { ageText, useFreshness, useOnline } from './freshness'
import { dismiss, resolveConflict, sync, useOutbox } from './queue'
import type { Outgoing } from './store'
import './offline.css'

/**
 * Above every page: offline (or the server unreachable), how old this page's data is; and the writes kept on this
 * device: waiting to send, refused by the server with its reason, or a count that met a changed lot (the person
 * chooses). Signing out forgets the cached API answers, so the next person on the device never sees them.
 */
export function OfflineBar() {
  const t = useT()
  const { token } = useAppState()
  const online = useOnline()
  const oldest = useFreshness()
  const outbox = useOutbox()
  useEffect(() => {
    if (!token && 'caches' in window) void caches.delete('bd-api')
  }, [token])
  const waiting = outbox.filter((o) => o.state === 'waiting')
  if (online && !oldest && outbox.length === 0) return null
  return (
    <section class="offline-bar" data-online={online ? 'yes' : 'no'} aria-live="polite">
      {(!online || oldest) && (
        <p class="offline-status">
          <strong>{t(online ? 'offline.unreachable' : 'offline.offline')}</strong>{' '}
          {oldest ? (
            <span class="data-age" data-fetched-at={oldest}>
              {t('offline.dataAsOf', { at: dateTime(oldest), age: ageText(oldest, t) })}
            </span>
          ) : (
            <span>{t('offline.noCache')}</span>
          )}
        </p>
      )}
      {waiting.length > 0 && (
        <p class="outbox-count" data-waiting={waiting.length}>
          {t('offline.waitingCount', { n: waiting.length })}
          {online && (
            <button type="button" class="send-now" onClick={() => void sync()}>
              {t('offline.sendNow')}
            </button>
          )}
        </p>
      )}
      {outbox.length > 0 && (
        <ol class="outbox">
          {outbox.map((o) => (
            <OutboxItem key={o.id} o={o} />
          ))}
        </ol>
      )}
    </section>
  )
}

function OutboxItem({ o }: { o: Outgoing }) {
  const t = useT()
  const [asking, setAsking] = useState(false)
  const refusal = o.refusal && new ApiCallError(o.refusal.status, o.refusal.code, o.refusal.message, o.refusal.field)
  return (
    <li class={`outbox-item ${o.state}`} data-state={o.state} data-kind={o.kind} data-key={o.idempotencyKey}>
      <span class="badge">{t(`offline.state.${o.state}`)}</span>{' '}
      <span>
        {t(`offline.kind.${o.kind}`)} · {o.summary}
      </span>{' '}
      <span class="meta">{t('offline.typedAt', { at: dateTime(o.createdAt) })}</span>
      {refusal && (
        <div class="refusal" role="alert" data-code={refusal.code}>
          <p>
            {t('offline.refused', { status: refusal.status })} {errorText(refusal, t)}
          </p>
          <p class="meta server-reason">{t('offline.serverSaid', { message: refusal.message })}</p>
          {asking ? (
            <Confirm
              message={t('offline.dismissConfirm', { what: o.summary })}
              yes={t('offline.dismiss')}
              onYes={() => void dismiss(o)}
              onNo={() => setAsking(false)}
            />
          ) : (
            <button type="button" class="dismiss" onClick={() => setAsking(true)}>
              {t('offline.dismiss')}
            </button>
          )}
        </div>
      )}
      {o.state === 'conflict' && (
        <div class="conflict" role="alert">
          <p>{t('offline.conflict', { seen: o.seenQty ?? '—', now: o.nowQty ?? '—', counted: (o.body as { countedQty: number }).countedQty })}</p>
          <button type="button" class="keep-mine" onClick={() => void resolveConflict(o, true)}>
            {t('offline.keepMine', { counted: (o.body as { countedQty: number }).countedQty })}
          </button>{' '}
          <button type="button" class="keep-server" onClick={() => void resolveConflict(o, false)}>
            {t('offline.keepServer', { now: o.nowQty ?? '—' })}
          </button>
        </div>
      )}
    </li>
  )
}
