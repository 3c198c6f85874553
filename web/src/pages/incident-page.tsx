import { useState } from 'preact/hooks'
import { Confirm } from '../components/confirm/confirm'
import { ErrorMessage } from '../components/error-message/error-message'
import { IncidentMap } from '../components/incident-map/incident-map'
import { LevelBadge, StatusBadge, UrgencyBadge } from '../components/level-badge/level-badge'
import { DispatchForm } from '../components/transport-forms/transport-forms'
import { api, idempotencyKey } from '../lib/api'
import { dateTime, days, group, hours, siteName } from '../lib/format'
import { useT } from '../lib/i18n'
import type { Incident, IncidentReport, TimelineEntry } from '../lib/incident-types'
import { URGENCIES, type Site } from '../lib/types'
import { useApi } from '../lib/use-api'
import { useAppState } from '../state'
import '../incidents.css'
import { isCoordinator } from '../lib/roles'
import { useAction } from '../lib/use-action'
import { Estimate } from '../components/incident-estimate/incident-estimate'
import { ReportView } from '../components/incident-report/incident-report'

const NO_SITES: Site[] = []
/** What a transfer means for the incident: planned (proposed, approved, committed), on the way, received, or stopped. */
export const transferState = (status: string) =>
  status === 'dispatched' ? 'on_the_way' : status === 'received' ? 'received' : status === 'rejected' || status === 'cancelled' ? 'stopped' : 'planned'

type Tr = Incident['transfers'][number]
/** A transfer's place in the list: its most urgent request first, then the earliest deadline, then the shortest trip. */
const urgencyOf = (tr: Tr) => Math.min(3, ...tr.requests.map((r) => URGENCIES.indexOf(r.urgency)))
const deadlineOf = (tr: Tr) => tr.requests.map((r) => r.neededBy ?? '9999').sort()[0] ?? '9999'
export const byUrgency = (a: Tr, b: Tr) =>
  urgencyOf(a) - urgencyOf(b) || deadlineOf(a).localeCompare(deadlineOf(b)) || a.etaHours - b.etaHours || a.id.localeCompare(b.id)

/**
 * What opening the green channel commits now: the latest plan's transfers under review that serve an emergency request
 * of the incident still open (the server's selectGreenCandidates); the click sends their ids, and commits nothing else.
 */
export function greenCandidates(inc: Incident): Tr[] {
  const latest = inc.plans.find((p) => p.status !== 'closed')
  if (!latest) return []
  const open = new Set(inc.requests.filter((r) => r.status !== 'cancelled' && r.status !== 'fulfilled').map((r) => r.id))
  return inc.transfers.filter(
    (tr) =>
      tr.planId === latest.id &&
      (tr.status === 'proposed' || tr.status === 'approved') &&
      tr.requests.some((r) => r.urgency === 'emergency' && open.has(r.requestId)),
  )
}

/** The same action by the same person in the same minute is one line (a green channel commits dozens of transfers at once). */
function grouped(events: TimelineEntry[]): { e: TimelineEntry; n: number }[] {
  const out: { e: TimelineEntry; n: number }[] = []
  for (const e of events) {
    const last = out[out.length - 1]
    if (last && last.e.action === e.action && last.e.actorId === e.actorId && last.e.at.slice(0, 16) === e.at.slice(0, 16)) last.n++
    else out.push({ e, n: 1 })
  }
  return out
}

/** One incident: where, what it needs, the response plan and its transfers, the stations before and after, the timeline. */
export function IncidentPage({ id }: { id?: string }) {
  const t = useT()
  const { me, lang } = useAppState()
  const path = id ? `/api/incidents/${encodeURIComponent(id)}` : null
  const q = useApi<Incident>(path)
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const timeline = useApi<{ events: TimelineEntry[] }>(path && `${path}/timeline?limit=500`)
  const report = useApi<IncidentReport>(q.data?.status === 'closed' ? `${path}/report` : null)
  const { busy, error, run: act } = useAction()
  const [closing, setClosing] = useState(false)
  const [recalling, setRecalling] = useState<string | null>(null)
  const [greenAsk, setGreenAsk] = useState(false)
  const inc = q.data?.id === id ? q.data : null
  const sites = sitesQ.data?.sites ?? NO_SITES
  const byId = new Map(sites.map((s) => [s.id, s]))
  const name = (sid: string) => siteName(byId.get(sid) ?? inc?.points.find((p) => p.siteId === sid), lang, sid)
  const coord = isCoordinator(me)
  const active = inc?.status === 'active'

  const run = async (fn: () => Promise<unknown>) => {
    await act(async () => {
      await fn()
      q.reload()
      timeline.reload()
    })
  }
  const plan = () =>
    run(() =>
      api('/api/plans', { method: 'POST', body: { mode: 'disaster', incidentId: id }, headers: { 'idempotency-key': idempotencyKey('incident-plan') } }),
    )
  const units = (qty: number, component: string) => `${qty} ${t(`unit.${component}`)}`
  const candidates = inc ? greenCandidates(inc) : []
  // the click commits exactly what the confirmation names (the server refuses with 409 if the plan changed meanwhile)
  const green = () =>
    run(async () => {
      setGreenAsk(false)
      await api(`${path}/green-channel`, { method: 'POST', body: { transferIds: candidates.map((c) => c.id) } })
    })
  const greenMessage = () => {
    if (candidates.length === 0) return t('incident.confirmGreenNone')
    const byComp = new Map<string, number>()
    for (const c of candidates) byComp.set(c.component, (byComp.get(c.component) ?? 0) + c.qty)
    return t('incident.confirmGreen', {
      n: candidates.length,
      stations: [...new Set(candidates.map((c) => c.fromSite))].map(name).join('、'),
      units: [...byComp].map(([c, q]) => `${t(`component.${c}`)} ${units(q, c)}`).join('、'),
    })
  }
  const close = () =>
    run(async () => {
      setClosing(false)
      await api(`${path}/close`, { method: 'POST', body: {} })
    })
  // a committed transfer can be recalled until it is dispatched: its units go back to the donor's lots
  const recall = (trId: string) =>
    run(async () => {
      setRecalling(null)
      await api(`/api/transfers/${encodeURIComponent(trId)}/cancel`, { method: 'POST', body: { reason: t('incident.recallReason') } })
    })

  if (!inc)
    return (
      <section class="incident-page">
        <ErrorMessage error={q.error} />
        {!q.error && <p>{t('common.loading')}</p>}
      </section>
    )
  const resp = inc.response
  const live = inc.transfers.filter((tr) => tr.status !== 'rejected').sort(byUrgency)
  return (
    <section class="incident-page" data-incident={inc.id} data-status={inc.status}>
      <h2>
        {inc.name} <StatusBadge status={inc.status} />
        {inc.greenChannel && (
          <span class="badge green-channel" data-green="open">
            {t('incident.greenOpen')}
          </span>
        )}
      </h2>
      <p class="meta">
        {dateTime(inc.occurredAt, lang)} · {inc.lat.toFixed(3)}, {inc.lng.toFixed(3)} · {t('incident.casualtiesShort', inc.casualties)}
        {' · '}
        {t('incident.receivingPoints')}:{' '}
        {inc.points
          .map(
            (p) =>
              `${siteName(p, lang)}${p.quota ? ` (${t('incident.quota', { n: `${p.quota.units} ${t(`unit.${p.quota.component}`)}`, component: t(`component.${p.quota.component}`) })}${p.quota.antigens ? ` ${p.quota.antigens}` : ''})` : ''}`,
          )
          .join('、')}
      </p>
      {coord && active && (
        <div class="toolbar">
          <button type="button" class="plan-incident" disabled={busy} onClick={plan}>
            {t('incident.plan')}
          </button>
          {!inc.greenChannel && !greenAsk && (
            <button type="button" class="open-green" disabled={busy} onClick={() => setGreenAsk(true)}>
              {t('incident.openGreen')}
            </button>
          )}
          {!closing && (
            <button type="button" class="close-incident secondary" disabled={busy} onClick={() => setClosing(true)}>
              {t('incident.close')}
            </button>
          )}
        </div>
      )}
      {greenAsk && (
        <div class="green-confirm" data-count={candidates.length}>
          <Confirm message={greenMessage()} yes={t('incident.openGreen')} busy={busy} onYes={green} onNo={() => setGreenAsk(false)} />
          {candidates.length > 0 && (
            <ul class="green-list">
              {[...candidates].sort(byUrgency).map((c) => (
                <li key={c.id} data-transfer={c.id}>
                  {name(c.fromSite)} → {name(c.toSite)} · {t(`component.${c.component}`)} {group(c.abo, c.rhd)} · {units(c.qty, c.component)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {closing && <Confirm message={t('incident.confirmClose')} yes={t('incident.close')} busy={busy} onYes={close} onNo={() => setClosing(false)} />}
      {inc.greenChannel && <p class="note green-note">{t('incident.greenNote', { at: dateTime(inc.greenChannelAt, lang) })}</p>}
      <ErrorMessage error={error} />
      <IncidentMap incident={inc} sites={sites} lang={lang} />

      {report.data && <ReportView report={report.data} name={name} csv={`${path}/report.csv`} />}

      {me?.role !== 'director' && (
        <Estimate
          inc={inc}
          name={name}
          editable={coord && active}
          onSaved={() => {
            q.reload()
            timeline.reload()
          }}
        />
      )}

      <h3>{t('incident.transfers')}</h3>
      {live.length === 0 ? (
        <p class="empty">{t(resp ? 'incident.noTransfers' : 'incident.notPlanned')}</p>
      ) : (
        <table class="cards incident-transfers">
          <thead>
            <tr>
              <th>{t('incident.from')}</th>
              <th>{t('incident.to')}</th>
              <th>{t('incident.what')}</th>
              <th>{t('incident.qty')}</th>
              <th>{t('incident.eta')}</th>
              <th>{t('incident.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {live.map((tr) => (
              <tr key={tr.id} data-transfer={tr.id} data-state={transferState(tr.status)} data-status={tr.status} data-urgency={tr.requests[0]?.urgency}>
                <td data-label={t('incident.from')}>{name(tr.fromSite)}</td>
                <td data-label={t('incident.to')}>{name(tr.toSite)}</td>
                <td data-label={t('incident.what')}>
                  {t(`component.${tr.component}`)} {group(tr.abo, tr.rhd)}{' '}
                  {tr.requests.some((r) => r.urgency === 'emergency') && <UrgencyBadge urgency="emergency" />}
                </td>
                <td data-label={t('incident.qty')}>{units(tr.qty, tr.component)}</td>
                <td data-label={t('incident.eta')}>{hours(tr.etaHours, lang)}</td>
                <td data-label={t('incident.state')}>
                  <span class={`badge state-${transferState(tr.status)}`}>{t(`incident.state.${transferState(tr.status)}`)}</span>{' '}
                  <StatusBadge status={tr.status} />
                </td>
                <td class="actions">
                  {me?.role === 'director' && me.siteId === tr.fromSite && tr.status === 'committed' && (
                    <DispatchForm
                      tr={tr}
                      onDone={() => {
                        q.reload()
                        timeline.reload()
                      }}
                    />
                  )}
                  {coord && tr.status === 'committed' && recalling !== tr.id && (
                    <button type="button" class="recall secondary" disabled={busy} onClick={() => setRecalling(tr.id)}>
                      {t('incident.recall')}
                    </button>
                  )}
                  {recalling === tr.id && (
                    <Confirm
                      message={t('incident.confirmRecall', { from: name(tr.fromSite), qty: units(tr.qty, tr.component) })}
                      yes={t('incident.recall')}
                      busy={busy}
                      onYes={() => recall(tr.id)}
                      onNo={() => setRecalling(null)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {me?.role === 'director' && <Estimate inc={inc} name={name} editable={false} onSaved={() => q.reload()} />}

      {resp && (
        <>
          <h3>{t('incident.unmet')}</h3>
          {resp.unmet.length === 0 ? (
            <p class="empty unmet-none">{t('incident.allMet')}</p>
          ) : (
            <ul class="incident-unmet">
              {resp.unmet.map((u) => (
                <li key={u.requestId} data-request={u.requestId} data-reason={u.reason}>
                  {name(u.siteId)} · {t(`component.${u.component}`)} {group(u.abo, u.rhd)} <UrgencyBadge urgency={u.urgency} /> {units(u.qty, u.component)} ·{' '}
                  {t(`reason.${u.reason ?? 'insufficient_stock'}`)}
                  {!u.incident && ` (${t('incident.otherRequest')})`}
                </li>
              ))}
            </ul>
          )}
          <h3>{t('incident.stations')}</h3>
          <p class="meta">
            {t('incident.splitExplain', { share: resp.fairness.length ? Math.round(Math.max(...resp.fairness.map((f) => f.maxShare)) * 100) : 0 })}
          </p>
          <table class="cards incident-stations">
            <thead>
              <tr>
                <th>{t('incident.station')}</th>
                <th>{t('incident.what')}</th>
                <th>{t('incident.before')}</th>
                <th>{t('incident.sends')}</th>
                <th>{t('incident.after')}</th>
                <th>{t('incident.days')}</th>
                <th>{t('incident.level')}</th>
              </tr>
            </thead>
            <tbody>
              {resp.stations.map((s) => (
                <tr key={`${s.siteId}|${s.component}`} data-station={s.siteId} data-component={s.component}>
                  <td data-label={t('incident.station')}>{name(s.siteId)}</td>
                  <td data-label={t('incident.what')}>{t(`component.${s.component}`)}</td>
                  <td data-label={t('incident.before')}>{units(s.before, s.component)}</td>
                  <td data-label={t('incident.sends')}>
                    {units(s.sends, s.component)} ({Math.round(s.share * 100)}%)
                  </td>
                  <td data-label={t('incident.after')}>{units(s.after, s.component)}</td>
                  <td data-label={t('incident.days')}>
                    {days(s.daysBefore, lang)} → {days(s.daysAfter, lang)}
                  </td>
                  <td data-label={t('incident.level')}>
                    <LevelBadge level={s.levelBefore} /> →{' '}
                    <span data-level-after={s.levelAfter}>
                      <LevelBadge level={s.levelAfter} />
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {resp.destinations.map((d) => (
            <p key={d.siteId} class="destination-split" data-destination={d.siteId}>
              {t('incident.destSplit', { to: name(d.siteId), planned: units(d.planned, d.component), quota: units(d.quota, d.component) })}:{' '}
              {d.bySource.map((b) => `${name(b.siteId)} ${units(b.qty, d.component)}`).join('、')}
            </p>
          ))}
        </>
      )}

      <h3>{t('incident.timeline')}</h3>
      <ol class="incident-timeline">
        {grouped(timeline.data?.events ?? []).map(({ e, n }) => (
          <li key={e.id} data-action={e.action}>
            {dateTime(e.at, lang)} · {e.actorName ?? e.actorId} · {t(`action.${e.action}`)}
            {n > 1 ? ` × ${n}` : e.entity === 'transfer' ? ` ${e.entityId}` : ''}
          </li>
        ))}
      </ol>
    </section>
  )
}
