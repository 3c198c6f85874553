import { LevelBadge } from '../level-badge/level-badge'
import { useT } from '../../lib/i18n'
import type { IncidentReport } from '../../lib/incident-types'
import { useAppState } from '../../state'

export function ReportView({ report, name, csv }: { report: IncidentReport; name: (id: string) => string; csv: string }) {
  const t = useT()
  return (
    <div class="incident-report">
      <h3>{t('incident.report')}</h3>
      <table class="cards report-totals">
        <thead>
          <tr>
            {['what', 'requested', 'sent', 'received', 'rejected', 'lost', 'onTheWay', 'unmetUnits'].map((k) => (
              <th key={k}>{t(`incident.r.${k}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.totals.map((r) => (
            <tr key={r.component} data-component={r.component}>
              <td data-label={t('incident.r.what')}>{t(`component.${r.component}`)}</td>
              <td data-label={t('incident.r.requested')}>
                {r.requested} {t(`unit.${r.component}`)}
              </td>
              <td data-label={t('incident.r.sent')}>
                {r.sent} {t(`unit.${r.component}`)}
              </td>
              <td data-label={t('incident.r.received')}>
                {r.received} {t(`unit.${r.component}`)}
              </td>
              <td data-label={t('incident.r.rejected')}>
                {r.rejected} {t(`unit.${r.component}`)}
              </td>
              <td data-label={t('incident.r.lost')}>
                {r.lost} {t(`unit.${r.component}`)}
              </td>
              <td data-label={t('incident.r.onTheWay')}>
                {r.onTheWay} {t(`unit.${r.component}`)}
              </td>
              <td data-label={t('incident.r.unmetUnits')}>
                {r.unmet} {t(`unit.${r.component}`)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul class="report-levels">
        {report.levels
          .filter((l) => l.worst !== 'normal')
          .map((l) => (
            <li key={`${l.siteId}|${l.component}`}>
              {name(l.siteId)} · {t(`component.${l.component}`)}: {t('incident.fellTo')} <LevelBadge level={l.worst as 'red'} />
            </li>
          ))}
      </ul>
      <CsvLink href={csv} />
    </div>
  )
}

/** The CSV needs the bearer token, so it is fetched and handed to the browser as a file. */
function CsvLink({ href }: { href: string }) {
  const t = useT()
  const { token } = useAppState()
  const get = async () => {
    const res = await fetch(href, { headers: { authorization: `Bearer ${token}` } })
    const url = URL.createObjectURL(await res.blob())
    const a = document.createElement('a')
    a.href = url
    a.download = href.split('/').slice(-2).join('-')
    a.click()
    URL.revokeObjectURL(url)
  }
  return (
    <button type="button" class="report-csv secondary" onClick={get}>
      {t('incident.csv')}
    </button>
  )
}
