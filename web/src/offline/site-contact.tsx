import { useMemo } from 'preact/hooks'
import { dateTime } from '../lib/format'
import { useT } from '../lib/i18n'
import { useApi } from '../lib/use-api'
import { ageText } from './freshness'

/** One site of GET /api/site-contact: its last contact and stock report, and whether it is silent past its limit. */
export type SiteContact = {
  siteId: string
  kind: string
  lastStockReportAt: string | null
  lastContactAt: string | null
  silentHours: number | null
  limitHours: number
  silent: boolean
}

/** Each site's contact, by id (empty until it arrives). */
export function useSiteContact(): Record<string, SiteContact> {
  const q = useApi<{ sites: SiteContact[] }>('/api/site-contact')
  return useMemo(() => Object.fromEntries((q.data?.sites ?? []).map((s) => [s.siteId, s])), [q.data])
}

/** "Silent: no contact for 30 h (limit 24 h)" for the station list, or the last contact when within the limit. */
export function SilentNote({ c }: { c: SiteContact | undefined }) {
  const t = useT()
  if (!c) return null
  return (
    <span class="contact-meta" data-silent={c.silent ? 'yes' : 'no'}>
      {c.silent && <span class="silent-badge">{t('offline.silent')}</span>}{' '}
      {c.lastContactAt
        ? c.silent
          ? t('offline.silentFor', { age: ageText(c.lastContactAt, t), limit: c.limitHours })
          : `${t('offline.lastContact')}: ${dateTime(c.lastContactAt)}`
        : t('offline.neverHeard')}
      {c.lastStockReportAt && (
        <>
          {' '}
          · {t('offline.lastReport')}: {dateTime(c.lastStockReportAt)}
        </>
      )}
    </span>
  )
}
