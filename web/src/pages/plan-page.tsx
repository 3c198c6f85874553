import { useLocation } from 'preact-iso'
import { useEffect, useState } from 'preact/hooks'
import { ErrorMessage } from '../components/error-message/error-message'
import { StatusBadge } from '../components/level-badge/level-badge'
import { Confirm } from '../components/confirm/confirm'
import { TransferReview, type ReviewAction } from '../components/transfer-review/transfer-review'
import { UnmetList } from '../components/unmet-list/unmet-list'
import { api, ApiCallError, idempotencyKey } from '../lib/api'
import { useT } from '../lib/i18n'
import type { Plan, PlanSummary, Site, Transfer } from '../lib/types'
import { dateTime, siteName } from '../lib/format'
import { approvalsAtRisk } from '../lib/supersede'
import { useApi } from '../lib/use-api'
import { RegionMap } from '../map/region-map'
import { SiteLayer } from '../map/site-layer'
import { TransferLayer } from '../map/transfer-layer'
import { useAppState } from '../state'
import { isCoordinator } from '../lib/roles'
import { useAction } from '../lib/use-action'

const NO_SITES: Site[] = []
const NO_STATUS = {}
/** Commit failures the page can name (error.detail: the transfer, its stations, the lot or request) and offer to re-plan. */
const NAMED_FAILURES = new Set(['insufficient_stock', 'below_floor', 'request_covered', 'plan_superseded'])

export function PlanPage() {
  const t = useT()
  const { me, lang } = useAppState()
  const { query, route } = useLocation()
  const planId = query.id ?? null
  const focus = query.focus ?? null
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  const planQ = useApi<Plan>(planId ? `/api/plans/${encodeURIComponent(planId)}` : null)
  const { busy, error, setError, run } = useAction()
  const [committing, setCommitting] = useState(false)
  // what each quantity box shows while it differs from the stored quantity: approve, approve-all and commit all read it
  const [boxes, setBoxes] = useState<Record<string, string>>({})
  const [blockedAsked, setBlockedAsked] = useState(false)
  // a new plan would close approvals on plans under review: the coordinator is told which, and chooses
  const [replanAsk, setReplanAsk] = useState<PlanSummary[] | null>(null)
  const [drawOnHospitals, setDrawOnHospitals] = useState(false)
  const sites = sitesQ.data?.sites ?? NO_SITES
  const plan = planId && planQ.data?.id === planId ? planQ.data : null
  const canReview = isCoordinator(me)
  const byId = new Map(sites.map((s) => [s.id, s]))

  // a new plan starts with clean boxes
  useEffect(() => {
    setBoxes({})
    setBlockedAsked(false)
    setError(null)
    setCommitting(false)
  }, [planId])
  // from an alert: bring the request's group into view once the plan is shown
  useEffect(() => {
    if (!plan || !focus) return
    const el = (globalThis as { document?: Document }).document?.querySelector(
      `.review-group[data-request="${CSS.escape(focus)}"], .unmet-list tr[data-need="${CSS.escape(focus)}"]`,
    )
    el?.scrollIntoView({ block: 'start' })
  }, [plan?.id, focus])

  const onBox = (id: string, value: string) => {
    const stored = plan?.transfers.find((x) => x.id === id)?.qty
    setBoxes((b) => {
      const { [id]: _old, ...rest } = b
      return String(stored) === value.trim() ? rest : { ...rest, [id]: value }
    })
  }
  const clearBoxes = (ids: string[]) => setBoxes((b) => Object.fromEntries(Object.entries(b).filter(([k]) => !ids.includes(k))))
  /** Boxes edited and not saved, on transfers still in review: commit refuses while there are any. */
  const unsaved = (plan?.transfers ?? []).filter(
    (x) => (x.status === 'proposed' || x.status === 'approved') && boxes[x.id] !== undefined && Number(boxes[x.id]) !== x.qty,
  )

  const runPlanner = () =>
    run(async () => {
      setReplanAsk(null)
      const body = drawOnHospitals ? { drawOnHospitals: true } : {}
      const p = await api<Plan>('/api/plans', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey('plan') } })
      route(`/plan?id=${encodeURIComponent(p.id)}`)
    })
  const askPlanner = () =>
    run(async () => {
      const risk = await approvalsAtRisk()
      if (risk.length) setReplanAsk(risk)
      else await runPlanner()
    })
  const act = (tr: Transfer | null, action: ReviewAction) =>
    run(async () => {
      try {
        if ('approveRequest' in action) {
          // approve-all applies what every box of the request shows: edited boxes are saved first, and the server
          // refuses (409 qty_changed) if what it holds is not what was shown
          const group = plan!.transfers.filter((x) => x.status === 'proposed' && x.requests.some((l) => l.requestId === action.approveRequest))
          const shown = Object.fromEntries(group.map((x) => [x.id, boxes[x.id] === undefined ? x.qty : Number(boxes[x.id])]))
          const bad = group.find((x) => !Number.isInteger(shown[x.id]) || shown[x.id] < 1 || shown[x.id] > x.proposedQty)
          if (bad) throw new ApiCallError(400, 'invalid_input', `qty of ${bad.id}`, 'qty')
          for (const x of group)
            if (shown[x.id] !== x.qty) await api(`/api/transfers/${encodeURIComponent(x.id)}`, { method: 'PATCH', body: { qty: shown[x.id] } })
          await api(`/api/plans/${encodeURIComponent(plan!.id)}/approve`, { method: 'POST', body: { requestId: action.approveRequest, qtys: shown } })
          clearBoxes(group.map((x) => x.id))
        } else if (tr) {
          const id = encodeURIComponent(tr.id)
          // the quantity in the box is what gets approved: save it first when it changed, and approve that quantity
          const qty = 'approve' in action ? action.approve : 'qty' in action ? action.qty : tr.qty
          if (qty !== tr.qty) await api(`/api/transfers/${id}`, { method: 'PATCH', body: { qty } })
          if ('approve' in action) await api(`/api/transfers/${id}/approve`, { method: 'POST', body: { qty } })
          if ('reject' in action) await api(`/api/transfers/${id}/reject`, { method: 'POST', body: { reason: action.reject } })
          clearBoxes([tr.id])
        }
      } finally {
        planQ.reload()
      }
    })
  const askCommit = () => {
    if (unsaved.length) return setBlockedAsked(true)
    setBlockedAsked(false)
    setCommitting(true)
  }
  const commit = () =>
    run(async () => {
      setCommitting(false)
      try {
        await api(`/api/plans/${encodeURIComponent(plan!.id)}/commit`, { method: 'POST', body: {}, headers: { 'idempotency-key': idempotencyKey('commit') } })
      } finally {
        planQ.reload()
      }
    })
  const routeText = (tr: { fromSite: string; toSite: string }) =>
    `${siteName(byId.get(tr.fromSite), lang, tr.fromSite)} → ${siteName(byId.get(tr.toSite), lang, tr.toSite)}`

  // the ordinary needs and those of the rare antigen rounds, which are planned on their own
  const needs = plan ? [...(plan.instance?.needs ?? []), ...(plan.instance?.antigenRounds ?? []).flatMap((r) => r.instance.needs ?? [])] : []
  const approved = plan?.transfers.filter((tr) => tr.status === 'approved').length ?? 0
  const unreviewed = plan?.transfers.filter((tr) => tr.status === 'proposed').length ?? 0
  return (
    <section class="plan-page">
      <h2>{t('plan.title')}</h2>
      {!canReview && me && <p class="meta">{t('plan.coordinatorOnly')}</p>}
      <div class="toolbar">
        {canReview && (
          <button type="button" class="run-planner" disabled={busy} onClick={askPlanner}>
            {busy ? t('plan.running') : t('plan.run')}
          </button>
        )}
        {canReview && (
          <label class="draw-on-hospitals" title={t('hplan.drawTitle')}>
            <input
              type="checkbox"
              name="drawOnHospitals"
              checked={drawOnHospitals}
              onChange={(e) => setDrawOnHospitals((e.target as HTMLInputElement).checked)}
            />{' '}
            {t('hplan.drawOnHospitals')}
          </label>
        )}
        {plan && (
          <span class="plan-id" data-plan={plan.id} title={plan.id}>
            {t('plan.made', { at: dateTime(plan.createdAt, lang) })} <StatusBadge status={plan.status} />
          </span>
        )}
        {plan && canReview && plan.status === 'review' && !committing && (
          <button type="button" class="commit" disabled={busy || approved === 0} onClick={askCommit}>
            {t('plan.commit')} ({approved})
          </button>
        )}
        {plan && (
          <a class="sheet-link" href={`/sheet?plan=${encodeURIComponent(plan.id)}`}>
            {t('sheet.open')}
          </a>
        )}
      </div>
      {replanAsk && (
        <Confirm
          message={t('plan.confirmSupersede', {
            n: replanAsk.reduce((s, p) => s + p.approvedCount, 0),
            plans: replanAsk.map((p) => dateTime(p.createdAt, lang)).join('、'),
          })}
          yes={t('plan.run')}
          busy={busy}
          onYes={runPlanner}
          onNo={() => setReplanAsk(null)}
        />
      )}
      {plan?.status === 'superseded' && (
        <p class="superseded-note" role="status">
          {t('plan.superseded', { at: plan.supersededAt ? dateTime(plan.supersededAt, lang) : '' })}{' '}
          {plan.supersededBy && <a href={`/plan?id=${encodeURIComponent(plan.supersededBy)}`}>{t('plan.openNewer')}</a>}
        </p>
      )}
      {plan && blockedAsked && unsaved.length > 0 && (
        <div class="commit-blocked" role="alert">
          <p>
            {t('plan.unsavedEdits', {
              list: unsaved
                .map((x) => t('plan.unsavedEdit', { route: routeText(x), shown: boxes[x.id], stored: x.qty, unit: t(`unit.${x.component}`) }))
                .join('；'),
            })}
          </p>
          <button
            type="button"
            class="undo-edits"
            onClick={() => {
              clearBoxes(unsaved.map((x) => x.id))
              setBlockedAsked(false)
            }}
          >
            {t('plan.undoEdits')}
          </button>
        </div>
      )}
      {plan && committing && (
        <Confirm
          message={t(unreviewed ? 'plan.confirmCommitClosing' : 'plan.confirmCommit', { n: approved, m: unreviewed })}
          yes={t('plan.commit')}
          busy={busy}
          onYes={commit}
          onNo={() => setCommitting(false)}
        />
      )}
      {error && NAMED_FAILURES.has(error.code) && error.detail ? (
        <CommitFailure error={error} sites={byId} busy={busy} onReplan={runPlanner} />
      ) : (
        <ErrorMessage error={error ?? planQ.error ?? sitesQ.error} />
      )}
      {!planId && <RecentPlans />}
      {plan && (
        <>
          <RegionMap class="plan-map">
            <SiteLayer small sites={sites} status={NO_STATUS} component="RBC" lang={lang} onOpen={(id) => route(`/sites/${id}`)} />
            <TransferLayer transfers={plan.transfers} sites={sites} lang={lang} />
          </RegionMap>
          <h3>{t('plan.transfers')}</h3>
          {plan.instance?.drawOnHospitals && <HospitalDrawNote transfers={plan.transfers} />}
          <TransferReview
            transfers={plan.transfers}
            needs={needs}
            sites={sites}
            canReview={canReview && plan.status === 'review'}
            busy={busy}
            onAction={act}
            boxes={boxes}
            onBox={onBox}
            focus={focus}
          />
          <h3>{t('plan.unmet')}</h3>
          <UnmetList unmet={plan.unmet ?? []} needs={needs} sites={sites} />
          {plan.roadTimes && <p class="meta road-times">{t('region.roadTable', { fromTable: plan.roadTimes.fromTable, pairs: plan.roadTimes.pairs })}</p>}
          {(plan.estimatedRoutes ?? []).length > 0 && (
            <p class="meta estimated-routes">
              {t('region.estimatedRoutes', { routes: (plan.estimatedRoutes ?? []).map((r) => `${r.from}→${r.to} ${r.hours} h`).join(', ') })}
            </p>
          )}
          {plan.oldestStockReport && (
            <p class="meta plan-stock-age" data-hours={plan.oldestStockReport.hours}>
              {t('offline.planStockAge', {
                site: siteName(
                  sites.find((s) => s.id === plan.oldestStockReport!.siteId),
                  lang,
                  plan.oldestStockReport.siteId,
                ),
                age: t('offline.ageHours', { n: plan.oldestStockReport.hours }),
                at: dateTime(plan.oldestStockReport.at),
              })}
            </p>
          )}
        </>
      )}
    </section>
  )
}

/**
 * A commit that failed, said in the page's language with what it is about: the transfer (its stations, component,
 * group and quantity), the lot or request, and what to do — with a button that plans again from the stock as it is now.
 */
function CommitFailure({ error, sites, busy, onReplan }: { error: ApiCallError; sites: Map<string, Site>; busy: boolean; onReplan: () => void }) {
  const t = useT()
  const { lang } = useAppState()
  const d = error.detail ?? {}
  const name = (id: unknown) => siteName(sites.get(String(id)), lang, String(id ?? ''))
  const what = d.transferId
    ? t('plan.failure.transfer', {
        from: name(d.fromSite),
        to: name(d.toSite),
        component: t(`component.${d.component}`),
        group: d.group,
        qty: d.qty,
        unit: t(`unit.${d.component}`),
      })
    : ''
  const why =
    error.code === 'plan_superseded'
      ? t('plan.failure.superseded')
      : error.code === 'below_floor'
        ? t('plan.failure.belowFloor', { site: name(d.site), after: d.after, floor: d.floor, unit: t(`unit.${d.component}`) })
        : error.code === 'request_covered'
          ? t('plan.failure.covered', { site: name(d.requestSite) })
          : d.problem === 'lot_expired'
            ? t('plan.failure.lotExpired', { site: name(d.lotSite), lot: d.lotId, at: dateTime(String(d.expiresAt), lang) })
            : d.problem === 'lot_gone'
              ? t('plan.failure.lotGone', { site: name(d.lotSite), lot: d.lotId })
              : t('plan.failure.lotShort', { site: name(d.lotSite), lot: d.lotId, holds: d.holds, needed: d.needed, unit: t(`unit.${d.component}`) })
  return (
    <div class="commit-failure error" role="alert" data-code={error.code} title={error.message}>
      <p>
        {what}
        {why} {t('plan.failure.replanHint')}
      </p>
      {error.code === 'plan_superseded' && d.supersededBy && <a href={`/plan?id=${encodeURIComponent(String(d.supersededBy))}`}>{t('plan.openNewer')}</a>}
      <button type="button" class="replan" disabled={busy} onClick={onReplan}>
        {t('plan.replan')}
      </button>
    </div>
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
            <a href={`/plan?id=${encodeURIComponent(p.id)}`} title={p.id}>
              {t('plan.made', { at: dateTime(p.createdAt, lang) })}
            </a>{' '}
            <StatusBadge status={p.status} /> · {t('plan.transfers')}: {p.transferCount} · {t('plan.unmet')}: {p.unmetUnits}
          </li>
        ))}
      </ul>
    </div>
  )
}

/** A plan allowed to draw on hospitals says so, and how many of its transfers do (issue 23). */
function HospitalDrawNote({ transfers }: { transfers: Transfer[] }) {
  const t = useT()
  const drawn = transfers.filter((x) => x.fromHospital).length
  return (
    <p class="meta hospital-draw" data-hospital-transfers={drawn}>
      {t('hplan.planDraws')} {drawn ? t('hplan.planDrew', { n: drawn }) : t('hplan.planDrewNone')}
    </p>
  )
}
