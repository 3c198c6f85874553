import { useState } from 'preact/hooks'
import { api, ApiCallError } from '../../lib/api'
import { siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Site } from '../../lib/types'
import { getState, useAppState } from '../../state'
import { ErrorMessage } from '../error-message/error-message'

/** CSV to or from the API with the bearer token (the api() helper speaks JSON). */
async function csvFetch(path: string, body?: string): Promise<string> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${getState().token}`, ...(body === undefined ? {} : { 'content-type': 'text/csv' }) },
    body,
  })
  const text = await res.text()
  if (!res.ok) {
    let err: { code?: string; message?: string; field?: string } = {}
    try {
      err = (JSON.parse(text) as { error: typeof err }).error
    } catch {
      /* not JSON */
    }
    throw new ApiCallError(res.status, err.code ?? `http_${res.status}`, err.message ?? text, err.field)
  }
  return text
}

const today = () => new Date().toISOString().slice(0, 10)

/**
 * A station's own register (its director, or a coordinator choosing a station): the donors and the station's deferral
 * list as CSV out and in, and a rare-type screening record.
 */
export function StationRegister({ sites, onChange }: { sites: Map<string, Site>; onChange: () => void }) {
  const t = useT()
  const { me, lang } = useAppState()
  const [site, setSite] = useState(me?.role === 'director' ? (me.siteId ?? '') : '')
  const [kind, setKind] = useState<'donors' | 'deferrals'>('donors')
  const [text, setText] = useState('')
  const [msg, setMsg] = useState<string | null>(null)
  const [error, setError] = useState<ApiCallError | null>(null)
  const [scr, setScr] = useState({ antigen: 'Fy(a-)', screened: '', found: '', periodFrom: today(), periodTo: today() })
  const run = async (fn: () => Promise<string>) => {
    setError(null)
    setMsg(null)
    try {
      setMsg(await fn())
      onChange()
    } catch (e) {
      setError(e as ApiCallError)
    }
  }
  const base = kind === 'donors' ? '/api/donors/csv' : '/api/deferrals/csv'
  const exportCsv = () =>
    run(async () => {
      const csv = await csvFetch(`${base}?site=${site}`)
      const a = document.createElement('a')
      a.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }))
      a.download = `${kind}-${site}.csv`
      a.click()
      setText(csv)
      return t('donors.register.exported', { n: Math.max(0, csv.trim().split('\n').length - 1) })
    })
  const importCsv = () =>
    run(async () => {
      const r = JSON.parse(await csvFetch(`${base}?site=${site}`, text)) as { added: number; updated?: number; skipped?: number }
      return t('donors.register.imported', { added: r.added, other: r.updated ?? r.skipped ?? 0 })
    })
  const screening = (e: Event) => {
    e.preventDefault()
    void run(async () => {
      await api('/api/donors/screenings', {
        method: 'POST',
        body: {
          siteId: site,
          antigen: scr.antigen.trim(),
          screened: Number(scr.screened),
          found: Number(scr.found),
          periodFrom: `${scr.periodFrom}T00:00:00Z`,
          periodTo: `${scr.periodTo}T00:00:00Z`,
        },
      })
      return t('donors.screening.recorded')
    })
  }
  if (me?.role === 'planner') return null
  return (
    <section class="station-register">
      <h3>{t('donors.register.title')}</h3>
      <div class="toolbar">
        {me?.role !== 'director' && (
          <label>
            {t('req.site')}{' '}
            <select name="registerSite" value={site} onChange={(e) => setSite((e.target as HTMLSelectElement).value)}>
              <option value="">—</option>
              {[...sites.values()].map((s) => (
                <option key={s.id} value={s.id}>
                  {siteName(s, lang, s.id)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('donors.register.list')}{' '}
          <select name="registerKind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as 'donors' | 'deferrals')}>
            <option value="donors">{t('donors.register.donors')}</option>
            <option value="deferrals">{t('donors.register.deferrals')}</option>
          </select>
        </label>
        <button type="button" class="export-csv" disabled={!site} onClick={exportCsv}>
          {t('donors.register.export')}
        </button>
      </div>
      <textarea
        name="csv"
        rows={4}
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        placeholder={kind === 'donors' ? 'code,abo,rhd,antigens,consent,last_whole_blood,last_platelets' : 'donor_code,reason,from,until,note'}
      />
      <button type="button" class="import-csv" disabled={!site || !text.trim()} onClick={importCsv}>
        {t('donors.register.import')}
      </button>
      <form class="screening-form toolbar" onSubmit={screening}>
        <strong>{t('donors.screening.title')}</strong>
        <label>
          {t('donors.antigen')} <input name="antigen" value={scr.antigen} onInput={(e) => setScr({ ...scr, antigen: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t('donors.screening.screened')}{' '}
          <input
            name="screened"
            inputMode="numeric"
            size={7}
            value={scr.screened}
            onInput={(e) => setScr({ ...scr, screened: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          {t('donors.screening.found')}{' '}
          <input name="found" inputMode="numeric" size={5} value={scr.found} onInput={(e) => setScr({ ...scr, found: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t('donors.deferrals.from')}{' '}
          <input name="periodFrom" type="date" value={scr.periodFrom} onInput={(e) => setScr({ ...scr, periodFrom: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t('donors.deferrals.until')}{' '}
          <input name="periodTo" type="date" value={scr.periodTo} onInput={(e) => setScr({ ...scr, periodTo: (e.target as HTMLInputElement).value })} />
        </label>
        <button type="submit" disabled={!site}>
          {t('donors.screening.record')}
        </button>
      </form>
      {msg && <p role="status">{msg}</p>}
      <ErrorMessage error={error} />
    </section>
  )
}
