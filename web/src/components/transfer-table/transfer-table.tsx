import { useState } from 'preact/hooks'
import { group, num, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { InstanceNeed, Site, Transfer } from '../../lib/types'
import { useAppState } from '../../state'
import { StatusBadge } from '../level-badge/level-badge'

export type TransferAction = 'approve' | 'dispatch' | 'receive' | { qty: number } | { reject: string }

/** Groups of the served needs that differ from the group sent: a substitution (e.g. O- sent for A-). */
function substitutions(tr: Transfer, needs: Map<string, InstanceNeed>): string[] {
  const out = new Set<string>()
  for (const r of tr.requests ?? []) {
    const n = needs.get(r.requestId)
    if (n && (n.abo !== tr.abo || n.rhd !== tr.rhd)) out.add(group(n.abo, n.rhd))
  }
  return [...out]
}

/** The plan's transfers with the review actions their status allows. */
export function TransferTable({ transfers, needs, sites, canReview, busy, onAction }: {
  transfers: Transfer[]
  needs: InstanceNeed[]
  sites: Site[]
  canReview: boolean
  busy: boolean
  onAction: (tr: Transfer, action: TransferAction) => void
}) {
  const t = useT()
  const { lang } = useAppState()
  const byId = new Map(sites.map((s) => [s.id, s]))
  const needById = new Map(needs.map((n) => [n.id, n]))
  if (transfers.length === 0) return <p class="empty">{t('plan.noTransfers')}</p>
  return (
    <table class="transfer-table">
      <thead>
        <tr>
          <th>{t('plan.from')}</th>
          <th>{t('plan.to')}</th>
          <th>{t('req.component')}</th>
          <th>{t('req.group')}</th>
          <th class="num">{t('req.qty')}</th>
          <th class="num">{t('plan.eta')}</th>
          <th>{t('plan.substitution')}</th>
          <th>{t('req.status')}</th>
          <th>{t('plan.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {transfers.map((tr) => {
          const subs = substitutions(tr, needById)
          return (
            <tr key={tr.id} data-transfer={tr.id} data-status={tr.status} data-substitution={subs.length > 0 ? subs.join(',') : undefined}>
              <td>{siteName(byId.get(tr.fromSite), lang, tr.fromSite)}</td>
              <td>{siteName(byId.get(tr.toSite), lang, tr.toSite)}</td>
              <td>{t(`component.${tr.component}`)}</td>
              <td>{group(tr.abo, tr.rhd)}</td>
              <td class="num">
                {canReview && (tr.status === 'proposed' || tr.status === 'approved')
                  ? <QtyEditor tr={tr} busy={busy} onSave={(qty) => onAction(tr, { qty })} />
                  : num(tr.qty, lang)}{' '}
                {t(`unit.${tr.component}`)}
              </td>
              <td class="num">{t('common.hours', { n: num(tr.etaHours, lang, 1) })}</td>
              <td class="substitution">{subs.map((g) => <span key={g} class="badge subst" title={t('plan.substTitle', { sent: group(tr.abo, tr.rhd), group: g })}>{t('plan.substFor', { group: g })}</span>)}</td>
              <td><StatusBadge status={tr.status} />{tr.rejectReason ? <span class="meta"> {tr.rejectReason}</span> : null}</td>
              <td class="actions">
                {canReview && tr.status === 'proposed' && <button type="button" class="approve" disabled={busy} onClick={() => onAction(tr, 'approve')}>{t('plan.approve')}</button>}
                {canReview && (tr.status === 'proposed' || tr.status === 'approved') && <RejectButton busy={busy} onReject={(reason) => onAction(tr, { reject: reason })} />}
                {canReview && tr.status === 'committed' && <button type="button" class="dispatch" disabled={busy} onClick={() => onAction(tr, 'dispatch')}>{t('plan.dispatch')}</button>}
                {canReview && tr.status === 'dispatched' && <button type="button" class="receive" disabled={busy} onClick={() => onAction(tr, 'receive')}>{t('plan.receive')}</button>}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function QtyEditor({ tr, busy, onSave }: { tr: Transfer; busy: boolean; onSave: (qty: number) => void }) {
  const t = useT()
  const [qty, setQty] = useState(String(tr.qty))
  const changed = Number(qty) !== tr.qty
  return (
    <span class="qty-editor">
      <input name="qty" type="number" min={1} max={tr.proposedQty ?? undefined} step={1} value={qty} size={4} onInput={(e) => setQty((e.target as HTMLInputElement).value)} />
      {changed && <button type="button" class="save-qty" disabled={busy} onClick={() => onSave(Number(qty))}>{t('plan.saveQty')}</button>}
    </span>
  )
}

/** Reject asks for a reason inline (the API requires one). */
function RejectButton({ busy, onReject }: { busy: boolean; onReject: (reason: string) => void }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  if (!open) return <button type="button" class="reject" disabled={busy} onClick={() => setOpen(true)}>{t('plan.reject')}</button>
  return (
    <span class="reject-form">
      <input name="rejectReason" value={reason} placeholder={t('plan.rejectReason')} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      <button type="button" class="confirm-reject" disabled={busy || !reason.trim()} onClick={() => onReject(reason.trim())}>{t('plan.reject')}</button>
      <button type="button" class="cancel-reject" onClick={() => setOpen(false)}>×</button>
    </span>
  )
}
