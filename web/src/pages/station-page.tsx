import { useLocation } from 'preact-iso'
import { ErrorMessage } from '../components/error-message/error-message'
import { StatusBadge, UrgencyBadge } from '../components/level-badge/level-badge'
import { DispatchForm, ReceiveForm } from '../components/transport-forms/transport-forms'
import { TransportRecord } from '../components/transport-forms/transport-record'
import { dateTime, group, num, siteName } from '../lib/format'
import { useT } from '../lib/i18n'
import type { Site, Transfer } from '../lib/types'
import { useApi } from '../lib/use-api'
import { StockEntry } from '../offline/stock-entry'
import { useAppState } from '../state'

const NO_SITES: Site[] = []
const ACTIVE = new Set(['committed', 'dispatched'])

/**
 * A station's own transfers: what is coming (committed at the donor, or on the way, with its ETA and whom it
 * serves; received here, in full or short) and what is leaving (to pack and dispatch). A director sees their own
 * station; a coordinator or admin picks one.
 */
export function StationPage() {
  const t = useT()
  const { me, lang } = useAppState()
  const { query, route } = useLocation()
  const siteId = me?.role === 'director' ? me.siteId : (query.site ?? null)
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const inQ = useApi<{ transfers: Transfer[] }>(siteId ? `/api/transfers?site=${siteId}&direction=in` : null)
  const outQ = useApi<{ transfers: Transfer[] }>(siteId ? `/api/transfers?site=${siteId}&direction=out` : null)
  const sites = sitesQ.data?.sites ?? NO_SITES
  const byId = new Map(sites.map((s) => [s.id, s]))
  const reload = () => { inQ.reload(); outQ.reload() }
  const visible = (list: Transfer[] | undefined) => (list ?? []).filter((tr) => ACTIVE.has(tr.status) || tr.status === 'received')
  const incoming = visible(inQ.data?.transfers)
  const outgoing = visible(outQ.data?.transfers)
  const canDispatch = me?.role === 'coordinator' || me?.role === 'admin' || (me?.role === 'director' && me.siteId === siteId)
  return (
    <section class="station-page">
      <h2>{t('station.title', { site: siteName(byId.get(siteId ?? ''), lang, siteId ?? '') })}</h2>
      {me?.role !== 'director' && (
        <label class="toolbar">
          {t('req.site')}
          <select name="site" value={siteId ?? ''} onChange={(e) => route(`/station?site=${(e.target as HTMLSelectElement).value}`)}>
            <option value="">—</option>
            {sites.map((s) => <option key={s.id} value={s.id}>{siteName(s, lang, s.id)}</option>)}
          </select>
        </label>
      )}
      {siteId && <a class="sheet-link" href={`/sheet?site=${siteId}`}>{t('sheet.open')}</a>}
      <ErrorMessage error={inQ.error ?? outQ.error ?? sitesQ.error} />
      {siteId && canDispatch && <StockEntry siteId={siteId} />}
      {siteId && (
        <>
          <h3>{t('station.incoming')}</h3>
          <TransferCards list={incoming} side="in" sites={byId} canAct={canDispatch} onDone={reload} empty={t('station.noIncoming')} />
          <h3>{t('station.outgoing')}</h3>
          <TransferCards list={outgoing} side="out" sites={byId} canAct={canDispatch} onDone={reload} empty={t('station.noOutgoing')} />
        </>
      )}
    </section>
  )
}

function TransferCards({ list, side, sites, canAct, onDone, empty }: {
  list: Transfer[]; side: 'in' | 'out'; sites: Map<string, Site>; canAct: boolean; onDone: () => void; empty: string
}) {
  const t = useT()
  const { lang } = useAppState()
  if (list.length === 0) return <p class="empty">{empty}</p>
  const order = (tr: Transfer) => (tr.status === 'received' ? 1 : 0)
  return (
    <ul class={`transfer-cards ${side}`}>
      {[...list].sort((a, b) => order(a) - order(b) || (a.requests[0]?.urgency ?? '').localeCompare(b.requests[0]?.urgency ?? '')).map((tr) => {
        const other = side === 'in' ? tr.fromSite : tr.toSite
        const eta = tr.dispatchedAt ? new Date(Date.parse(tr.dispatchedAt) + tr.etaHours * 3_600_000).toISOString() : null
        return (
          <li key={tr.id} class="transfer-card" data-transfer={tr.id} data-status={tr.status}>
            <div class="card-head">
              <StatusBadge status={tr.status} />
              <strong>{t(side === 'in' ? 'station.from' : 'station.to', { site: siteName(sites.get(other), lang, other) })}</strong>
              <span>{t(`component.${tr.component}`)} {group(tr.abo, tr.rhd)} · {num(tr.qty, lang)} {t(`unit.${tr.component}`)}</span>
              <span class="meta">{eta ? t('station.eta', { at: dateTime(eta, lang) }) : t('common.hours', { n: num(tr.etaHours, lang, 1) })}</span>
            </div>
            <ul class="serves">
              {tr.requests.map((r) => (
                <li key={r.requestId} data-request={r.requestId}>
                  <UrgencyBadge urgency={r.urgency} /> {siteName(sites.get(r.siteId), lang, r.siteId)} · {r.qty}/{r.requestQty} · {r.reason}
                  {r.antigens && <span class="badge antigens"> {r.antigens}</span>}
                  {r.neededBy && <span class="meta"> · {t('review.deadline', { at: dateTime(r.neededBy, lang) })}</span>}
                </li>
              ))}
            </ul>
            <TransportRecord tr={tr} />
            {canAct && side === 'out' && tr.status === 'committed' && <DispatchForm tr={tr} onDone={onDone} />}
            {canAct && side === 'in' && tr.status === 'dispatched' && <ReceiveForm tr={tr} onDone={onDone} />}
            {side === 'in' && tr.status === 'committed' && <p class="meta">{t('station.awaitingDispatch')}</p>}
          </li>
        )
      })}
    </ul>
  )
}
