import { useLocation } from 'preact-iso'
import { useState } from 'preact/hooks'
import { ErrorMessage } from '../components/error-message/error-message'
import { ApiCallError } from '../lib/api'
import { dateTime, num, siteName } from '../lib/format'
import { useT } from '../lib/i18n'
import { COMPONENTS, type Site } from '../lib/types'
import { useApi } from '../lib/use-api'
import { getState, useAppState } from '../state'
import './report-page.css'

type SupplyReport = import('zod').infer<typeof import('../../../worker/schemas/report').SupplyReport>
type ByComponent = SupplyReport['totals']['supplied']
const LEVEL_KEYS = ['normal', 'yellow', 'orange', 'red', 'unrecorded'] as const

/**
 * The quarterly supply analysis (GET /api/reports/supply) for a station's director or a coordinator: collections and
 * the donation rate, supply to each hospital, returns, discards and expiries, days at each warning level. Printable
 * on A4 portrait (report-page.css), with the same figures as CSV.
 */
export function ReportPage() {
  const t = useT()
  const { lang, me } = useAppState()
  const { query, route } = useLocation()
  const site = query.site ?? (me?.role === 'director' ? me.siteId : null) ?? ''
  const sitesQ = useApi<{ sites: Site[] }>(me?.role === 'director' ? null : '/api/sites')
  const stations = (sitesQ.data?.sites ?? []).filter((s) => s.kind === 'station' || s.kind === 'center')
  const range = `${query.from ? `&from=${encodeURIComponent(query.from)}` : ''}${query.to ? `&to=${encodeURIComponent(query.to)}` : ''}`
  const q = useApi<SupplyReport>(site ? `/api/reports/supply?site=${encodeURIComponent(site)}${range}` : null)
  const rep = q.data
  const [from, setFrom] = useState(query.from ?? '')
  const [to, setTo] = useState(query.to ?? '')
  const [pick, setPick] = useState(site)
  const [csvError, setCsvError] = useState<ApiCallError | null>(null)

  // what the form shows is what "show" applies: the URL carries it, so a printed or shared page is the same report
  const show = (e: Event) => {
    e.preventDefault()
    const p = new URLSearchParams()
    if (pick) p.set('site', pick)
    if (from) p.set('from', from)
    if (to) p.set('to', to)
    route(`/report?${p}`)
  }
  const csv = async () => {
    setCsvError(null)
    try {
      const res = await fetch(
        `/api/reports/supply?site=${encodeURIComponent(rep!.site.id)}&from=${rep!.period.from}&to=${rep!.period.to}&format=csv&lang=${lang}`,
        {
          headers: { authorization: `Bearer ${getState().token}` },
        },
      )
      if (!res.ok) {
        const err = ((await res.json().catch(() => null)) as { error?: { code: string; message: string; field?: string } } | null)?.error
        throw new ApiCallError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `HTTP ${res.status}`, err?.field)
      }
      const a = document.createElement('a')
      a.href = URL.createObjectURL(new Blob([await res.text()], { type: 'text/csv' }))
      a.download = `supply-${rep!.site.id}-${rep!.period.from}-${rep!.period.to}.csv`
      a.click()
    } catch (e) {
      setCsvError(e as ApiCallError)
    }
  }

  const unit = (c: string) => t(`unit.${c}`)
  const head = (c: string) => `${t(`component.${c}`)}（${unit(c)}）`
  const n = (x: number | null | undefined, digits = 0) => (x === null || x === undefined ? '—' : num(x, lang, digits))
  const nonzero = (b: ByComponent) => COMPONENTS.some((c) => b[c] !== 0)

  return (
    <section class="report-page">
      <form class="report-form no-print" onSubmit={show}>
        {me?.role !== 'director' && (
          <label>
            {t('report.site')}
            <select name="site" value={pick} onChange={(e) => setPick((e.target as HTMLSelectElement).value)}>
              <option value="">—</option>
              {stations.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id} · {siteName(s, lang)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('report.from')}
          <input name="from" type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('report.to')}
          <input name="to" type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="show">
          {t('report.show')}
        </button>
        <span class="meta">{t('report.defaultRange')}</span>
      </form>
      {!site && <p class="empty">{t('report.pickSite')}</p>}
      <ErrorMessage error={q.error ?? csvError} />
      {rep && (
        <>
          <h2>{t('report.title', { site: siteName(rep.site, lang) })}</h2>
          <p class="meta period">
            {t('report.period', { from: rep.period.from, to: rep.period.to, days: rep.period.days })} ·{' '}
            {t('report.printed', { at: dateTime(new Date().toISOString(), lang) })}
          </p>
          <div class="toolbar no-print">
            <button type="button" class="print" onClick={() => window.print()}>
              {t('report.print')}
            </button>
            <button type="button" class="csv" onClick={csv}>
              {t('report.csv')}
            </button>
          </div>

          <h3>{t('report.donations')}</h3>
          <table class="report-table donations">
            <tbody>
              <tr>
                <th>{t('report.wholeBlood')}</th>
                <td data-measure="wholeBloodUnits">
                  {n(rep.donations.wholeBloodUnits)} U ·{' '}
                  {t('report.estimated', { n: n(rep.donations.wholeBloodDonations), per: `${n(rep.donations.uPerDonation, 1)} U` })}
                </td>
              </tr>
              <tr>
                <th>{t('report.platelets')}</th>
                <td data-measure="plateletDoses">
                  {n(rep.donations.plateletDoses)} {unit('PLT')} ·{' '}
                  {t('report.estimated', { n: n(rep.donations.plateletDonations), per: `${n(rep.donations.dosesPerDonation, 1)} ${unit('PLT')}` })}
                </td>
              </tr>
              <tr>
                <th>{t('report.pool')}</th>
                <td>{t('report.poolLine', { wb: n(rep.donations.pool.wholeBlood), plt: n(rep.donations.pool.platelets) })}</td>
              </tr>
              <tr>
                <th>{t('report.population')}</th>
                <td>
                  {rep.rate.population === null ? t('report.noPopulation') : t('report.people', { n: n(rep.rate.population) })}
                  {rep.rate.populationSource && <div class="meta source">{lang === 'zh' ? rep.rate.populationSourceZh : rep.rate.populationSource}</div>}
                </td>
              </tr>
              <tr>
                <th>{t('report.rate')}</th>
                <td data-measure="per1000">
                  {rep.rate.per1000 === null ? '—' : t('report.rateLine', { n: n(rep.rate.per1000, 2), annual: n(rep.rate.per1000Annual, 2) })}
                </td>
              </tr>
            </tbody>
          </table>
          <div class="scroll">
            <table class="report-table receipts">
              <thead>
                <tr>
                  <th>{t('report.receipts')}</th>
                  {COMPONENTS.map((c) => (
                    <th key={c}>{head(c)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>{siteName(rep.site, lang)}</td>
                  {COMPONENTS.map((c) => (
                    <td key={c} class="num">
                      {n(rep.donations.receipts[c])}
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          </div>

          <h3>{t('report.supply')}</h3>
          <HospitalTable rep={rep} what="supplied" head={head} n={n} />
          <h3>{t('report.returns')}</h3>
          <HospitalTable rep={rep} what="returned" head={head} n={n} />
          <h3>{t('report.discards')}</h3>
          <p class="meta">{t('report.discardsNote')}</p>
          {nonzero(rep.totals.discarded) || nonzero(rep.station.discarded) ? (
            <div class="scroll">
              <table class="report-table discards">
                <thead>
                  <tr>
                    <th>{t('report.hospital')}</th>
                    {COMPONENTS.map((c) => (
                      <th key={c}>{head(c)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[
                    {
                      id: rep.site.id,
                      href: `/station?site=${rep.site.id}`,
                      name: siteName(rep.site, lang),
                      discarded: rep.station.discarded,
                      expired: rep.station.expired,
                    },
                    ...rep.hospitals.map((h) => ({ id: h.id, href: `/sites/${h.id}`, name: siteName(h, lang), discarded: h.discarded, expired: h.expired })),
                  ]
                    .filter((r) => nonzero(r.discarded))
                    .map((r) => (
                      <tr key={r.id} data-row={r.id}>
                        <td>
                          <a class="hospital-name" href={r.href}>
                            {r.name}
                          </a>
                        </td>
                        {COMPONENTS.map((c) => (
                          <td key={c} class="num">
                            {n(r.discarded[c])}
                            {r.expired[c] > 0 && <span class="meta">（{t('report.expiredN', { n: n(r.expired[c]) })}）</span>}
                          </td>
                        ))}
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="empty">{t('report.none')}</p>
          )}

          <h3>{t('report.levels')}</h3>
          <table class="report-table levels">
            <thead>
              <tr>
                <th>{t('report.component')}</th>
                {LEVEL_KEYS.map((l) => (
                  <th key={l}>{t(l === 'unrecorded' ? 'report.unrecorded' : `level.${l}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rep.warningDays.map((w) => (
                <tr key={w.component} data-row={w.component}>
                  <td>{t(`component.${w.component}`)}</td>
                  {LEVEL_KEYS.map((l) => (
                    <td key={l} class="num">
                      {t('report.days', { n: n(w[l], 1) })}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p class="meta basis">{t('report.basis')}</p>
        </>
      )}
    </section>
  )
}

/** Hospitals × components for one measure, with the total; "none" when nothing moved. */
function HospitalTable({ rep, what, head, n }: { rep: SupplyReport; what: 'supplied' | 'returned'; head: (c: string) => string; n: (x: number) => string }) {
  const t = useT()
  const { lang } = useAppState()
  const rows = rep.hospitals.filter((h) => COMPONENTS.some((c) => h[what][c] !== 0))
  if (!rows.length) return <p class="empty">{t('report.none')}</p>
  return (
    <div class="scroll">
      <table class={`report-table ${what}`}>
        <thead>
          <tr>
            <th>{t('report.hospital')}</th>
            {COMPONENTS.map((c) => (
              <th key={c}>{head(c)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((h) => (
            <tr key={h.id} data-row={h.id}>
              <td>
                <a class="hospital-name" href={`/sites/${h.id}`}>
                  {siteName(h, lang)}
                </a>
              </td>
              {COMPONENTS.map((c) => (
                <td key={c} class="num">
                  {n(h[what][c])}
                </td>
              ))}
            </tr>
          ))}
          <tr class="total" data-row="total">
            <th>{t('report.total')}</th>
            {COMPONENTS.map((c) => (
              <td key={c} class="num">
                {n(rep.totals[what][c])}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  )
}
