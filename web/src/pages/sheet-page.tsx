import { useLocation } from 'preact-iso'
import { useState } from 'preact/hooks'
import { bySheetOrder } from '../../../solver/domain'
import { ErrorMessage } from '../components/error-message/error-message'
import { ApiCallError } from '../lib/api'
import { dateTime, group, hours, requestReason, siteName } from '../lib/format'
import { useT } from '../lib/i18n'
import type { Site, Transfer } from '../lib/types'
import { useApi } from '../lib/use-api'
import { getState, useAppState } from '../state'
import { RhConsentLine } from '../components/request-form/rh-consent'
import './sheet-page.css'

/** The approved plan on paper: a printable dispatch sheet per plan or per station, with a place to sign, and its CSV. */
export function SheetPage() {
  const t = useT()
  const { lang } = useAppState()
  const { query } = useLocation()
  const scope = query.plan ? `planId=${encodeURIComponent(query.plan)}` : query.site ? `site=${encodeURIComponent(query.site)}` : null
  const q = useApi<{ transfers: Transfer[] }>(scope ? `/api/transfers?${scope}` : null)
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const [error, setError] = useState<ApiCallError | null>(null)
  const byId = new Map((sitesQ.data?.sites ?? []).map((s) => [s.id, s]))
  const rows = (q.data?.transfers ?? []).filter((tr) => !['proposed', 'rejected'].includes(tr.status)).sort(bySheetOrder)
  const csv = async () => {
    setError(null)
    try {
      // the CSV's times in this browser's zone, as the printed sheet shows them
      const tz = Intl.DateTimeFormat().resolvedOptions().timeZone
      const path = `${query.plan ? `plan=${encodeURIComponent(query.plan)}` : `site=${encodeURIComponent(query.site!)}`}&tz=${encodeURIComponent(tz)}`
      const res = await fetch(`/api/csv/transfers?${path}`, { headers: { authorization: `Bearer ${getState().token}` } })
      if (!res.ok) {
        const err = ((await res.json().catch(() => null)) as { error?: { code: string; message: string; field?: string } } | null)?.error
        throw new ApiCallError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `HTTP ${res.status}`, err?.field)
      }
      const a = document.createElement('a')
      a.href = URL.createObjectURL(new Blob([await res.text()], { type: 'text/csv' }))
      a.download = `dispatch-${query.plan ?? query.site}.csv`
      a.click()
    } catch (e) {
      setError(e as ApiCallError)
    }
  }
  const title = query.plan
    ? t('sheet.titlePlan', { id: query.plan })
    : t('sheet.titleSite', { site: siteName(byId.get(query.site ?? ''), lang, query.site ?? '') })
  return (
    <section class="sheet-page">
      <h2>{title}</h2>
      <p class="meta">{t('sheet.printed', { at: dateTime(new Date().toISOString(), lang) })}</p>
      <div class="toolbar no-print">
        <button type="button" class="print" onClick={() => window.print()}>
          {t('sheet.print')}
        </button>
        <button type="button" class="csv" disabled={!scope} onClick={csv}>
          {t('sheet.csv')}
        </button>
      </div>
      <ErrorMessage error={error ?? q.error} />
      {q.data && rows.length === 0 && <p class="empty">{t('sheet.none')}</p>}
      {rows.length > 0 && (
        <table class="cards sheet-table">
          <thead>
            <tr>
              <th>{t('sheet.transfer')}</th>
              <th>{t('plan.from')}</th>
              <th>{t('plan.to')}</th>
              <th>{t('sheet.what')}</th>
              <th>{t('sheet.lots')}</th>
              <th>{t('plan.eta')}</th>
              <th>{t('sheet.serves')}</th>
              <th>{t('sheet.signDispatch')}</th>
              <th>{t('sheet.signReceipt')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((tr) => (
              <tr key={tr.id} data-transfer={tr.id} data-urgency={tr.requests[0]?.urgency ?? ''}>
                <td data-label={t('sheet.transfer')}>
                  <a class="transfer-id" href={`/station?site=${tr.toSite}#${tr.id}`}>
                    {tr.id}
                  </a>
                  <br />
                  <span class="meta">{t(`status.${tr.status}`)}</span>
                </td>
                <td data-label={t('plan.from')}>
                  <a class="site-name" href={`/sites/${tr.fromSite}`}>
                    {siteName(byId.get(tr.fromSite), lang, tr.fromSite)}
                  </a>
                </td>
                <td data-label={t('plan.to')}>
                  <a class="site-name" href={`/sites/${tr.toSite}`}>
                    {siteName(byId.get(tr.toSite), lang, tr.toSite)}
                  </a>
                </td>
                <td data-label={t('sheet.what')}>
                  {t(`component.${tr.component}`)} {group(tr.abo, tr.rhd)} × {tr.qty} {t(`unit.${tr.component}`)}
                </td>
                <td data-label={t('sheet.lots')}>
                  {tr.lots.map((l) => (
                    <div key={l.lotId}>
                      {l.lotId} × {l.qty} <span class="meta">({dateTime(l.expiresAt, lang)})</span>
                    </div>
                  ))}
                </td>
                <td data-label={t('plan.eta')}>{hours(tr.etaHours, lang)}</td>
                <td data-label={t('sheet.serves')}>
                  {tr.requests.map((r) => (
                    <div key={r.requestId} class="serves-line">
                      <a class="request-id" href={`/requests#${r.requestId}`}>
                        {t(`urgency.${r.urgency}`)} · {r.requestId}
                      </a>{' '}
                      · {requestReason(r.reason, lang)}
                      {r.neededBy && <span class="meta"> · {t('review.deadline', { at: dateTime(r.neededBy, lang) })}</span>}
                      <RhConsentLine consent={r.rhPositiveConsent} />
                    </div>
                  ))}
                </td>
                <td data-label={t('sheet.signDispatch')} class="sign">
                  {tr.transport.dispatch ? `${tr.transport.dispatch.temperatureC} °C` : ''}
                </td>
                <td data-label={t('sheet.signReceipt')} class="sign">
                  {tr.transport.receipt ? `${tr.transport.receipt.temperatureC} °C` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
