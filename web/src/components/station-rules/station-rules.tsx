import { dateTime, days, num } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Level } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import { LevelBadge } from '../level-badge/level-badge'

type Cap = { component: string; level: Level; cutPct: number; avgDailyIssue: number; cap: number | null; routineIssuedToday: number; remaining: number | null }
type Network = {
  stationId: string
  storagePoints: { id: string; nameZh: string; nameEn: string }[]
  totals: { component: string; station: number; storagePoints: number; total: number }[]
}
type Period = { component: string; abo: string; rhd: string; level: Level; from: string | null; to: string | null; daysOfSupply: number | null }

/** A station's warning rules at work: today's routine-issue caps (GET /api/warnings/caps) and its level history. */
export function StationRules({ siteId }: { siteId: string }) {
  const t = useT()
  const { lang } = useAppState()
  const capsQ = useApi<{ caps: Cap[] }>(`/api/warnings/caps?site=${encodeURIComponent(siteId)}`)
  const histQ = useApi<{ periods: Period[] }>(`/api/warnings/history?site=${encodeURIComponent(siteId)}`)
  const netQ = useApi<Network>(`/api/network/${encodeURIComponent(siteId)}`)
  const net = netQ.data
  const byComponent = new Map<string, { station: number; storagePoints: number; total: number }>()
  for (const r of net?.totals ?? []) {
    const t = byComponent.get(r.component) ?? { station: 0, storagePoints: 0, total: 0 }
    byComponent.set(r.component, { station: t.station + r.station, storagePoints: t.storagePoints + r.storagePoints, total: t.total + r.total })
  }
  const capped = (capsQ.data?.caps ?? []).filter((c) => c.cap !== null)
  const periods = [...(histQ.data?.periods ?? [])].reverse() // newest first
  return (
    <div class="station-rules">
      {net && net.storagePoints.length > 0 && (
        <>
          <h3>{t('region.networkTitle', { station: net.stationId })}</h3>
          <p class="meta storage-points">{net.storagePoints.map((p) => `${p.id} ${lang === 'en' ? p.nameEn : p.nameZh}`).join(' · ')}</p>
          <table class="network-totals cards">
            <thead>
              <tr>
                <th>{t('region.component')}</th>
                <th class="num">{t('region.atStation')}</th>
                <th class="num">{t('region.atStorage')}</th>
                <th class="num">{t('region.total')}</th>
              </tr>
            </thead>
            <tbody>
              {[...byComponent].map(([c, v]) => (
                <tr key={c} data-component={c}>
                  <td data-label={t('region.component')}>{t(`component.${c}`)}</td>
                  <td class="num" data-label={t('region.atStation')}>
                    {num(v.station, lang)}
                  </td>
                  <td class="num" data-label={t('region.atStorage')}>
                    {num(v.storagePoints, lang)}
                  </td>
                  <td class="num" data-label={t('region.total')}>
                    {num(v.total, lang)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>{t('region.capsTitle')}</h3>
      {capsQ.data && capped.length === 0 && <p class="meta caps-none">{t('region.capsNone')}</p>}
      {capped.length > 0 && (
        <>
          <table class="caps cards">
            <thead>
              <tr>
                <th>{t('region.component')}</th>
                <th>{t('region.level')}</th>
                <th class="num">{t('region.cut')}</th>
                <th class="num">{t('region.cap')}</th>
                <th class="num">{t('region.issued')}</th>
                <th class="num">{t('region.remaining')}</th>
              </tr>
            </thead>
            <tbody>
              {capped.map((c) => (
                <tr key={c.component} data-component={c.component} data-level={c.level}>
                  <td data-label={t('region.component')}>{t(`component.${c.component}`)}</td>
                  <td data-label={t('region.level')}>
                    <LevelBadge level={c.level} />
                  </td>
                  <td class="num" data-label={t('region.cut')}>
                    {c.cutPct} %
                  </td>
                  <td class="num cap" data-label={t('region.cap')}>
                    {num(c.cap, lang)}
                  </td>
                  <td class="num" data-label={t('region.issued')}>
                    {num(c.routineIssuedToday, lang)}
                  </td>
                  <td class="num" data-label={t('region.remaining')}>
                    {num(c.remaining, lang)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="meta">{t('region.capNote')}</p>
        </>
      )}
      <h3>{t('region.historyTitle')}</h3>
      {histQ.data && periods.length === 0 && <p class="meta">{t('region.historyNone')}</p>}
      {periods.length > 0 && (
        <table class="level-history cards">
          <thead>
            <tr>
              <th>{t('region.component')}</th>
              <th>{t('region.level')}</th>
              <th>{t('region.from')}</th>
              <th>{t('region.to')}</th>
              <th class="num">{t('region.days')}</th>
            </tr>
          </thead>
          <tbody>
            {periods.map((p, i) => (
              <tr key={i} data-component={p.component} data-level={p.level}>
                <td data-label={t('region.component')}>{t(`component.${p.component}`)}</td>
                <td data-label={t('region.level')}>
                  <LevelBadge level={p.level} />
                </td>
                <td data-label={t('region.from')}>{p.from ? dateTime(p.from, lang) : t('region.before')}</td>
                <td data-label={t('region.to')}>{p.to ? dateTime(p.to, lang) : t('region.ongoing')}</td>
                <td class="num" data-label={t('region.days')}>
                  {days(p.daysOfSupply, lang)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
