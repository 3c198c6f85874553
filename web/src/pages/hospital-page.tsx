import { useState } from 'preact/hooks'
import { ErrorMessage } from '../components/error-message/error-message'
import { LedgerForm, LEDGER_KINDS, type LedgerKind } from '../components/hospital/ledger-form'
import { HospitalLots } from '../components/hospital/hospital-lots'
import { OrderForm } from '../components/hospital/order-form'
import { OrderList } from '../components/hospital/order-list'
import { StockTable } from '../components/stock-table/stock-table'
import { ReceiveForm } from '../components/transport-forms/transport-forms'
import { TransferBadge, TransportRecord } from '../components/transport-forms/transport-record'
import { group, num, siteName } from '../lib/format'
import type { Lot, Order } from '../lib/hospital-types'
import { useT } from '../lib/i18n'
import type { Site, StockRow, Transfer } from '../lib/types'
import { useApi } from '../lib/use-api'
import { useAppState } from '../state'
import '../components/hospital/hospital.css'

/**
 * A hospital blood bank's home (role 'hospital'), phone first: what it can record (a transfusion, a discard, a
 * return to its station), deliveries to take in, its orders and a form to order from its station, then its stock
 * lot by lot, soonest expiry first (a long list on a phone: last). Only its own hospital: the API answers 403 for anything else.
 */
export function HospitalPage() {
  const t = useT()
  const { me, lang } = useAppState()
  const siteId = me?.siteId ?? null
  const enc = encodeURIComponent(siteId ?? '')
  const siteQ = useApi<Site>(siteId ? `/api/sites/${enc}` : null)
  const stationId = siteQ.data?.parentId ?? null
  const stationQ = useApi<Site>(stationId ? `/api/sites/${encodeURIComponent(stationId)}` : null)
  const stockQ = useApi<{ rows: StockRow[] }>(siteId ? `/api/stock?site=${enc}` : null)
  const lotsQ = useApi<{ lots: Lot[] }>(siteId ? `/api/stock/lots?site=${enc}` : null)
  const ordersQ = useApi<{ orders: Order[] }>(siteId ? `/api/orders?hospital=${enc}` : null)
  const inQ = useApi<{ transfers: Transfer[] }>(siteId ? `/api/transfers?site=${enc}&direction=in` : null)
  const [open, setOpen] = useState<LedgerKind | null>(null)
  const stationName = siteName(stationQ.data ?? undefined, lang, stationId ?? '')
  const reload = () => {
    stockQ.reload()
    lotsQ.reload()
    ordersQ.reload()
    inQ.reload()
  }
  if (!siteId) return <p class="error">{t('hosp.noSite')}</p>
  const lots = (lotsQ.data?.lots ?? []).filter((l) => l.siteId === siteId && l.qty > 0)
  const rows = (stockQ.data?.rows ?? []).filter((r) => r.siteId === siteId)
  const deliveries = (inQ.data?.transfers ?? []).filter((tr) => tr.status === 'dispatched')
  return (
    <section class="hospital-page" data-site={siteId}>
      <h2>{t('hosp.title', { site: siteName(siteQ.data ?? undefined, lang, siteId) })}</h2>
      {stationId && <p class="meta">{t('hosp.suppliedBy', { station: stationName })}</p>}
      <ErrorMessage error={siteQ.error ?? stockQ.error ?? lotsQ.error ?? ordersQ.error ?? inQ.error} />

      <div class="ledger-buttons">
        {LEDGER_KINDS.filter((k) => k !== 'return' || stationId).map((k) => (
          <button
            key={k}
            type="button"
            class={`open-${k}${open === k ? ' active' : ''}`}
            aria-pressed={open === k}
            onClick={() => setOpen(open === k ? null : k)}
          >
            {t(`hosp.ledger.${k}`)}
          </button>
        ))}
      </div>
      {open && lotsQ.data && (
        <LedgerForm key={open} kind={open} siteId={siteId} stationName={stationName} lots={lots} onDone={reload} onClose={() => setOpen(null)} />
      )}

      <h3>{t('hosp.deliveries')}</h3>
      {deliveries.length === 0 ? (
        <p class="empty">{t('hosp.noDeliveries')}</p>
      ) : (
        <ul class="transfer-cards in">
          {deliveries.map((tr) => (
            <li key={tr.id} class="transfer-card delivery" data-transfer={tr.id} data-status={tr.status}>
              <div class="card-head">
                <TransferBadge tr={tr} />
                <strong>{t('station.from', { site: stationId === tr.fromSite ? stationName : tr.fromSite })}</strong>
                <span>
                  {t(`component.${tr.component}`)} {group(tr.abo, tr.rhd)} · {num(tr.qty, lang)} {t(`unit.${tr.component}`)}
                </span>
              </div>
              <TransportRecord tr={tr} />
              <ReceiveForm tr={tr} onDone={reload} />
            </li>
          ))}
        </ul>
      )}

      <h3>{t('hosp.orders')}</h3>
      {ordersQ.data && <OrderList orders={ordersQ.data.orders} side="hospital" canAct onDone={reload} empty={t('hosp.noOrders')} />}
      {stationId && <OrderForm siteId={siteId} stationName={stationName} onDone={reload} />}

      <h3>{t('hosp.stock')}</h3>
      {lotsQ.data && <HospitalLots lots={lots} />}
      {(stockQ.loading || lotsQ.loading) && !lotsQ.data && <p>{t('common.loading')}</p>}
      {stockQ.data && rows.length > 0 && (
        <details class="hospital-summary">
          <summary>{t('hosp.summary')}</summary>
          <StockTable rows={rows} />
        </details>
      )}
    </section>
  )
}
