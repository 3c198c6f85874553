import { useState } from 'preact/hooks'
import { api, ApiCallError } from '../../lib/api'
import { DEFERRAL_REASONS, type Deferral } from '../../lib/donor-types'
import { dateTime, parseLocal, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Site } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import { ErrorMessage, FieldError } from '../error-message/error-message'

/** The joint deferral list (联合屏蔽): recorded at any station, it blocks a call-up everywhere (in province mode, also those received from the linked province). */
export function DeferralPanel({ sites }: { sites: Map<string, Site> }) {
  const t = useT()
  const { me, lang } = useAppState()
  const q = useApi<{ deferrals: Deferral[] }>('/api/deferrals?active=true')
  const [form, setForm] = useState({ donorCode: '', siteId: me?.siteId ?? '', reason: 'medical', from: dateTime(new Date().toISOString()), until: '' })
  const [error, setError] = useState<ApiCallError | null>(null)
  const [done, setDone] = useState(false)
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })
  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setDone(false)
    try {
      const from = parseLocal(form.from)
      if (!from) throw new ApiCallError(400, 'invalid_input', 'from', 'from')
      const until = form.until.trim() ? parseLocal(form.until) : null
      if (form.until.trim() && !until) throw new ApiCallError(400, 'invalid_input', 'until', 'until')
      await api('/api/deferrals', { method: 'POST', body: { donorCode: form.donorCode.trim(), siteId: form.siteId, reason: form.reason, from, until } })
      setDone(true)
      q.reload()
    } catch (err) {
      setError(err as ApiCallError)
    }
  }
  const list = q.data?.deferrals ?? []
  return (
    <section class="deferral-panel">
      <h3>{t('donors.deferrals.title', { n: list.length })}</h3>
      <p class="meta">{t('donors.deferrals.hint')}</p>
      <form class="deferral-form toolbar" onSubmit={submit}>
        <label>
          {t('donors.code')} <input name="donorCode" value={form.donorCode} onInput={set('donorCode')} placeholder="CQ-R0012" />
          <FieldError error={error} field="donorCode" />
        </label>
        {me?.role !== 'director' && (
          <label>
            {t('donors.deferrals.station')}{' '}
            <select name="siteId" value={form.siteId} onChange={set('siteId')}>
              <option value="">—</option>
              {[...sites.values()].map((s) => (
                <option key={s.id} value={s.id}>
                  {siteName(s, lang, s.id)}
                </option>
              ))}
            </select>
            <FieldError error={error} field="siteId" />
          </label>
        )}
        <label>
          {t('donors.deferrals.reason')}{' '}
          <select name="reason" value={form.reason} onChange={set('reason')}>
            {DEFERRAL_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`donors.reason.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('donors.deferrals.from')} <input name="from" value={form.from} onInput={set('from')} />
          <FieldError error={error} field="from" />
        </label>
        <label>
          {t('donors.deferrals.until')} <input name="until" value={form.until} onInput={set('until')} placeholder={t('donors.deferrals.permanent')} />
          <FieldError error={error} field="until" />
        </label>
        <button type="submit">{t('donors.deferrals.add')}</button>
        {done && <span role="status">{t('donors.deferrals.added')}</span>}
      </form>
      <ErrorMessage error={error && !error.field ? error : q.error} />
      {list.length > 0 && (
        <table class="cards deferral-table">
          <thead>
            <tr>
              <th>{t('donors.code')}</th>
              <th>{t('donors.deferrals.station')}</th>
              <th>{t('donors.deferrals.reason')}</th>
              <th>{t('donors.deferrals.from')}</th>
              <th>{t('donors.deferrals.until')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id} data-deferral={d.donorCode}>
                <td data-label={t('donors.code')}>
                  <code>{d.donorCode}</code>
                </td>
                <td data-label={t('donors.deferrals.station')}>
                  {d.siteId
                    ? siteName(sites.get(d.siteId), lang, d.siteId)
                    : t('donors.link.fromProvince', {
                        province: t(`donors.province.${d.fromProvince}`),
                        site: (lang === 'en' ? d.sourceSiteNameEn : d.sourceSiteNameZh) ?? d.sourceSite ?? '',
                      })}
                </td>
                <td data-label={t('donors.deferrals.reason')}>{t(`donors.reason.${d.reason}`)}</td>
                <td data-label={t('donors.deferrals.from')}>{dateTime(d.from, lang)}</td>
                <td data-label={t('donors.deferrals.until')}>{d.until ? dateTime(d.until, lang) : t('donors.deferrals.permanent')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
