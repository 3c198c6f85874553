import '../../donors.css'
import { num } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { PoolSummary } from '../../lib/donor-types'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import { isCoordinator } from '../../lib/roles'

/** The region's pool size by antigen and province (the coordinator's dashboard, and the donors page); counts only. */
export function PoolPanel({ screening = false, dashboard = false }: { screening?: boolean; dashboard?: boolean }) {
  const t = useT()
  const { lang, me } = useAppState()
  // on the map (the coordinator's dashboard) only for coordinators and admins
  const show = !dashboard || isCoordinator(me)
  const q = useApi<PoolSummary>(show ? '/api/donors/pool' : null)
  const p = q.data
  if (!p || !show) return null
  return (
    <section class="pool-panel" data-total={p.total}>
      <h3>{t('donors.pool.title', { n: num(p.total, lang), e: num(p.eligibleNow, lang), d: num(p.deferralsActive, lang) })}</h3>
      <table class="cards pool-table">
        <thead>
          <tr>
            <th>{t('donors.antigen')}</th>
            <th class="num">{t('donors.pool.donors')}</th>
            <th class="num">{t('donors.pool.eligibleNow')}</th>
            <th class="num">{t('donors.province.Sichuan')}</th>
            <th class="num">{t('donors.province.Chongqing')}</th>
          </tr>
        </thead>
        <tbody>
          {p.byAntigen.map((a) => (
            <tr key={a.antigen} data-antigen={a.antigen}>
              <td data-label={t('donors.antigen')}>{a.antigen}</td>
              <td class="num" data-label={t('donors.pool.donors')} data-count>
                {a.donors}
              </td>
              <td class="num" data-label={t('donors.pool.eligibleNow')}>
                {a.eligibleNow}
              </td>
              <td class="num" data-label={t('donors.province.Sichuan')}>
                {a.Sichuan}
              </td>
              <td class="num" data-label={t('donors.province.Chongqing')}>
                {a.Chongqing}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {screening && p.screening.length > 0 && (
        <>
          <h4>{t('donors.screening.title')}</h4>
          <table class="cards screening-table">
            <thead>
              <tr>
                <th>{t('req.site')}</th>
                <th>{t('donors.antigen')}</th>
                <th class="num">{t('donors.screening.screened')}</th>
                <th class="num">{t('donors.screening.found')}</th>
              </tr>
            </thead>
            <tbody>
              {p.screening.map((s) => (
                <tr key={`${s.siteId}|${s.antigen}`}>
                  <td data-label={t('req.site')}>{s.siteId}</td>
                  <td data-label={t('donors.antigen')}>{s.antigen}</td>
                  <td class="num" data-label={t('donors.screening.screened')}>
                    {num(s.screened, lang)}
                  </td>
                  <td class="num" data-label={t('donors.screening.found')}>
                    {num(s.found, lang)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
