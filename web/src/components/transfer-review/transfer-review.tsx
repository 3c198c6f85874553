import { useState } from 'preact/hooks'
import { URGENCY_RANK } from '../../../../solver/domain'
import { dateTime, group, num, requestReason, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { InstanceNeed, Site, Transfer, TransferRequestLine } from '../../lib/types'
import { useAppState } from '../../state'
import { Confirm } from '../confirm/confirm'
import { UrgencyBadge } from '../level-badge/level-badge'
import { TransferBadge, TransportRecord } from '../transport-forms/transport-record'
import { RhConsentLine } from '../request-form/rh-consent'

export type ReviewAction = { approve: number } | { qty: number } | { reject: string } | { approveRequest: string }

const RANK: Record<string, number> = URGENCY_RANK
const LIVE = new Set(['proposed', 'approved', 'committed', 'dispatched', 'received'])

type Group = { key: string; toSite: string; request: TransferRequestLine | null; transfers: Transfer[] }

/** Transfers grouped by destination and by the (most urgent) request each serves; most urgent first. */
function groupsOf(transfers: Transfer[]): Group[] {
  const groups = new Map<string, Group>()
  for (const tr of transfers) {
    const request = tr.requests[0] ?? null
    const key = `${tr.toSite}|${request?.requestId ?? ''}`
    const g = groups.get(key) ?? { key, toSite: tr.toSite, request, transfers: [] }
    g.transfers.push(tr)
    groups.set(key, g)
  }
  const rank = (g: Group) => RANK[g.request?.urgency ?? 'routine'] ?? 2
  return [...groups.values()].sort(
    (a, b) => rank(a) - rank(b) || (a.request?.neededBy ?? '~').localeCompare(b.request?.neededBy ?? '~') || a.key.localeCompare(b.key),
  )
}

/** The emergency requests for which `tr` is the only transfer still serving them: losing it leaves them without. */
function lastFor(tr: Transfer, all: Transfer[]): TransferRequestLine[] {
  return tr.requests.filter(
    (r) => r.urgency === 'emergency' && !all.some((o) => o.id !== tr.id && LIVE.has(o.status) && o.requests.some((x) => x.requestId === r.requestId)),
  )
}

/**
 * The plan review: for each request (grouped by destination), whom it serves — station, urgency, deadline,
 * antigens, reason — how much of it the plan covers, and its transfers with the actions their status allows.
 */
export function TransferReview({
  transfers,
  needs,
  sites,
  canReview,
  busy,
  onAction,
  boxes,
  onBox,
  focus,
}: {
  transfers: Transfer[]
  needs: InstanceNeed[]
  sites: Site[]
  canReview: boolean
  busy: boolean
  onAction: (tr: Transfer | null, action: ReviewAction) => void
  /** What each quantity box shows, by transfer id, while it differs from what is stored (kept by the page, so approve-all and commit see it). */
  boxes: Record<string, string>
  onBox: (id: string, value: string) => void
  /** The request to bring into view (from an alert). */
  focus?: string | null
}) {
  const t = useT()
  const { lang } = useAppState()
  const byId = new Map(sites.map((s) => [s.id, s]))
  const needById = new Map(needs.map((n) => [n.id, n]))
  if (transfers.length === 0) return <p class="empty">{t('plan.noTransfers')}</p>
  return (
    <div class="transfer-review">
      {groupsOf(transfers).map((g) => {
        const r = g.request
        const need = r ? needById.get(r.requestId) : undefined
        const serving = r ? transfers.filter((x) => x.requests.some((l) => l.requestId === r.requestId)) : g.transfers
        const units = (statuses: string[]) =>
          serving.filter((x) => statuses.includes(x.status)).reduce((s, x) => s + (x.requests.find((l) => l.requestId === r?.requestId)?.qty ?? x.qty), 0)
        const proposed = units(['proposed'])
        const approved = units(['approved', 'committed', 'dispatched', 'received'])
        return (
          <section
            key={g.key}
            class={`review-group group-${r?.urgency ?? 'none'}${focus && r?.requestId === focus ? ' focused' : ''}`}
            data-group-urgency={r?.urgency ?? 'none'}
            data-request={r?.requestId}
            data-to={g.toSite}
          >
            <header class="review-head">
              {r && <UrgencyBadge urgency={r.urgency} />}
              <strong>{siteName(byId.get(g.toSite), lang, g.toSite)}</strong>
              {r && need && (
                <span>
                  {t(`component.${need.component}`)} {group(need.abo, need.rhd)} · {t('review.asked', { n: r.requestQty, unit: t(`unit.${need.component}`) })}
                </span>
              )}
              {r?.neededBy && <span class="meta">{t('review.deadline', { at: dateTime(r.neededBy, lang) })}</span>}
              {r?.antigens && (
                <span class="badge antigens" data-antigens={r.antigens}>
                  {r.antigens}
                </span>
              )}
              {r && (
                <span class="reason" data-reason>
                  {requestReason(r.reason, lang)}
                </span>
              )}
              {r && <RhConsentLine consent={r.rhPositiveConsent} />}
              {r && (
                <span class="coverage" data-coverage data-proposed={proposed} data-approved={approved}>
                  {t('review.coverage', { approved, proposed, need: need?.qty ?? r.requestQty })}
                </span>
              )}
              {canReview && r && proposed > 0 && (
                <button type="button" class="approve-request" disabled={busy} onClick={() => onAction(null, { approveRequest: r.requestId })}>
                  {t('review.approveAll')}
                </button>
              )}
            </header>
            <table class="cards review-table">
              <thead>
                <tr>
                  <th>{t('plan.from')}</th>
                  <th>{t('req.group')}</th>
                  <th class="num">{t('req.qty')}</th>
                  <th class="num">{t('plan.eta')}</th>
                  <th>{t('req.status')}</th>
                  <th>{t('plan.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {g.transfers.map((tr) => (
                  <ReviewRow
                    key={tr.id}
                    tr={tr}
                    all={transfers}
                    needs={needById}
                    sites={byId}
                    canReview={canReview}
                    busy={busy}
                    onAction={onAction}
                    qty={boxes[tr.id] ?? String(tr.qty)}
                    setQty={(v) => onBox(tr.id, v)}
                  />
                ))}
              </tbody>
            </table>
          </section>
        )
      })}
    </div>
  )
}

function ReviewRow({
  tr,
  all,
  needs,
  sites,
  canReview,
  busy,
  onAction,
  qty,
  setQty,
}: {
  tr: Transfer
  all: Transfer[]
  needs: Map<string, InstanceNeed>
  sites: Map<string, Site>
  canReview: boolean
  busy: boolean
  onAction: (tr: Transfer, action: ReviewAction) => void
  qty: string
  setQty: (value: string) => void
}) {
  const t = useT()
  const { lang } = useAppState()
  const [rejecting, setRejecting] = useState(false)
  const [reason, setReason] = useState('')
  const [confirm, setConfirm] = useState<{ message: string; yes: string; run: () => void } | null>(null)
  const reviewable = canReview && (tr.status === 'proposed' || tr.status === 'approved')
  const boxQty = Number(qty)
  const qtyOk = Number.isInteger(boxQty) && boxQty >= 1 && boxQty <= tr.proposedQty
  const subs = [
    ...new Set(
      tr.requests
        .map((r) => needs.get(r.requestId))
        .filter((n) => n && (n.abo !== tr.abo || n.rhd !== tr.rhd))
        .map((n) => group(n!.abo, n!.rhd)),
    ),
  ]
  const others = tr.requests.slice(1)

  /** Rejecting or lowering the last transfer of an emergency request asks first, naming the request. */
  const guard = (lowering: boolean, yes: string, run: () => void) => {
    const last = lastFor(tr, all)
    if (last.length === 0 || (lowering && boxQty >= tr.qty)) return run()
    const r = last[0]
    setConfirm({
      message: t(lowering ? 'review.confirmLower' : 'review.confirmReject', {
        site: siteName(sites.get(r.siteId), lang, r.siteId),
        reason: requestReason(r.reason, lang),
        qty: boxQty,
        from: tr.qty,
      }),
      yes,
      run: () => {
        setConfirm(null)
        run()
      },
    })
  }
  // approving or saving the full quantity takes nothing from an emergency: only a lower one asks first
  const approve = () => (boxQty < tr.qty ? guard(true, t('plan.approve'), () => onAction(tr, { approve: boxQty })) : onAction(tr, { approve: boxQty }))
  const save = () => (boxQty < tr.qty ? guard(true, t('plan.saveQty'), () => onAction(tr, { qty: boxQty })) : onAction(tr, { qty: boxQty }))
  const reject = () =>
    guard(false, t('plan.reject'), () => {
      setRejecting(false)
      onAction(tr, { reject: reason.trim() })
    })

  return (
    <tr data-transfer={tr.id} data-status={tr.status} data-substitution={subs.length ? subs.join(',') : undefined}>
      <td data-label={t('plan.from')}>
        {tr.fromHospital ? (lang === 'en' ? tr.fromHospital.nameEn : tr.fromHospital.nameZh) : siteName(sites.get(tr.fromSite), lang, tr.fromSite)}
        {tr.fromHospital && <HospitalLine tr={tr} />}
        {others.length > 0 && (
          <span class="meta also">
            {t('review.alsoServes', {
              list: others.map((o) => `${siteName(sites.get(o.siteId), lang, o.siteId)} ${t(`urgency.${o.urgency}`)} ${o.qty}`).join('、'),
            })}
          </span>
        )}
      </td>
      <td data-label={t('req.group')}>
        {group(tr.abo, tr.rhd)}
        {subs.map((g) => (
          <span key={g} class="badge subst" title={t('plan.substTitle', { sent: group(tr.abo, tr.rhd), group: g })}>
            {t('plan.substFor', { group: g })}
          </span>
        ))}
      </td>
      <td class="num" data-label={t('req.qty')}>
        {reviewable ? (
          <span class="qty-editor">
            <input
              name="qty"
              type="number"
              inputMode="numeric"
              min={1}
              max={tr.proposedQty}
              step={1}
              value={qty}
              aria-label={t('req.qty')}
              onInput={(e) => setQty((e.target as HTMLInputElement).value)}
            />{' '}
            {t(`unit.${tr.component}`)}
            {tr.qty < tr.proposedQty && <span class="meta"> / {tr.proposedQty}</span>}
            {!qtyOk && (
              <span class="field-error" data-field-error="qty">
                {t('review.qtyRange', { max: tr.proposedQty })}
              </span>
            )}
          </span>
        ) : (
          <>
            {num(tr.qty, lang)} {t(`unit.${tr.component}`)}
          </>
        )}
      </td>
      <td class="num" data-label={t('plan.eta')}>
        {t('common.hours', { n: num(tr.etaHours, lang, 1) })}
      </td>
      <td data-label={t('req.status')}>
        <TransferBadge tr={tr} />
        {tr.closeReason === 'not_approved_at_commit' || tr.closeReason === 'superseded' ? (
          <span class="meta close-reason"> {t(tr.closeReason === 'superseded' ? 'review.closedSuperseded' : 'review.closedAtCommit')}</span>
        ) : tr.rejectReason ? (
          <span class="meta"> {tr.rejectReason}</span>
        ) : null}
        <TransportRecord tr={tr} />
      </td>
      <td class="actions" data-label={t('plan.actions')}>
        {confirm ? (
          <Confirm message={confirm.message} yes={confirm.yes} busy={busy} onYes={confirm.run} onNo={() => setConfirm(null)} />
        ) : (
          <>
            {reviewable && tr.status === 'proposed' && (
              // the quantity in the box is what gets approved
              <button type="button" class="approve" disabled={busy || !qtyOk} onClick={approve}>
                {boxQty !== tr.qty && qtyOk ? t('review.approveQty', { qty: boxQty }) : t('plan.approve')}
              </button>
            )}
            {reviewable && tr.status === 'approved' && boxQty !== tr.qty && (
              <button type="button" class="save-qty" disabled={busy || !qtyOk} onClick={save}>
                {t('plan.saveQty')}
              </button>
            )}
            {reviewable && !rejecting && (
              <button type="button" class="reject" disabled={busy} onClick={() => setRejecting(true)}>
                {t('plan.reject')}
              </button>
            )}
            {reviewable && rejecting && (
              <span class="reject-form">
                <input
                  name="rejectReason"
                  value={reason}
                  placeholder={t('plan.rejectReason')}
                  onInput={(e) => setReason((e.target as HTMLInputElement).value)}
                />
                <button type="button" class="confirm-reject danger" disabled={busy || !reason.trim()} onClick={reject}>
                  {t('plan.reject')}
                </button>
                <button type="button" class="cancel-reject" onClick={() => setRejecting(false)} aria-label={t('common.back')}>
                  ×
                </button>
              </span>
            )}
          </>
        )}
      </td>
    </tr>
  )
}

/** A transfer out of a hospital says so, with the floor the hospital keeps (issue 23). */
function HospitalLine({ tr }: { tr: Transfer }) {
  const t = useT()
  const { lang } = useAppState()
  const h = tr.fromHospital!
  return (
    <span class="meta from-hospital" data-from-hospital={h.hospitalId}>
      {t('hplan.line', { name: lang === 'en' ? h.nameEn : h.nameZh, n: num(tr.qty, lang), unit: t(`unit.${tr.component}`), floor: num(h.floor, lang) })}
    </span>
  )
}
