import { useLocation } from 'preact-iso'
import { useState } from 'preact/hooks'
import { api, idempotencyKey } from '../../lib/api'
import type { CallupLink } from '../../lib/donor-types'
import { useAlerts, type AppEvent } from '../../lib/events'
import { dateTime, group, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { AidRequest, Plan, PlanSummary, Site, Transfer } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import { approvalsAtRisk } from '../../lib/supersede'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage } from '../error-message/error-message'
import { isCoordinator } from '../../lib/roles'
import { useAction } from '../../lib/use-action'
import { provinceAidText, type ProvinceAid } from '../province-aid/aid-card'

type Callup = { donorCode: string; requestSiteId: string; component: string }
/** A hospital's order (GET /api/orders/{id}): named by hospital, or by station for the hospital's own alert. */
type HospitalOrder = { hospitalNameZh: string; hospitalNameEn: string; stationId: string }

/** Another province asking to call our donors, named by province, component, group and antigens. */
const callupLinkText = (t: ReturnType<typeof useT>, l: CallupLink) =>
  t('alert.callupLinkNamed', {
    province: t(`donors.province.${l.province}`),
    what: `${t(`component.${l.component}`)} ${group(l.abo, l.rhd)}${l.antigens ? ` ${l.antigens}` : ''}`,
    n: l.donorCodes.length,
  })

/**
 * New emergency requests (for coordinators) and my station's transfer changes (for directors), as they arrive, each
 * named by station, component, group and quantity (never by id). An emergency's "open" plans for it at once.
 */
export function Alerts() {
  const [alerts, dismiss] = useAlerts()
  const sitesQ = useApi<{ sites: Site[] }>(alerts.length ? '/api/sites' : null)
  const byId = new Map((sitesQ.data?.sites ?? []).map((s) => [s.id, s]))
  // named by station: wait for the stations (a failure to load them still shows the alerts, with codes)
  if (alerts.length === 0 || (!sitesQ.data && !sitesQ.error)) return null
  return (
    <div class="alerts" aria-live="assertive">
      {alerts.map((a) =>
        a.notice ? <NoticeAlert key={a.id} a={a} onDismiss={() => dismiss(a.id)} /> : <Alert key={a.id} a={a} sites={byId} onDismiss={() => dismiss(a.id)} />,
      )}
    </div>
  )
}

const PATH: Record<string, string> = {
  aid_request: 'requests',
  transfer: 'transfers',
  callup: 'callups',
  callup_link: 'callup-links',
  province_aid: 'province-aid',
  hospital_order: 'orders',
}

function Alert({ a, sites, onDismiss }: { a: AppEvent; sites: Map<string, Site>; onDismiss: () => void }) {
  const t = useT()
  const { lang, me } = useAppState()
  const { route } = useLocation()
  const { busy, error, run } = useAction()
  const [ask, setAsk] = useState<PlanSummary[] | null>(null)
  const q = useApi<AidRequest & Transfer & Callup & HospitalOrder>(PATH[a.entity] ? `/api/${PATH[a.entity]}/${encodeURIComponent(a.entityId)}` : null)
  const d = q.data
  const site = (id: string | undefined) => siteName(sites.get(id ?? ''), lang, id ?? '')
  const emergency = a.action === 'request.create'
  const what = d ? `${t(`component.${d.component}`)} ${group(d.abo, d.rhd)} ${d.qty} ${t(`unit.${d.component}`)}` : ''
  const text = !d
    ? t(emergency ? 'alert.emergency' : `alert.${a.action}`, { site: site(a.sites[0]), id: '' })
    : emergency
      ? t('alert.emergencyNamed', { site: site(d.siteId), what })
      : a.entity === 'transfer'
        ? t(`alert.named.${a.action}`, { from: site(d.fromSite), to: site(d.toSite), what })
        : a.entity === 'callup'
          ? t('alert.callupNamed', { site: site(d.requestSiteId), component: t(`component.${d.component}`), donor: d.donorCode })
          : a.entity === 'callup_link'
            ? callupLinkText(t, d as unknown as CallupLink)
            : a.entity === 'province_aid'
              ? provinceAidText(t, a, d as unknown as ProvinceAid, lang)
              : ''
  // a hospital's order: an emergency call named by hospital (for the station), the station's answer (for the hospital)
  const order = (a.entity as string) === 'hospital_order'
  const hospital = d && order ? (lang === 'en' && d.hospitalNameEn) || d.hospitalNameZh : ''
  const orderText = !d
    ? t('alert.orderEmergencyUnnamed')
    : a.action === 'order.create'
      ? t('alert.orderEmergency', { hospital, what })
      : t(a.action === 'order.fill' ? 'alert.orderFilled' : 'alert.orderDeclined', { station: site(d.stationId), what })
  const canPlan = isCoordinator(me)
  // "open" on an emergency: a plan for it (a new plan covers every open request and supersedes older ones), its group
  // in view; if that would close approvals on a plan under review, it asks first, saying how many
  const plan = async (check: boolean) => {
    setAsk(null)
    await run(async () => {
      const risk = check ? await approvalsAtRisk() : []
      if (risk.length) return setAsk(risk)
      const p = await api<Plan>('/api/plans', { method: 'POST', body: {}, headers: { 'idempotency-key': idempotencyKey('plan') } })
      onDismiss()
      route(`/plan?id=${encodeURIComponent(p.id)}&focus=${encodeURIComponent(a.entityId)}`)
    })
  }
  const open = (e: Event) => {
    if (!emergency || !canPlan) return onDismiss()
    e.preventDefault()
    void plan(true)
  }
  // shown once it can be named (or once naming it failed: then the event's own words)
  if (!d && !q.error) return null
  const href = emergency
    ? canPlan
      ? '/plan'
      : '/requests'
    : a.entity === 'callup' || a.entity === 'callup_link'
      ? '/donors'
      : a.entity === 'province_aid'
        ? '/province-aid'
        : '/station'
  const orderHref = me?.role === 'hospital' ? '/hospital' : '/station?tab=hospitals'
  const loud = emergency || (order && a.action === 'order.create')
  return (
    <div class={`alert ${loud ? 'alert-emergency' : 'alert-transfer'}`} role="alert" data-event={a.action} data-entity={a.entity}>
      <span>{order ? orderText : text}</span>
      <a href={order ? orderHref : href} onClick={open} aria-disabled={busy || undefined}>
        {busy ? t('plan.running') : t('alert.open')}
      </a>
      {ask && (
        <Confirm
          message={t('plan.confirmSupersede', {
            n: ask.reduce((s, p) => s + p.approvedCount, 0),
            plans: ask.map((p) => dateTime(p.createdAt, lang)).join('、'),
          })}
          yes={t('plan.run')}
          busy={busy}
          onYes={() => void plan(false)}
          onNo={() => setAsk(null)}
        />
      )}
      <ErrorMessage error={error} />
      <button type="button" class="alert-close" aria-label={t('alert.dismiss')} onClick={onDismiss}>
        ×
      </button>
    </div>
  )
}

/** A notice from another province's coordinator (issue 24): its words, who sent it, and the way to the linked provinces. */
function NoticeAlert({ a, onDismiss }: { a: AppEvent; onDismiss: () => void }) {
  const t = useT()
  const n = a.notice!
  const province = t(`link.province.${n.fromProvince}`) === `link.province.${n.fromProvince}` ? n.fromProvince : t(`link.province.${n.fromProvince}`)
  return (
    <div class={`alert ${n.urgent ? 'alert-emergency' : 'alert-transfer'}`} role="alert" data-event={a.action}>
      <span>{t(n.urgent ? 'link.noticeAlertUrgent' : 'link.noticeAlert', { province, by: n.byName, text: n.text })}</span>
      <a href="/provinces" onClick={onDismiss}>
        {t('alert.open')}
      </a>
      <button type="button" class="alert-close" aria-label={t('alert.dismiss')} onClick={onDismiss}>
        ×
      </button>
    </div>
  )
}
