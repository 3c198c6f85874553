import { useState } from 'preact/hooks'
import { Confirm } from '../components/confirm/confirm'
import { ErrorMessage } from '../components/error-message/error-message'
import { LevelBadge } from '../components/level-badge/level-badge'
import { api } from '../lib/api'
import { dateTime, days, num, siteName } from '../lib/format'
import { useT } from '../lib/i18n'
import { useAction } from '../lib/use-action'
import { useApi } from '../lib/use-api'
import { useAppState } from '../state'

type Summary = import('../../../worker/schemas/province').ProvinceSummaryT
type Peer = import('../../../worker/schemas/province').PeerProvinceT

const WORST = ['red', 'orange', 'yellow', 'normal'] as const

/**
 * The linked provinces (issue 24): this province's summary and each peer's as it reads over the link (or since when
 * it has not answered), and a coordinator's notice to a peer's coordinators.
 */
export function ProvincesPage() {
  const t = useT()
  const { me } = useAppState()
  const q = useApi<{ own: Summary; peers: Peer[] }>('/api/provinces')
  const province = (p: string | null) => (p ? (t(`link.province.${p}`) === `link.province.${p}` ? p : t(`link.province.${p}`)) : '')
  return (
    <section class="provinces-page">
      <h2>{t('link.title')}</h2>
      <ErrorMessage error={q.error} />
      {q.data && !q.data.own.province && <p class="meta">{t('link.oneRegion')}</p>}
      {q.data?.own.province && (
        <>
          <ProvinceBlock title={t('link.own', { province: province(q.data.own.province) })} s={q.data.own} />
          {q.data.peers.map((p) => (
            <div key={p.province} class="peer" data-province={p.province}>
              {p.summary ? (
                <ProvinceBlock title={t('link.peer', { province: province(p.province) })} s={p.summary} />
              ) : (
                <h3>{t('link.peer', { province: province(p.province) })}</h3>
              )}
              {!p.reachable && (
                <p class="error" role="status">
                  {p.unreachableSince
                    ? t('link.unreachable', { since: dateTime(p.unreachableSince), error: p.error ?? '' })
                    : t('link.unreachableNever', { error: p.error ?? '' })}
                  {p.lastOkAt && ` · ${t('link.lastOk', { at: dateTime(p.lastOkAt) })}`}
                </p>
              )}
              {(me?.role === 'coordinator' || me?.role === 'admin') && <NoticeForm to={p.province} toName={province(p.province)} />}
            </div>
          ))}
        </>
      )}
    </section>
  )
}

function ProvinceBlock({ title, s }: { title: string; s: Summary }) {
  const t = useT()
  const { lang } = useAppState()
  const stations = [...s.stations].sort((a, b) => WORST.indexOf(worst(a.levels)) - WORST.indexOf(worst(b.levels)) || a.id.localeCompare(b.id))
  return (
    <div class="province-block">
      <h3>
        {title} <span class="meta">{t('link.stationCount', { n: s.stations.length })}</span>
      </h3>
      <table class="cards">
        <thead>
          <tr>
            <th>{t('link.component')}</th>
            <th>{t('link.onHand')}</th>
            <th>{t('link.inTransit')}</th>
            <th>{t('link.days')}</th>
          </tr>
        </thead>
        <tbody>
          {s.components.map((c) => (
            <tr key={c.component}>
              <th>{t(`component.${c.component}`)}</th>
              <td data-label={t('link.onHand')}>
                {num(c.onHand, lang)} {t(`unit.${c.component}`)}
              </td>
              <td data-label={t('link.inTransit')}>
                {num(c.inTransit, lang)} {t(`unit.${c.component}`)}
              </td>
              <td data-label={t('link.days')}>{t('common.days', { n: days(c.daysOfSupply, lang) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {/* folded: a province has dozens of stations; the summary line says how many stand at each level */}
      <details class="province-stations">
        <summary>
          {t('link.stations')}:{' '}
          {WORST.map((l) => ({ l, n: stations.filter((st) => worst(st.levels) === l).length }))
            .filter((x) => x.n > 0)
            .map(({ l, n }) => (
              <span key={l} class="province-count">
                <LevelBadge level={l} /> {t('link.stationCount', { n })}{' '}
              </span>
            ))}
        </summary>
        <table class="cards">
          <thead>
            <tr>
              <th>{t('link.station')}</th>
              <th>{t('link.levels')}</th>
            </tr>
          </thead>
          <tbody>
            {stations.map((st) => (
              <tr key={st.id} data-site={st.id}>
                <th>
                  {st.id} · {siteName(st, lang, st.id)}
                </th>
                <td data-label={t('link.levels')}>
                  {Object.entries(st.levels).map(([c, l]) => (
                    <span key={c} class="province-level">
                      {t(`component.${c}`)} <LevelBadge level={l} />{' '}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  )
}

const worst = (levels: Record<string, string>) => WORST.find((w) => Object.values(levels).includes(w)) ?? 'normal'

function NoticeForm({ to, toName }: { to: string; toName: string }) {
  const t = useT()
  const [text, setText] = useState('')
  const [urgent, setUrgent] = useState(false)
  const [ask, setAsk] = useState(false)
  const [sent, setSent] = useState(false)
  const { busy, error, run } = useAction()
  const send = () =>
    run(async () => {
      setAsk(false)
      await api(`/api/provinces/${encodeURIComponent(to)}/notices`, { method: 'POST', body: { text, urgent } })
      setText('')
      setSent(true)
    })
  return (
    <form
      class="notice-form"
      onSubmit={(e) => {
        e.preventDefault()
        setSent(false)
        setAsk(true)
      }}
    >
      <h4>{t('link.noticeTitle', { province: toName })}</h4>
      <label>
        {t('link.noticeText')}
        <textarea value={text} maxLength={1000} required onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label class="inline">
        <input type="checkbox" checked={urgent} onChange={(e) => setUrgent((e.target as HTMLInputElement).checked)} /> {t('link.noticeUrgent')}
      </label>
      <button type="submit" disabled={busy || !text.trim()}>
        {t('link.noticeSend')}
      </button>
      {ask && (
        <Confirm
          message={t('link.noticeConfirm', { province: toName })}
          yes={t('link.noticeSend')}
          busy={busy}
          onYes={() => void send()}
          onNo={() => setAsk(false)}
        />
      )}
      {sent && (
        <p class="meta" role="status">
          {t('link.noticeSent', { province: toName })}
        </p>
      )}
      <ErrorMessage error={error} />
    </form>
  )
}
