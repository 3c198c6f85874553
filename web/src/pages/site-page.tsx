import { useRoute } from 'preact-iso'
import { ErrorMessage } from '../components/error-message/error-message'
import { StationRules } from '../components/station-rules/station-rules'
import { StockTable } from '../components/stock-table/stock-table'
import { siteName } from '../lib/format'
import { useT } from '../lib/i18n'
import type { Level, Site, StockRow, WarningRow } from '../lib/types'
import { useApi } from '../lib/use-api'
import { useAppState } from '../state'

export function SitePage() {
  const t = useT()
  const { lang } = useAppState()
  const { params } = useRoute()
  const id = params.id
  const siteQ = useApi<Site>(`/api/sites/${encodeURIComponent(id)}`)
  const stockQ = useApi<{ rows: StockRow[] }>(`/api/stock?site=${encodeURIComponent(id)}`)
  const warnQ = useApi<{ warnings: WarningRow[] }>(`/api/warnings?site=${encodeURIComponent(id)}`)
  // The declared level of each component as a whole ('*' rows).
  const componentLevels: Record<string, Level> = {}
  for (const w of warnQ.data?.warnings ?? []) if (w.siteId === id && w.abo === '*') componentLevels[w.component] = w.level
  const rows = (stockQ.data?.rows ?? []).filter((r) => !r.siteId || r.siteId === id)
  return (
    <section class="site-page">
      <p>
        <a href="/">{t('stock.back')}</a>
      </p>
      <h2>{t('stock.title', { site: siteName(siteQ.data ?? undefined, lang, id) })}</h2>
      {siteQ.data && (
        <p class="meta">
          {t(`kind.${siteQ.data.kind}`)} · {place(siteQ.data, t)}
        </p>
      )}
      <ErrorMessage error={siteQ.error ?? stockQ.error} />
      {stockQ.loading && <p>{t('common.loading')}</p>}
      {stockQ.data !== null && <StockTable rows={rows} componentLevels={componentLevels} />}
      {siteQ.data && <StationRules siteId={id} />}
    </section>
  )
}

/** "宜宾市，四川省" / "Yibin, Sichuan": the city and province are stored in English; a name not listed shows as stored. */
export function place(s: Pick<Site, 'city' | 'province'>, t: ReturnType<typeof useT>): string {
  const known = (key: string, fallback: string) => (t(key) === key ? fallback : t(key))
  return t('region.place', { city: known(`city.${s.city}`, s.city), province: known(`province.${s.province}`, s.province) })
}
