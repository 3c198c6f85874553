import { ErrorMessage } from '../error-message/error-message'
import { LevelBadge } from '../level-badge/level-badge'
import { OrderList } from './order-list'
import { dateTime, days, num } from '../../lib/format'
import type { HospitalsView as View, Order, SiteFigures } from '../../lib/hospital-types'
import { useT } from '../../lib/i18n'
import { COMPONENTS } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import './hospital.css'

/**
 * The station's view of its hospitals (issue 23): every hospital's stock and days of supply by component, beside the
 * station's own and its storage points', hospitals in the API's risk order (lowest red-cell days first), levels
 * coloured as on the map; then the orders to fill. `canAct`: the station's director (or a coordinator acting for
 * it) fills and declines; anyone else who may read it sees it read-only.
 */
export function HospitalsView({ stationId, canAct }: { stationId: string; canAct: boolean }) {
  const t = useT()
  const enc = encodeURIComponent(stationId)
  const viewQ = useApi<View>(`/api/hospitals?station=${enc}`)
  const ordersQ = useApi<{ orders: Order[] }>(`/api/orders?station=${enc}`)
  const view = viewQ.data
  const orders = ordersQ.data?.orders ?? []
  const toFill = orders.filter((o) => o.status === 'open')
  const onTheWay = orders.filter((o) => o.status === 'filled')
  const reload = () => {
    viewQ.reload()
    ordersQ.reload()
  }
  return (
    <div class="hospitals-view" data-station={stationId}>
      <ErrorMessage error={viewQ.error ?? ordersQ.error} />
      <h3>{t('hosp.view.orders', { n: toFill.length })}</h3>
      {ordersQ.data && <OrderList orders={toFill} side="station" canAct={canAct} onDone={reload} empty={t('hosp.view.noOrders')} />}
      {onTheWay.length > 0 && (
        <>
          <h3>{t('hosp.view.onTheWay', { n: onTheWay.length })}</h3>
          <OrderList orders={onTheWay} side="station" canAct={false} onDone={reload} empty="" />
        </>
      )}
      {viewQ.loading && !view && <p>{t('common.loading')}</p>}
      {view && <FiguresTable view={view} />}
    </div>
  )
}

/** One row per site: the station and its storage points first (for comparison), then its hospitals by risk. */
function FiguresTable({ view }: { view: View }) {
  const t = useT()
  const { lang } = useAppState()
  const all = [view.station, ...view.storagePoints, ...view.hospitals]
  const components = COMPONENTS.filter((c) => all.some((s) => s.components.some((f) => f.component === c)))
  // a hospital without an English name keeps its Chinese one: it is a proper name
  const name = (s: SiteFigures) => (lang === 'en' && s.nameEn) || s.nameZh
  const row = (s: SiteFigures) => (
    <tr key={s.siteId} data-site={s.siteId} data-kind={s.kind} data-level={s.level} data-rbc-days={s.rbcDays ?? ''}>
      <td data-label={t('hosp.view.site')}>
        <strong>{name(s)}</strong> <span class="meta">{t(`kind.${s.kind}`)}</span>
      </td>
      <td data-label={t('stock.level')}>
        <LevelBadge level={s.level} />
      </td>
      {components.map((c) => {
        const f = s.components.find((x) => x.component === c)
        return (
          <td key={c} class={f ? 'num' : 'num none'} data-label={`${t(`component.${c}`)}`} data-component={c} data-days={f ? (f.daysOfSupply ?? 'none') : ''}>
            {f ? (
              <>
                <span class="on-hand">
                  {num(f.onHand, lang)} {t(`unit.${c}`)}
                </span>{' '}
                <span class={`badge days level-${f.level}`} data-level={f.level}>
                  {f.daysOfSupply === null ? t('hosp.view.noUse') : t('common.days', { n: days(f.daysOfSupply, lang) })}
                </span>
              </>
            ) : (
              '—'
            )}
          </td>
        )
      })}
      <td class="num" data-label={t('hosp.view.openOrders')}>
        {s.kind === 'hospital' ? num(s.openOrders, lang) : '—'}
      </td>
      <td class="when" data-label={t('hosp.view.lastReport')}>
        {dateTime(s.lastReportAt, lang)}
      </td>
    </tr>
  )
  return (
    <>
      <h3>{t('hosp.view.figures', { n: view.hospitals.length, days: view.days })}</h3>
      <div class="figures-wrap">
        <table class="figures cards">
          <thead>
            <tr>
              <th>{t('hosp.view.site')}</th>
              <th>{t('stock.level')}</th>
              {components.map((c) => (
                <th key={c} class="num">
                  {t(`component.${c}`)}
                  <br />
                  <span class="meta">{t('hosp.view.onHandDays')}</span>
                </th>
              ))}
              <th class="num">{t('hosp.view.openOrders')}</th>
              <th>{t('hosp.view.lastReport')}</th>
            </tr>
          </thead>
          <tbody>
            {row(view.station)}
            {view.storagePoints.map(row)}
            {view.hospitals.length === 0 ? (
              <tr>
                <td colSpan={components.length + 4} class="empty">
                  {t('home.noHospitals')}
                </td>
              </tr>
            ) : (
              view.hospitals.map(row)
            )}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** The station page's two tabs: the station itself, and its hospitals (the tab is in the URL, so it can be linked). */
export function StationTabs({ siteId, tab, ownStation }: { siteId: string; tab: 'station' | 'hospitals'; ownStation: boolean }) {
  const t = useT()
  const href = (to: string) => (ownStation ? `/station${to ? `?tab=${to}` : ''}` : `/station?site=${encodeURIComponent(siteId)}${to ? `&tab=${to}` : ''}`)
  // orders waiting, on the tab itself: seen from the station tab too (red when one is an emergency call)
  const openQ = useApi<{ orders: Order[] }>(`/api/orders?station=${encodeURIComponent(siteId)}&status=open`)
  const waiting = openQ.data?.orders ?? []
  const emergency = waiting.some((o) => o.kind === 'emergency')
  return (
    <nav class="tabs station-tabs" aria-label={t('hosp.tabs')}>
      <a href={href('')} class={tab === 'station' ? 'active' : ''} aria-current={tab === 'station' ? 'page' : undefined} data-tab="station">
        {t('hosp.tab.station')}
      </a>
      <a href={href('hospitals')} class={tab === 'hospitals' ? 'active' : ''} aria-current={tab === 'hospitals' ? 'page' : undefined} data-tab="hospitals">
        {t('hosp.tab.hospitals')}
        {waiting.length > 0 && (
          <span class={`badge ${emergency ? 'urgency-emergency' : 'status'}`} data-open-orders={waiting.length}>
            {' '}
            {t('hosp.tab.open', { n: waiting.length })}
          </span>
        )}
      </a>
    </nav>
  )
}
