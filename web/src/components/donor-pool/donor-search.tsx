import { useLocation } from 'preact-iso'
import { useState } from 'preact/hooks'
import { api } from '../../lib/api'
import type { DonorSearchResult } from '../../lib/donor-types'
import { dateTime, group, num, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import { ABOS, COMPONENTS, type AidRequest, type Site } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import { ErrorMessage } from '../error-message/error-message'
import { PeerResults } from './peer-results'
import { canWriteSite } from '../../lib/roles'
import { useAction } from '../../lib/use-action'

/**
 * Search the pool across the region, nearest by road first. With `?request=ID` (from an unmet need of a plan) the
 * request's group, component and antigens are the filter and each eligible donor can be called for it. In province
 * mode the linked provinces' donors follow, each province named (or shown unreachable), callable through its coordinator.
 */
export function DonorSearch({ sites, onCalled }: { sites: Map<string, Site>; onCalled: () => void }) {
  const t = useT()
  const { me, lang } = useAppState()
  const { query, route } = useLocation()
  const requestId = query.request ?? null
  const [form, setForm] = useState({ antigens: query.antigens ?? 'Fy(a-)', abo: '', rhd: '', component: 'RBC', near: '', eligible: false })
  const [path, setPath] = useState<string | null>(null)
  const { busy, error, run } = useAction()
  const reqQ = useApi<AidRequest>(requestId ? `/api/requests/${encodeURIComponent(requestId)}` : null)
  const searchPath = requestId ? `/api/donors?request=${encodeURIComponent(requestId)}` : path
  const q = useApi<DonorSearchResult>(searchPath)
  const req = reqQ.data
  const canCall = !!req && canWriteSite(me, req.siteId)

  const search = (e: Event) => {
    e.preventDefault()
    const p = new URLSearchParams({ component: form.component })
    if (form.antigens.trim()) p.set('antigens', form.antigens.trim())
    if (form.abo) p.set('abo', form.abo)
    if (form.rhd) p.set('rhd', form.rhd)
    if (form.near) p.set('near', form.near)
    if (form.eligible) p.set('eligible', 'true')
    setPath(`/api/donors?${p}`)
  }
  const callUp = async (code: string) => {
    await run(async () => {
      await api('/api/callups', { method: 'POST', body: { requestId, donorCodes: [code] } })
      q.reload()
      onCalled()
    })
  }
  const set = (k: keyof typeof form) => (e: Event) => {
    const el = e.target as HTMLInputElement
    setForm({ ...form, [k]: el.type === 'checkbox' ? el.checked : el.value })
  }
  const r = q.data
  return (
    <section class="donor-search">
      <h3>{t('donors.search.title')}</h3>
      {requestId ? (
        <p class="request-filter" data-request={requestId}>
          {t('donors.search.forRequest', { id: requestId })}
          {req && (
            <>
              {' '}
              · {siteName(sites.get(req.siteId), lang, req.siteId)} · {t(`component.${req.component}`)} {group(req.abo, req.rhd)} ·{' '}
              <strong data-antigens>{req.antigens}</strong>
              {req.neededBy && <> · {t('review.deadline', { at: dateTime(req.neededBy, lang) })}</>}
            </>
          )}{' '}
          <button type="button" class="link" onClick={() => route('/donors')}>
            {t('donors.search.clear')}
          </button>
        </p>
      ) : (
        <form class="donor-search-form toolbar" onSubmit={search}>
          <label>
            {t('donors.antigen')} <input name="antigens" value={form.antigens} onInput={set('antigens')} placeholder="Fy(a-),Jk(a-b-)" />
          </label>
          <label>
            {t('donors.patientGroup')}{' '}
            <select name="abo" value={form.abo} onChange={set('abo')}>
              <option value="">—</option>
              {ABOS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
            <select name="rhd" value={form.rhd} onChange={set('rhd')}>
              <option value="">—</option>
              <option value="+">RhD+</option>
              <option value="-">RhD−</option>
            </select>
          </label>
          <label>
            {t('req.component')}{' '}
            <select name="component" value={form.component} onChange={set('component')}>
              {COMPONENTS.map((c) => (
                <option key={c} value={c}>
                  {t(`component.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('donors.near')}{' '}
            <select name="near" value={form.near} onChange={set('near')}>
              <option value="">—</option>
              {[...sites.values()].map((s) => (
                <option key={s.id} value={s.id}>
                  {siteName(s, lang, s.id)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" name="eligible" checked={form.eligible} onChange={set('eligible')} /> {t('donors.eligibleOnly')}
          </label>
          <button type="submit">{t('donors.search.run')}</button>
        </form>
      )}
      <ErrorMessage error={error ?? q.error ?? reqQ.error} />
      {r && <p class="meta search-counts">{t('donors.search.counts', { n: r.total, e: r.eligibleNow, s: r.bySite.length })}</p>}
      {r && r.donors === null && (
        <ul class="site-counts">
          {r.bySite.map((s) => (
            <li key={s.siteId} data-site={s.siteId}>
              {siteName(sites.get(s.siteId), lang, s.siteId)}: {s.donors} ({t('donors.pool.eligibleNow')} {s.eligibleNow})
            </li>
          ))}
        </ul>
      )}
      {r?.donors &&
        (r.donors.length === 0 ? (
          <p class="empty">{t('donors.search.none')}</p>
        ) : (
          <table class="cards donor-results">
            <thead>
              <tr>
                <th>{t('donors.code')}</th>
                <th>{t('donors.station')}</th>
                <th>{t('req.group')}</th>
                <th>{t('donors.antigen')}</th>
                <th class="num">{t('donors.road')}</th>
                <th>{t('donors.eligible')}</th>
                {canCall && <th />}
              </tr>
            </thead>
            <tbody>
              {r.donors.map((d) => {
                const from = d.eligibleFrom[(req?.component ?? form.component) === 'PLT' ? 'PLT' : 'WB']
                return (
                  <tr key={d.code} data-donor={d.code} data-site={d.siteId} data-eligible={String(d.eligibleNow)}>
                    <td data-label={t('donors.code')}>
                      <code>{d.code}</code>
                    </td>
                    <td data-label={t('donors.station')}>
                      {siteName(sites.get(d.siteId), lang, d.siteId)} <span class="meta">{t(`donors.province.${d.province}`)}</span>
                    </td>
                    <td data-label={t('req.group')}>{group(d.abo, d.rhd)}</td>
                    <td data-label={t('donors.antigen')}>{d.antigens}</td>
                    <td class="num" data-label={t('donors.road')}>
                      {d.roadHours === null ? '—' : t('common.hours', { n: num(d.roadHours, lang, 1) })}
                    </td>
                    <td data-label={t('donors.eligible')}>
                      {d.callupId
                        ? t('donors.alreadyCalled')
                        : d.eligibleNow
                          ? t('donors.eligibleNowYes')
                          : from
                            ? t('donors.eligibleFrom', { at: dateTime(from, lang) })
                            : '—'}
                    </td>
                    {canCall && (
                      <td class="actions">
                        {!d.callupId && (
                          <button type="button" class="call-up" disabled={busy} onClick={() => callUp(d.code)}>
                            {t('donors.callUp')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                )
              })}
            </tbody>
          </table>
        ))}
      {r && r.peers.length > 0 && <PeerResults peers={r.peers} req={req ?? null} canAsk={canCall} onAsked={onCalled} />}
    </section>
  )
}
