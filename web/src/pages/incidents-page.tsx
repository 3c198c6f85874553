import { useLocation } from 'preact-iso'
import { useCallback, useState } from 'preact/hooks'
import { Confirm } from '../components/confirm/confirm'
import { ErrorMessage, FieldError } from '../components/error-message/error-message'
import { PickMap } from '../components/incident-map/incident-map'
import { StatusBadge } from '../components/level-badge/level-badge'
import { api, type ApiCallError, idempotencyKey } from '../lib/api'
import { dateTime, localInput, parseLocal } from '../lib/format'
import { useT } from '../lib/i18n'
import type { Incident, IncidentSummary } from '../lib/incident-types'
import { useApi } from '../lib/use-api'
import { useAppState } from '../state'
import { INCIDENT_KINDS } from '../lib/incident-types'
import '../incidents.css'
import { isCoordinator } from '../lib/roles'
import { useAction } from '../lib/use-action'

/** Incidents (突发事件): the list, and for a coordinator the form that declares one. */
export function IncidentsPage() {
  const t = useT()
  const { me, lang } = useAppState()
  const q = useApi<{ incidents: IncidentSummary[] }>('/api/incidents')
  const canDeclare = isCoordinator(me)
  return (
    <section class="incidents-page">
      <h2>{t('incident.title')}</h2>
      <ErrorMessage error={q.error} />
      {q.data && q.data.incidents.length === 0 && <p class="empty">{t('incident.none')}</p>}
      <ul class="incident-list">
        {(q.data?.incidents ?? []).map((i) => (
          <li key={i.id} data-incident={i.id}>
            <a href={`/incidents/${encodeURIComponent(i.id)}`}>{i.name}</a> <StatusBadge status={i.status} /> {t(`incident.kind.${i.kind}`)} ·{' '}
            {dateTime(i.occurredAt, lang)}
            {' · '}
            {t('incident.casualtiesShort', i.casualties)}
            {i.greenChannel && <span class="badge green-channel"> {t('incident.greenOpen')}</span>}
          </li>
        ))}
      </ul>
      {canDeclare && <DeclareForm />}
    </section>
  )
}

const int = (s: string) => (s.trim() === '' ? 0 : Number(s))

function DeclareForm() {
  const t = useT()
  const { route } = useLocation()
  const [f, setF] = useState({
    name: '',
    kind: 'earthquake',
    lat: '',
    lng: '',
    at: localInput(),
    critical: '',
    severe: '',
    moderate: '',
    injured: '',
    hospitalised: '',
    receiving: '',
    destName: '',
    destProvince: '',
    destLat: '',
    destLng: '',
    destMl: '',
    destAntigens: '',
  })
  const { busy, error, run } = useAction()
  // the server questions a place far outside the region (400 outside_region); the coordinator confirms or corrects it
  const [outside, setOutside] = useState<string | null>(null)
  const set = (k: keyof typeof f) => (e: Event) => {
    setOutside(null)
    setF({ ...f, [k]: (e.target as HTMLInputElement).value })
  }
  const pick = useCallback((p: { lat: number; lng: number }) => setF((x) => ({ ...x, lat: String(p.lat), lng: String(p.lng) })), [])
  const point = f.lat && f.lng && !Number.isNaN(Number(f.lat)) && !Number.isNaN(Number(f.lng)) ? { lat: Number(f.lat), lng: Number(f.lng) } : null
  const submit = async (e: Event | null, confirmOutsideRegion = false) => {
    e?.preventDefault()
    await run(async () => {
      try {
        const antigens = f.destAntigens
          .split(/[\s,，]+/)
          .map((s) => s.trim())
          .filter(Boolean)
        const receiving = f.receiving
          .split(/[\s,，]+/)
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean)
        const body = {
          name: f.name,
          kind: f.kind,
          ...(confirmOutsideRegion ? { confirmOutsideRegion } : {}),
          lat: f.lat.trim() === '' ? undefined : Number(f.lat),
          lng: f.lng.trim() === '' ? undefined : Number(f.lng),
          at: f.at.trim() === '' ? undefined : (parseLocal(f.at) ?? f.at),
          casualties: { critical: int(f.critical), severe: int(f.severe), moderate: int(f.moderate) },
          ...(f.injured.trim() ? { injured: int(f.injured) } : {}),
          ...(f.hospitalised.trim() ? { hospitalised: int(f.hospitalised) } : {}),
          ...(receiving.length ? { receivingSites: receiving } : {}),
          ...(f.destName.trim()
            ? {
                destinations: [
                  {
                    name: f.destName.trim(),
                    province: f.destProvince.trim(),
                    lat: Number(f.destLat),
                    lng: Number(f.destLng),
                    component: 'RBC',
                    ml: int(f.destMl),
                    ...(antigens.length ? { antigens } : {}),
                  },
                ],
              }
            : {}),
        }
        const inc = await api<Incident>('/api/incidents', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey('incident') } })
        route(`/incidents/${encodeURIComponent(inc.id)}`)
      } catch (err) {
        // a place far outside the region is a question for the coordinator, not an error
        const ae = err as ApiCallError
        if (ae.code !== 'outside_region') throw ae
        setOutside(ae.field ?? 'lat')
      }
    })
  }
  const field = (k: keyof typeof f, label: string, api: string, extra: Record<string, string> = {}) => (
    <label>
      {label}
      <input name={k} value={f[k]} onInput={set(k)} {...extra} />
      <FieldError error={error} field={api} />
    </label>
  )
  return (
    <form class="declare-form" onSubmit={submit} noValidate>
      <h3>{t('incident.declare')}</h3>
      {field('name', t('incident.name'), 'name', { placeholder: t('incident.namePlaceholder') })}
      <p class="meta">{t('incident.pickHint')}</p>
      <PickMap point={point} onPick={pick} />
      <div class="row">
        {field('lat', t('incident.lat'), 'lat', { inputMode: 'decimal', placeholder: '29.914' })}
        {field('lng', t('incident.lng'), 'lng', { inputMode: 'decimal', placeholder: '102.235' })}
        {field('at', t('incident.at'), 'at', { placeholder: '2026-12-01 14:30' })}
      </div>
      <label>
        {t('incident.kindLabel')}
        <select name="kind" value={f.kind} onChange={set('kind')}>
          {INCIDENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`incident.kind.${k}`)}
            </option>
          ))}
        </select>
        <FieldError error={error} field="kind" />
      </label>
      <fieldset>
        <legend>{t('incident.casualties')}</legend>
        <p class="meta">{t('incident.knownHint')}</p>
        <div class="row">
          {field('critical', t('triage.critical'), 'casualties', { type: 'number', min: '0', inputMode: 'numeric' })}
          {field('severe', t('triage.severe'), 'casualties', { type: 'number', min: '0', inputMode: 'numeric' })}
          {field('moderate', t('triage.moderate'), 'casualties', { type: 'number', min: '0', inputMode: 'numeric' })}
        </div>
        <div class="row">
          {field('hospitalised', t('incident.hospitalised'), 'hospitalised', { type: 'number', min: '0', inputMode: 'numeric' })}
          {field('injured', t('incident.injured'), 'injured', { type: 'number', min: '0', inputMode: 'numeric' })}
        </div>
      </fieldset>
      <details>
        <summary>{t('incident.moreOptions')}</summary>
        {field('receiving', t('incident.receiving'), 'receivingSites', { placeholder: 'GZ, YA' })}
        <fieldset>
          <legend>{t('incident.destination')}</legend>
          <div class="row">
            {field('destName', t('incident.destName'), 'destinations', { placeholder: '武汉血液中心' })}
            {field('destProvince', t('incident.destProvince'), 'destinations', { placeholder: 'Hubei' })}
            {field('destLat', t('incident.lat'), 'destinations', { inputMode: 'decimal' })}
            {field('destLng', t('incident.lng'), 'destinations', { inputMode: 'decimal' })}
            {field('destMl', t('incident.destMl'), 'destinations', { type: 'number', min: '0', inputMode: 'numeric' })}
            {field('destAntigens', t('incident.destAntigens'), 'destinations', { placeholder: 'Fy(a-)' })}
          </div>
        </fieldset>
      </details>
      {outside && (
        <div class="outside-region" data-field={outside}>
          <Confirm
            message={t('incident.confirmOutside', { lat: f.lat, lng: f.lng })}
            yes={t('incident.declareAnyway')}
            busy={busy}
            onYes={() => {
              setOutside(null)
              void submit(null, true)
            }}
            onNo={() => setOutside(null)}
          />
        </div>
      )}
      {!outside && (
        <button type="submit" class="declare" disabled={busy}>
          {t('incident.declareButton')}
        </button>
      )}
      {error && <ErrorMessage error={error} />}
    </form>
  )
}
