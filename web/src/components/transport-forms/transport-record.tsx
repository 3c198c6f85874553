import { dateTime } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Transfer } from '../../lib/types'
import { useAppState } from '../../state'

/** What the boxes' records say: dispatch temperature, carrier, times; receipt temperature, seal, accepted and rejected units. */
export function TransportRecord({ tr }: { tr: Transfer }) {
  const t = useT()
  const { lang } = useAppState()
  const d = tr.transport.dispatch
  const r = tr.transport.receipt
  if (!d && !r) return null
  return (
    <div class="transport-record" data-transport={tr.id}>
      {d && (
        <span class="meta" data-dispatch-temp={d.temperatureC}>
          {t('transport.dispatched', { at: dateTime(d.at, lang), temp: d.temperatureC })}
          {d.carrier ? ` · ${d.carrier}` : ''}
          {d.sealedAt ? ` · ${t('transport.sealedAt', { at: dateTime(d.sealedAt, lang) })}` : ''}
        </span>
      )}
      {r && (
        <span class={`meta${r.inRange ? '' : ' out-of-range'}`} data-receipt-temp={r.temperatureC} data-accepted={r.acceptedQty} data-rejected={r.rejectedQty}>
          {t('transport.received', { at: dateTime(r.arrivedAt ?? r.at, lang), temp: r.temperatureC, accepted: r.acceptedQty, rejected: r.rejectedQty })}
          {r.sealIntact === false ? ` · ${t('transport.sealBroken')}` : ''}
          {!r.inRange ? ` · ${t('transport.outOfRange')}` : r.rejectReason ? ` · ${r.rejectReason}` : ''}
          {tr.lostQty ? ` · ${t('transport.lost', { n: tr.lostQty })}` : ''}
        </span>
      )}
    </div>
  )
}
