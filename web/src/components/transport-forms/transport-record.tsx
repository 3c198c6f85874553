import { dateTime } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Transfer } from '../../lib/types'
import { useAppState } from '../../state'
import { StatusBadge } from '../level-badge/level-badge'

/** A component's transport range in words: "2–10 °C", "≤ −18 °C", or null when the catalogue gives none. */
export function rangeText(tr: Pick<Transfer, 'transportMinC' | 'transportMaxC'>): string | null {
  const n = (x: number) => String(x).replace('-', '−')
  const { transportMinC: min, transportMaxC: max } = tr
  if (min !== null && max !== null) return `${n(min)}–${n(max)} °C`
  if (max !== null) return `≤ ${n(max)} °C`
  if (min !== null) return `≥ ${n(min)} °C`
  return null
}

/** What happened to the box once received: all discarded, partly accepted, or in stock — said as what it is. */
export function outcomeOf(tr: Transfer): 'discarded' | 'partly' | 'received' | null {
  const r = tr.transport.receipt
  if (tr.status !== 'received' || !r) return null
  if (r.acceptedQty === 0) return 'discarded'
  if (r.rejectedQty > 0 || (tr.lostQty ?? 0) > 0) return 'partly'
  return 'received'
}

/** The transfer's status badge; a received box that was discarded or only partly accepted says so, never plain "received". */
export function TransferBadge({ tr }: { tr: Transfer }) {
  const t = useT()
  const outcome = outcomeOf(tr)
  if (outcome === 'discarded' || outcome === 'partly')
    return (
      <span class={`badge status status-${outcome}`} data-status={tr.status}>
        {t(`transport.badge.${outcome}`)}
      </span>
    )
  return <StatusBadge status={tr.status} />
}

/** What the boxes' records say: dispatch temperature, carrier, times; receipt temperature, seal, accepted and rejected units. */
export function TransportRecord({ tr }: { tr: Transfer }) {
  const t = useT()
  const { lang } = useAppState()
  const d = tr.transport.dispatch
  const r = tr.transport.receipt
  if (!d && !r) return null
  const outcome = outcomeOf(tr)
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
      {r && outcome === 'discarded' && (
        <p class="outcome outcome-discarded" data-outcome="discarded">
          {r.inRange
            ? t('transport.outcome.discarded', { n: r.rejectedQty, unit: t(`unit.${tr.component}`), reason: r.rejectReason ?? '' })
            : t('transport.outcome.discardedWarm', { n: r.rejectedQty, unit: t(`unit.${tr.component}`), temp: r.temperatureC, range: rangeText(tr) ?? '' })}
        </p>
      )}
    </div>
  )
}
