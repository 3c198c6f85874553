import { useLocation } from 'preact-iso'
import { useCallback, useMemo, useState } from 'preact/hooks'
import { ErrorMessage } from '../components/error-message/error-message'
import { LevelBadge } from '../components/level-badge/level-badge'
import { RegionTotals, type StockSummary } from '../components/region-totals/region-totals'
import { days, num, severity, siteName, worse } from '../lib/format'
import { useT } from '../lib/i18n'
import { COMPONENTS, type Component, type Site, type StockRow, type Transfer, type WarningRow } from '../lib/types'
import { useApi } from '../lib/use-api'
import { PeerLayer } from '../map/peer-layer'
import { RegionMap } from '../map/region-map'
import { SiteLayer, type SiteStatus } from '../map/site-layer'
import { TransferLayer } from '../map/transfer-layer'
import { SilentNote, useSiteContact } from '../offline/site-contact'
import { useAppState } from '../state'
import { PoolPanel } from '../components/donor-pool/pool-panel'

/**
 * Per site: its worst declared warning level for the component (from /api/warnings; the stock rows' own
 * levels only when no warning is recorded for the component yet), days of supply and units on hand.
 */
export function siteStatus(sites: Site[], stock: StockRow[], warnings: WarningRow[] | null, component: Component): Record<string, SiteStatus> {
  const out: Record<string, SiteStatus & { issue: number }> = {}
  for (const s of sites) out[s.id] = { level: null, daysOfSupply: null, onHand: null, issue: 0 }
  for (const r of stock) {
    const st = out[r.siteId]
    if (!st || r.component !== component) continue
    if (!warnings) st.level = worse(st.level, r.level)
    st.onHand = (st.onHand ?? 0) + r.onHand
    st.issue += r.avgDailyIssue ?? 0
  }
  for (const st of Object.values(out)) if (st.onHand !== null && st.issue > 0) st.daysOfSupply = st.onHand / st.issue
  for (const w of warnings ?? []) {
    const st = out[w.siteId]
    if (!st || w.component !== component) continue
    st.level = worse(st.level, w.level)
    if (w.abo === '*' && w.daysOfSupply !== undefined) st.daysOfSupply = w.daysOfSupply
  }
  return out
}

type PeerProvinceT = import('../../../worker/schemas/province').PeerProvinceT
const NO_SITES: Site[] = []

/** The declared levels for the component, or null when none are recorded yet (then the stock rows' levels are used). */
const declared = (rows: WarningRow[], component: Component): WarningRow[] | null => {
  const mine = rows.filter((w) => w.component === component)
  return mine.length ? mine : null
}

export function MapPage() {
  const t = useT()
  const { lang, me } = useAppState()
  const { route } = useLocation()
  const [component, setComponent] = useState<Component>('RBC')
  const [tiles, setTiles] = useState(() => localStorage.getItem('bd.tiles') === '1')
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const stockQ = useApi<{ rows: StockRow[] }>(`/api/stock?component=${component}`)
  const warnQ = useApi<{ warnings: WarningRow[] }>(`/api/warnings?component=${component}`)
  const committedQ = useApi<{ transfers: Transfer[] }>('/api/transfers?status=committed')
  const dispatchedQ = useApi<{ transfers: Transfer[] }>('/api/transfers?status=dispatched')
  const summaryQ = useApi<StockSummary>('/api/stock/summary')
  // in province mode (issue 24): the linked provinces' stations, from their summaries
  const provincesQ = useApi<{ peers: PeerProvinceT[] }>(me?.province ? '/api/provinces' : null)
  const contact = useSiteContact()
  const moving = useMemo(
    () => [...(committedQ.data?.transfers ?? []), ...(dispatchedQ.data?.transfers ?? [])].filter((tr) => tr.component === component),
    [committedQ.data, dispatchedQ.data, component],
  )

  const sites = sitesQ.data?.sites ?? NO_SITES
  const status = useMemo(
    () => siteStatus(sites, stockQ.data?.rows ?? [], declared(warnQ.data?.warnings ?? [], component), component),
    [sites, stockQ.data, warnQ.data, component],
  )
  const sorted = useMemo(
    () =>
      [...sites].sort(
        (a, b) =>
          severity(status[b.id]?.level) - severity(status[a.id]?.level) ||
          (status[a.id]?.daysOfSupply ?? Infinity) - (status[b.id]?.daysOfSupply ?? Infinity) ||
          a.id.localeCompare(b.id),
      ),
    [sites, status],
  )
  const open = useCallback((id: string) => route(`/sites/${id}`), [route])

  return (
    <section class="map-page">
      <div class="toolbar">
        <label>
          {t('map.component')}{' '}
          <select name="component" value={component} onChange={(e) => setComponent((e.target as HTMLSelectElement).value as Component)}>
            {COMPONENTS.map((c) => (
              <option key={c} value={c}>
                {t(`component.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="tiles-toggle">
          <input
            type="checkbox"
            checked={tiles}
            onChange={(e) => {
              const on = (e.target as HTMLInputElement).checked
              localStorage.setItem('bd.tiles', on ? '1' : '0')
              setTiles(on)
            }}
          />{' '}
          {t('map.tiles')}
        </label>
        <Legend />
      </div>
      <ErrorMessage error={sitesQ.error ?? stockQ.error ?? warnQ.error ?? summaryQ.error} />
      {summaryQ.data?.components && <RegionTotals summary={summaryQ.data} component={component} onPick={setComponent} />}
      <div class="map-layout">
        <RegionMap tiles={tiles}>
          <TransferLayer transfers={moving} sites={sites} lang={lang} />
          <SiteLayer sites={sites} status={status} component={component} lang={lang} onOpen={open} contact={contact} />
          {provincesQ.data && <PeerLayer peers={provincesQ.data.peers} component={component} lang={lang} own={sites} />}
        </RegionMap>
        <aside class="site-list">
          <h2>{t('map.sites')}</h2>
          {sites.length === 0 && !sitesQ.loading && <p>{t('map.noSites')}</p>}
          <ol>
            {sorted.map((s) => {
              const st = status[s.id]
              return (
                <li key={s.id} data-site={s.id} data-level={st?.level ?? 'none'}>
                  <a href={`/sites/${s.id}`}>{siteName(s, lang, s.id)}</a>
                  <LevelBadge level={st?.level ?? null} />
                  <span class="meta">
                    {t('map.days')}: {days(st?.daysOfSupply, lang)} · {t('map.onHand')}: {num(st?.onHand, lang)} {t(`unit.${component}`)}
                  </span>
                  <SilentNote c={contact[s.id]} />
                </li>
              )
            })}
          </ol>
        </aside>
      </div>
      <PoolPanel dashboard />
    </section>
  )
}

function Legend() {
  return (
    <span class="legend">
      <LevelBadge level="normal" />
      <LevelBadge level="yellow" />
      <LevelBadge level="orange" />
      <LevelBadge level="red" />
    </span>
  )
}
