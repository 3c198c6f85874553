import { useLocation } from 'preact-iso'
import { ErrorMessage } from '../components/error-message/error-message'
import { UrgencyBadge } from '../components/level-badge/level-badge'
import { DispatchForm, ReceiveForm } from '../components/transport-forms/transport-forms'
import { TransferBadge, TransportRecord } from '../components/transport-forms/transport-record'
import { ThawStep } from '../components/transport-forms/thaw-step'
import { StockTable } from '../components/stock-table/stock-table'
import { dateTime, group, hours, num, requestReason, siteName } from '../lib/format'
import { useT } from '../lib/i18n'
import type { Level, Site, StockRow, Transfer, WarningRow } from '../lib/types'
import { useApi } from '../lib/use-api'
import { StockEntry } from '../offline/stock-entry'
import { useAppState } from '../state'
import { canWriteSite } from '../lib/roles'
import { HospitalsView, StationTabs } from '../components/hospital/hospitals-view'

const NO_SITES: Site[] = []

/** GET /api/network/{site}: the station's storage points and the hospitals it supplies. */
type Hospital = { id: string; siteId: string; nameZh: string; nameEn: string; county: string }
type Network = { stationId: string; storagePoints: { id: string; nameZh: string; nameEn: string; city: string }[]; hospitals: Hospital[] }
const ACTIVE = new Set(['committed', 'dispatched'])

/**
 * A station at a glance, and a director's home: its stock, what is coming (committed at the donor, or on the way,
 * with its ETA and whom it serves; received here, in full or short), what is leaving (to pack and dispatch), and
 * the hospitals and storage points it supplies. A director sees their own station; a coordinator or admin picks one.
 */
export function StationPage() {
  const t = useT()
  const { me, lang } = useAppState()
  const { query, route } = useLocation()
  const siteId = me?.role === 'director' ? me.siteId : (query.site ?? null)
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const externalQ = useApi<{ sites: Site[] }>('/api/sites?external=only')
  const inQ = useApi<{ transfers: Transfer[] }>(siteId ? `/api/transfers?site=${siteId}&direction=in` : null)
  const outQ = useApi<{ transfers: Transfer[] }>(siteId ? `/api/transfers?site=${siteId}&direction=out` : null)
  const stockQ = useApi<{ rows: StockRow[] }>(siteId ? `/api/stock?site=${encodeURIComponent(siteId)}` : null)
  const warnQ = useApi<{ warnings: WarningRow[] }>(siteId ? `/api/warnings?site=${encodeURIComponent(siteId)}` : null)
  const netQ = useApi<Network>(siteId ? `/api/network/${encodeURIComponent(siteId)}` : null)
  const componentLevels: Record<string, Level> = {}
  for (const w of warnQ.data?.warnings ?? []) if (w.siteId === siteId && w.abo === '*') componentLevels[w.component] = w.level
  const stockRows = (stockQ.data?.rows ?? []).filter((r) => !r.siteId || r.siteId === siteId)
  const sites = sitesQ.data?.sites ?? NO_SITES
  // a transfer from or to a site outside this system (another province's station) is named too
  const byId = new Map([...(externalQ.data?.sites ?? NO_SITES), ...sites].map((s) => [s.id, s]))
  const reload = () => {
    inQ.reload()
    outQ.reload()
  }
  const visible = (list: Transfer[] | undefined) => (list ?? []).filter((tr) => ACTIVE.has(tr.status) || tr.status === 'received')
  const incoming = visible(inQ.data?.transfers)
  const outgoing = visible(outQ.data?.transfers)
  const canDispatch = canWriteSite(me, siteId)
  // the hospitals tab: the director's own hospitals to fill orders for; anyone else who may read it, read-only
  const tab = query.tab === 'hospitals' ? 'hospitals' : 'station'
  const ownStation = me?.role === 'director' && me.siteId === siteId
  return (
    <section class="station-page">
      <h2>{t('station.title', { site: siteName(byId.get(siteId ?? ''), lang, siteId ?? '') })}</h2>
      {me?.role !== 'director' && (
        <label class="toolbar">
          {t('req.site')}
          <select name="site" value={siteId ?? ''} onChange={(e) => route(`/station?site=${(e.target as HTMLSelectElement).value}`)}>
            <option value="">—</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {siteName(s, lang, s.id)}
              </option>
            ))}
          </select>
        </label>
      )}
      {siteId && (
        <a class="sheet-link" href={`/sheet?site=${siteId}`}>
          {t('sheet.open')}
        </a>
      )}
      <ErrorMessage error={inQ.error ?? outQ.error ?? sitesQ.error ?? stockQ.error ?? netQ.error} />
      {siteId && <StationTabs siteId={siteId} tab={tab} ownStation={ownStation} />}
      {siteId && tab === 'hospitals' && <HospitalsView stationId={siteId} canAct={ownStation} />}
      {siteId && tab === 'station' && canDispatch && <StockEntry siteId={siteId} />}
      {siteId && tab === 'station' && (
        <>
          <h3>{t('station.incoming')}</h3>
          <TransferCards list={incoming} side="in" sites={byId} canAct={canDispatch} onDone={reload} empty={t('station.noIncoming')} />
          <h3>{t('station.outgoing')}</h3>
          <TransferCards list={outgoing} side="out" sites={byId} canAct={canDispatch} onDone={reload} empty={t('station.noOutgoing')} />
          {/* after the transfers, which ask for action: on a phone the stock is a long list of cards */}
          <h3>{t('home.stock')}</h3>
          <div class="station-stock">
            {stockQ.data !== null && <StockTable rows={stockRows} componentLevels={componentLevels} />}
            {stockQ.loading && !stockQ.data && <p>{t('common.loading')}</p>}
          </div>
          {netQ.data && <Hospitals net={netQ.data} />}
        </>
      )}
    </section>
  )
}

function TransferCards({
  list,
  side,
  sites,
  canAct,
  onDone,
  empty,
}: {
  list: Transfer[]
  side: 'in' | 'out'
  sites: Map<string, Site>
  canAct: boolean
  onDone: () => void
  empty: string
}) {
  const t = useT()
  const { lang } = useAppState()
  if (list.length === 0) return <p class="empty">{empty}</p>
  const order = (tr: Transfer) => (tr.status === 'received' ? 1 : 0)
  return (
    <ul class={`transfer-cards ${side}`}>
      {[...list]
        .sort((a, b) => order(a) - order(b) || (a.requests[0]?.urgency ?? '').localeCompare(b.requests[0]?.urgency ?? ''))
        .map((tr) => {
          const other = side === 'in' ? tr.fromSite : tr.toSite
          // once on the road the thawing is done: a planner's etaHours counts it (thawHours), the road does not
          const eta = tr.dispatchedAt ? new Date(Date.parse(tr.dispatchedAt) + (tr.etaHours - (tr.thawHours ?? 0)) * 3_600_000).toISOString() : null
          return (
            <li key={tr.id} class="transfer-card" data-transfer={tr.id} data-status={tr.status}>
              <div class="card-head">
                <TransferBadge tr={tr} />
                <strong>{t(side === 'in' ? 'station.from' : 'station.to', { site: siteName(sites.get(other), lang, other) })}</strong>
                <span>
                  {t(`component.${tr.component}`)} {group(tr.abo, tr.rhd)} · {num(tr.qty, lang)} {t(`unit.${tr.component}`)}
                </span>
                <span class="meta">{eta ? t('station.eta', { at: dateTime(eta, lang) }) : hours(tr.etaHours, lang)}</span>
              </div>
              <ul class="serves">
                {tr.requests.map((r) => (
                  <li key={r.requestId} data-request={r.requestId}>
                    <UrgencyBadge urgency={r.urgency} /> {siteName(sites.get(r.siteId), lang, r.siteId)} · {r.qty}/{r.requestQty} ·{' '}
                    {requestReason(r.reason, lang)}
                    {r.antigens && <span class="badge antigens"> {r.antigens}</span>}
                    {r.neededBy && <span class="meta"> · {t('review.deadline', { at: dateTime(r.neededBy, lang) })}</span>}
                  </li>
                ))}
              </ul>
              <TransportRecord tr={tr} />
              {tr.status !== 'received' && <ThawStep tr={tr} canAct={canAct && side === 'out'} onDone={onDone} />}
              {canAct && side === 'out' && tr.status === 'committed' && (!tr.frozen || tr.thawedAt) && <DispatchForm tr={tr} onDone={onDone} />}
              {canAct && side === 'in' && tr.status === 'dispatched' && <ReceiveForm tr={tr} onDone={onDone} />}
              {side === 'in' && tr.status === 'committed' && <p class="meta">{t('station.awaitingDispatch')}</p>}
            </li>
          )
        })}
    </ul>
  )
}

/** The hospitals the station supplies (the API's register) and its county storage points (储血点). */
function Hospitals({ net }: { net: Network }) {
  const t = useT()
  const { lang } = useAppState()
  // a hospital without an English name keeps its Chinese one: it is a proper name
  const name = (h: { nameZh: string; nameEn: string }) => (lang === 'en' && h.nameEn) || h.nameZh
  return (
    <div class="station-network">
      <h3>{t('home.hospitals', { n: net.hospitals.length })}</h3>
      {net.hospitals.length === 0 ? (
        <p class="empty">{t('home.noHospitals')}</p>
      ) : (
        <ul class="hospital-list">
          {net.hospitals.map((h) => (
            <li key={h.id} data-hospital={h.id}>
              {name(h)}
              {h.county && <span class="meta"> · {h.county}</span>}
            </li>
          ))}
        </ul>
      )}
      {net.storagePoints.length > 0 && (
        <>
          <h3>{t('home.storagePoints')}</h3>
          <ul class="storage-list">
            {net.storagePoints.map((p) => (
              <li key={p.id} data-site={p.id}>
                <a href={`/sites/${p.id}`}>{name(p)}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
