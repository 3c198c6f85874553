import { useLocation } from 'preact-iso'
import { useState } from 'preact/hooks'
import { ErrorMessage } from '../components/error-message/error-message'
import { StatusBadge } from '../components/level-badge/level-badge'
import { Confirm } from '../components/confirm/confirm'
import { TransferReview, type ReviewAction } from '../components/transfer-review/transfer-review'
import { UnmetList } from '../components/unmet-list/unmet-list'
import { api, ApiError, idempotencyKey } from '../lib/api'
import { useT } from '../lib/i18n'
import type { Plan, PlanSummary, Site, Transfer } from '../lib/types'
import { dateTime, siteName } from '../lib/format'
import { useApi } from '../lib/use-api'
import { RegionMap } from '../map/region-map'
import { SiteLayer } from '../map/site-layer'
import { TransferLayer } from '../map/transfer-layer'
import { useAppState } from '../state'

const NO_SITES: Site[] = []
const NO_STATUS = {}


export function PlanPage() {
  const t = useT()
  const { me, lang } = useAppState()
  const { query, route } = useLocation()
  const planId = query.id ?? null
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const planQ = useApi<Plan>(planId ? `/api/plans/${encodeURIComponent(planId)}` : null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [committing, setCommitting] = useState(false)
  const sites = sitesQ.data?.sites ?? NO_SITES
  const plan = planId && planQ.data?.id === planId ? planQ.data : null
  const canReview = me?.role === 'coordinator' || me?.role === 'admin'

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true)
    setError(null)
    try {
      await fn()
    } catch (e) {
      setError(e as ApiError)
    } finally {
      setBusy(false)
    }
  }
  const runPlanner = () =>
    run(async () => {
      const p = await api<Plan>('/api/plans', { method: 'POST', body: {}, headers: { 'idempotency-key': idempotencyKey('plan') } })
      route(`/plan?id=${encodeURIComponent(p.id)}`)
    })
  const act = (tr: Transfer | null, action: ReviewAction) =>
    run(async () => {
      if ('approveRequest' in action) {
        await api(`/api/plans/${encodeURIComponent(plan!.id)}/approve`, { method: 'POST', body: { requestId: action.approveRequest } })
      } else if (tr) {
        const id = encodeURIComponent(tr.id)
        // the quantity in the box is what gets approved: save it first when it changed
        const qty = 'approve' in action ? action.approve : 'qty' in action ? action.qty : tr.qty
        if (qty !== tr.qty) await api(`/api/transfers/${id}`, { method: 'PATCH', body: { qty } })
        if ('approve' in action) await api(`/api/transfers/${id}/approve`, { method: 'POST' })
        if ('reject' in action) await api(`/api/transfers/${id}/reject`, { method: 'POST', body: { reason: action.reject } })
      }
      planQ.reload()
    })
  const commit = () =>
    run(async () => {
      setCommitting(false)
      await api(`/api/plans/${encodeURIComponent(plan!.id)}/commit`, { method: 'POST', body: {}, headers: { 'idempotency-key': idempotencyKey('commit') } })
      planQ.reload()
    })

  // the ordinary needs and those of the rare antigen rounds, which are planned on their own
  const needs = plan ? [...(plan.instance?.needs ?? []), ...(plan.instance?.antigenRounds ?? []).flatMap((r) => r.instance.needs ?? [])] : []
  const approved = plan?.transfers.filter((tr) => tr.status === 'approved').length ?? 0
  const unreviewed = plan?.transfers.filter((tr) => tr.status === 'proposed').length ?? 0
  return (
    <section class="plan-page">
      <h2>{t('plan.title')}</h2>
      {!canReview && me && <p class="meta">{t('plan.coordinatorOnly')}</p>}
      <div class="toolbar">
        {canReview && <button type="button" class="run-planner" disabled={busy} onClick={runPlanner}>{busy ? t('plan.running') : t('plan.run')}</button>}
        {plan && <span class="plan-id">{t('plan.id', { id: plan.id })} <StatusBadge status={plan.status} /></span>}
        {plan && canReview && !committing && <button type="button" class="commit" disabled={busy || approved === 0} onClick={() => setCommitting(true)}>{t('plan.commit')} ({approved})</button>}
        {plan && <a class="sheet-link" href={`/sheet?plan=${encodeURIComponent(plan.id)}`}>{t('sheet.open')}</a>}
      </div>
      {plan && committing && (
        <Confirm message={t(unreviewed ? 'plan.confirmCommitClosing' : 'plan.confirmCommit', { n: approved, m: unreviewed })} yes={t('plan.commit')} busy={busy} onYes={commit} onNo={() => setCommitting(false)} />
      )}
      <ErrorMessage error={error ?? planQ.error ?? sitesQ.error} />
      {!planId && <RecentPlans />}
      {plan && (
        <>
          <RegionMap class="plan-map">
            <SiteLayer small sites={sites} status={NO_STATUS} component="RBC" lang={lang} onOpen={(id) => route(`/sites/${id}`)} />
            <TransferLayer transfers={plan.transfers} sites={sites} lang={lang} />
          </RegionMap>
          <h3>{t('plan.transfers')}</h3>
          <TransferReview transfers={plan.transfers} needs={needs} sites={sites} canReview={canReview} busy={busy} onAction={act} />
          <h3>{t('plan.unmet')}</h3>
          <UnmetList unmet={plan.unmet ?? []} needs={needs} sites={sites} />
          {plan.roadTimes && <p class="meta road-times">{t('region.roadTable', { fromTable: plan.roadTimes.fromTable, pairs: plan.roadTimes.pairs })}</p>}
          {(plan.estimatedRoutes ?? []).length > 0 && (
            <p class="meta estimated-routes">{t('region.estimatedRoutes', { routes: (plan.estimatedRoutes ?? []).map((r) => `${r.from}→${r.to} ${r.hours} h`).join(', ') })}</p>
          )}
          {plan.oldestStockReport && <p class="meta plan-stock-age" data-hours={plan.oldestStockReport.hours}>{t('offline.planStockAge', { site: siteName(sites.find((s) => s.id === plan.oldestStockReport!.siteId), lang, plan.oldestStockReport.siteId), age: t('offline.ageHours', { n: plan.oldestStockReport.hours }), at: dateTime(plan.oldestStockReport.at) })}</p>}
        </>
      )}
    </section>
  )
}

function RecentPlans() {
  const t = useT()
  const { lang } = useAppState()
  const q = useApi<{ plans: PlanSummary[] }>('/api/plans?limit=10')
  const plans = q.data?.plans ?? []
  return (
    <div class="recent-plans">
      <h3>{t('plan.recent')}</h3>
      {q.data && plans.length === 0 && <p class="empty">{t('plan.none')}</p>}
      <ul>
        {plans.map((p) => (
          <li key={p.id}>
            <a href={`/plan?id=${encodeURIComponent(p.id)}`}>{p.id}</a> {dateTime(p.createdAt, lang)} <StatusBadge status={p.status} /> · {t('plan.transfers')}: {p.transferCount} · {t('plan.unmet')}: {p.unmetUnits}
          </li>
        ))}
      </ul>
    </div>
  )
}
