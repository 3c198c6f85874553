import { useLocation } from 'preact-iso'
import { useState } from 'preact/hooks'
import { ErrorMessage } from '../components/error-message/error-message'
import { api, ApiError } from '../lib/api'
import { dateTime, group, siteName } from '../lib/format'
import { useT } from '../lib/i18n'
import type { Site, Transfer } from '../lib/types'
import { useApi } from '../lib/use-api'
import { getState, useAppState } from '../state'
import { RhConsentLine } from '../components/request-form/rh-consent'

/** The approved plan on paper: a printable dispatch sheet per plan or per station, with a place to sign, and its CSV. */
export function SheetPage() {
  const t = useT()
  const { lang } = useAppState()
  const { query } = useLocation()
  const scope = query.plan ? `planId=${encodeURIComponent(query.plan)}` : query.site ? `site=${encodeURIComponent(query.site)}` : null
  const q = useApi<{ transfers: Transfer[] }>(scope ? `/api/transfers?${scope}` : null)
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const [error, setError] = useState<ApiError | null>(null)
  const byId = new Map((sitesQ.data?.sites ?? []).map((s) => [s.id, s]))
  const rows = (q.data?.transfers ?? []).filter((tr) => !['proposed', 'rejected'].includes(tr.status))
    .sort((a, b) => a.fromSite.localeCompare(b.fromSite) || a.toSite.localeCompare(b.toSite))
  const csv = async () => {
    setError(null)
    try {
      const path = query.plan ? `plan=${encodeURIComponent(query.plan)}` : `site=${encodeURIComponent(query.site!)}`
      const res = await fetch(`/api/csv/transfers?${path}`, { headers: { authorization: `Bearer ${getState().token}` } })
      if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, await res.text())
      const a = document.createElement('a')
      a.href = URL.createObjectURL(new Blob([await res.text()], { type: 'text/csv' }))
      a.download = `dispatch-${query.plan ?? query.site}.csv`
      a.click()
    } catch (e) {
      setError(e as ApiError)
    }
  }
  const title = query.plan ? t('sheet.titlePlan', { id: query.plan }) : t('sheet.titleSite', { site: siteName(byId.get(query.site ?? ''), lang, query.site ?? '') })
  return (
    <section class="sheet-page">
      <h2>{title}</h2>
      <p class="meta">{t('sheet.printed', { at: dateTime(new Date().toISOString(), lang) })}</p>
      <div class="toolbar no-print">
        <button type="button" class="print" onClick={() => window.print()}>{t('sheet.print')}</button>
        <button type="button" class="csv" disabled={!scope} onClick={csv}>{t('sheet.csv')}</button>
      </div>
      <ErrorMessage error={error ?? q.error} />
      {q.data && rows.length === 0 && <p class="empty">{t('sheet.none')}</p>}
      {rows.length > 0 && (
        <table class="cards sheet-table">
          <thead>
            <tr>
              <th>{t('sheet.transfer')}</th><th>{t('plan.from')}</th><th>{t('plan.to')}</th><th>{t('sheet.what')}</th><th>{t('sheet.lots')}</th>
              <th>{t('plan.eta')}</th><th>{t('sheet.serves')}</th><th>{t('sheet.signDispatch')}</th><th>{t('sheet.signReceipt')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((tr) => (
              <tr key={tr.id} data-transfer={tr.id}>
                <td data-label={t('sheet.transfer')}>{tr.id}<br /><span class="meta">{t(`status.${tr.status}`)}</span></td>
                <td data-label={t('plan.from')}>{siteName(byId.get(tr.fromSite), lang, tr.fromSite)}</td>
                <td data-label={t('plan.to')}>{siteName(byId.get(tr.toSite), lang, tr.toSite)}</td>
                <td data-label={t('sheet.what')}>{t(`component.${tr.component}`)} {group(tr.abo, tr.rhd)} × {tr.qty} {t(`unit.${tr.component}`)}</td>
                <td data-label={t('sheet.lots')}>{tr.lots.map((l) => <div key={l.lotId}>{l.lotId} × {l.qty} <span class="meta">({dateTime(l.expiresAt, lang)})</span></div>)}</td>
                <td data-label={t('plan.eta')}>{t('common.hours', { n: tr.etaHours })}</td>
                <td data-label={t('sheet.serves')}>{tr.requests.map((r) => <div key={r.requestId}>{t(`urgency.${r.urgency}`)} · {r.requestId} · {r.reason} <RhConsentLine consent={r.rhPositiveConsent} /></div>)}</td>
                <td data-label={t('sheet.signDispatch')} class="sign">{tr.transport.dispatch ? `${tr.transport.dispatch.temperatureC} °C` : ''}</td>
                <td data-label={t('sheet.signReceipt')} class="sign">{tr.transport.receipt ? `${tr.transport.receipt.temperatureC} °C` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
