import { useState } from 'preact/hooks'
import { api, idempotencyKey } from '../../lib/api'
import { dateTime, group, hours, parseLocal, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Plan, Site } from '../../lib/types'
import { useAction } from '../../lib/use-action'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import { UrgencyBadge } from '../level-badge/level-badge'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage, FieldError } from '../error-message/error-message'

export type ProvinceAid = import('zod').infer<typeof import('../../../../worker/schemas/province-aid').ProvinceAid>

/** A province's name in the page's language (the region locale has them), else as stored. */
export function useProvinceName() {
  const t = useT()
  return (p: string) => (t(`province.${p}`) === `province.${p}` ? p : t(`province.${p}`))
}

/** An alert's sentence for another province's step on an aid (web/src/lib/events.ts): who, what, where. */
export function provinceAidText(
  t: (k: string, v?: Record<string, string | number>) => string,
  e: { action: string; actorId: string },
  d: ProvinceAid,
  lang: 'zh' | 'en',
): string {
  const from = e.actorId.replace(/^link:/, '')
  const name = t(`province.${from}`) === `province.${from}` ? from : t(`province.${from}`)
  const qty = e.action === 'province_aid.offer' || e.action === 'province_aid.counter' ? (d.offer?.qty ?? d.qty) : d.qty
  const what = `${t(`component.${d.component}`)} ${group(d.abo, d.rhd)} ${qty} ${t(`unit.${d.component}`)}`
  return t(`paid.alert.${e.action}`, { province: name, what, site: siteName(d.site, lang, d.site.id) })
}

type Ask = { message: string; yes: string; go: () => Promise<unknown> } | null

/**
 * One aid, on either side, with the steps this side may take now: the province asked plans with its own planner,
 * then offers (or counters, with a note) or declines; the asking province accepts or declines the offer; once
 * accepted, the province asked commits. Each step asks first, naming what it sends; the click applies exactly that.
 */
export function AidCard({ aid, canAct, sites, onChange }: { aid: ProvinceAid; canAct: boolean; sites: Map<string, Site>; onChange: () => void }) {
  const t = useT()
  const { lang } = useAppState()
  const province = useProvinceName()
  const { busy, error, run } = useAction()
  const [ask, setAsk] = useState<Ask>(null)
  const [qtys, setQtys] = useState<Record<string, string>>({})
  const [note, setNote] = useState('')
  const [dispatchAt, setDispatchAt] = useState('')
  const [reason, setReason] = useState('')
  const [done, setDone] = useState<string | null>(null)
  const giver = aid.side === 'giver'
  const other = giver ? aid.asker : aid.giver
  const unit = t(`unit.${aid.component}`)
  const what = `${t(`component.${aid.component}`)} ${group(aid.abo, aid.rhd)}${aid.antigens ? ` ${aid.antigens}` : ''} ${aid.qty} ${unit}`
  const site = siteName(aid.site, lang, aid.site.id)
  // once accepted, how far the units are: on the way while a box travels, all received when every box arrived
  const shipped = aid.shipments
  const progress =
    aid.status !== 'accepted' || shipped.length === 0
      ? aid.status
      : shipped.every((x) => x.status === 'received') && shipped.reduce((n, x) => n + x.qty, 0) >= (aid.offer?.qty ?? 0)
        ? 'received'
        : 'inTransit'
  const planQ = useApi<Plan>(giver && aid.status === 'requested' && aid.planId ? `/api/plans/${encodeURIComponent(aid.planId)}` : null)
  const lines = (planQ.data?.transfers ?? []).filter((x) => x.toSite === aid.destSite && (x.status === 'proposed' || x.status === 'approved'))
  const qtyOf = (id: string, planned: number) => Number(qtys[id] ?? planned)
  const post = (step: string, body?: unknown, headers?: Record<string, string>) =>
    api(`/api/province-aid/${encodeURIComponent(aid.id)}/${step}`, { method: 'POST', ...(body ? { body } : {}), ...(headers ? { headers } : {}) })
  const act = (go: () => Promise<unknown>, after?: string) =>
    run(async () => {
      setAsk(null)
      await go()
      if (after) setDone(after)
      onChange()
    })

  const offerLines = lines.filter((l) => qtyOf(l.id, l.qty) > 0)
  const offerQty = offerLines.reduce((s, l) => s + qtyOf(l.id, l.qty), 0)
  // a later dispatch (a counter on time) moves every arrival by as much
  const leaves = Math.max(Date.now(), Date.parse(parseLocal(dispatchAt) ?? '') || 0)
  const arriveBy = offerLines.length ? new Date(leaves + Math.max(...offerLines.map((l) => l.etaHours)) * 3_600_000).toISOString() : null
  const counter = offerQty < aid.qty || (!!arriveBy && arriveBy > aid.neededBy)
  const lineText = (l: { fromSite: string; qty: number }, names?: { fromNameZh: string; fromNameEn: string }) =>
    `${names ? siteName({ nameZh: names.fromNameZh, nameEn: names.fromNameEn }, lang, l.fromSite) : siteName(sites.get(l.fromSite), lang, l.fromSite)} ${l.qty} ${unit}`

  return (
    <article class="aid-card card" data-aid={aid.id} data-side={aid.side} data-status={aid.status}>
      <header>
        <UrgencyBadge urgency={aid.urgency} />
        <strong> {giver ? t('paid.from', { province: province(other) }) : t('paid.to', { province: province(other) })}</strong>
        <span class="aid-what">
          {' '}
          · {what} → {site}
        </span>
        <span class="meta"> · {t('paid.deadline', { at: dateTime(aid.neededBy, lang) })}</span>
        <span class={`aid-status status-${aid.status}`} data-progress={progress}>
          {' '}
          · {t(`paid.status.${progress}`)}
        </span>
      </header>
      <p class="meta">
        {t('paid.reason', { reason: aid.reason })} · {dateTime(aid.createdAt, lang)}
      </p>
      {aid.declineReason && <p class="meta">{t('paid.declinedBecause', { reason: aid.declineReason })}</p>}
      {aid.offer && (
        <div class="aid-offer">
          <p>
            <strong>{aid.offer.counter ? t('paid.counter') : t('paid.offerLabel')}</strong>:{' '}
            {t('paid.offer.summary', { unit, qty: aid.offer.qty, at: dateTime(aid.offer.arriveBy, lang) })}
          </p>
          <ul>
            {aid.offer.lines.map((l) => (
              <li key={l.transferId}>
                {t('paid.offer.line', {
                  unit,
                  site: siteName({ nameZh: l.fromNameZh, nameEn: l.fromNameEn }, lang, l.fromSite),
                  qty: l.qty,
                  h: hours(l.etaHours, lang),
                })}
              </li>
            ))}
          </ul>
          {aid.offer.note && <p class="meta">{t('paid.offer.note', { note: aid.offer.note })}</p>}
        </div>
      )}

      {canAct && giver && aid.status === 'requested' && (
        <div class="aid-steps">
          <button type="button" class="plan-aid" disabled={busy} onClick={() => void act(() => post('plan'))}>
            {aid.planId ? t('paid.replan') : t('paid.plan')}
          </button>
          {aid.planId && planQ.data && (
            <div class="aid-plan">
              <h4>{t('paid.planLines', { site })}</h4>
              {lines.length === 0 ? (
                <p class="meta">{t('paid.planNone')}</p>
              ) : (
                lines.map((l) => (
                  <label key={l.id} data-transfer={l.id}>
                    {t('paid.lineQty', { unit, site: siteName(sites.get(l.fromSite), lang, l.fromSite), max: l.proposedQty })} · {hours(l.etaHours, lang)}
                    <input
                      type="number"
                      min="0"
                      max={l.proposedQty}
                      inputMode="numeric"
                      value={qtys[l.id] ?? String(l.qty)}
                      onInput={(e) => setQtys({ ...qtys, [l.id]: (e.target as HTMLInputElement).value })}
                    />
                  </label>
                ))
              )}
              {lines.length > 0 && (
                <>
                  <label>
                    {t('paid.dispatchAt')}
                    <input
                      name="dispatchAt"
                      placeholder="2026-12-01 14:30"
                      value={dispatchAt}
                      onInput={(e) => setDispatchAt((e.target as HTMLInputElement).value)}
                    />
                    <FieldError error={error} field="dispatchAt" />
                  </label>
                  <label>
                    {t('paid.note')}
                    <input name="note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
                    <FieldError error={error} field="note" />
                  </label>
                  <button
                    type="button"
                    class="primary offer-aid"
                    disabled={busy || offerLines.length === 0}
                    onClick={() =>
                      setAsk({
                        message: t('paid.offer.confirm', {
                          unit,
                          province: province(other),
                          qty: offerQty,
                          lines: offerLines.map((l) => lineText({ fromSite: l.fromSite, qty: qtyOf(l.id, l.qty) })).join('、'),
                          at: dateTime(arriveBy, lang),
                          counter: counter ? t('paid.offer.counterSuffix') : '',
                        }),
                        yes: t('paid.offer'),
                        go: () =>
                          post('offer', {
                            lines: offerLines.map((l) => ({ transferId: l.id, qty: qtyOf(l.id, l.qty) })),
                            ...(dispatchAt.trim() ? { dispatchAt: parseLocal(dispatchAt) ?? dispatchAt } : {}),
                            ...(note.trim() ? { note: note.trim() } : {}),
                          }),
                      })
                    }
                  >
                    {t('paid.offer')}
                  </button>
                </>
              )}
            </div>
          )}
          <label>
            {t('paid.declineReason')}
            <input name="reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
            <FieldError error={error} field="reason" />
          </label>
          <button
            type="button"
            class="danger decline-aid"
            disabled={busy}
            onClick={() =>
              setAsk({ message: t('paid.decline.confirm', { province: province(other), what }), yes: t('paid.decline'), go: () => post('decline', { reason }) })
            }
          >
            {t('paid.decline')}
          </button>
        </div>
      )}

      {canAct && !giver && aid.status === 'offered' && aid.offer && (
        <div class="aid-steps">
          <button
            type="button"
            class="primary accept-aid"
            disabled={busy}
            onClick={() =>
              setAsk({
                message: t('paid.accept.confirm', { unit, province: province(other), qty: aid.offer!.qty, site }),
                yes: t('paid.accept'),
                go: () => post('accept'),
              })
            }
          >
            {t('paid.accept')}
          </button>
          <label>
            {t('paid.refuseReason')}
            <input name="reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
            <FieldError error={error} field="reason" />
          </label>
          <button
            type="button"
            class="danger refuse-aid"
            disabled={busy}
            onClick={() =>
              setAsk({
                message: t('paid.refuse.confirm', { unit, province: province(other), qty: aid.offer!.qty }),
                yes: t('paid.refuse'),
                go: () => post('refuse', { reason }),
              })
            }
          >
            {t('paid.refuse')}
          </button>
        </div>
      )}

      {canAct && giver && aid.status === 'accepted' && aid.offer && aid.shipments.length === 0 && (
        <div class="aid-steps">
          <button
            type="button"
            class="primary commit-aid"
            disabled={busy}
            onClick={() =>
              setAsk({
                message: t('paid.commit.confirm', { unit, qty: aid.offer!.qty, lines: aid.offer!.lines.map((l) => lineText(l, l)).join('、') }),
                yes: t('paid.commit'),
                go: () => post('commit', undefined, { 'idempotency-key': idempotencyKey(`commit-${aid.id}`) }),
              })
            }
          >
            {t('paid.commit')}
          </button>
        </div>
      )}
      {done && (
        <p class="ok" role="status">
          {done}
        </p>
      )}

      {aid.shipments.length > 0 && (
        <div class="aid-shipments">
          <h4>{t('paid.shipments')}</h4>
          <ul>
            {aid.shipments.map((s) => (
              <li key={s.transferId} data-shipment={s.transferId} data-status={s.status}>
                {t('paid.ship.line', {
                  unit,
                  site: siteName({ nameZh: s.fromNameZh, nameEn: s.fromNameEn }, lang, s.fromSite),
                  qty: s.qty,
                  temp: s.dispatch.temperatureC,
                  carrier: s.dispatch.carrier ?? '—',
                })}{' '}
                ·{' '}
                {s.receipt
                  ? t('paid.ship.received', {
                      unit,
                      received: s.receipt.receivedQty,
                      accepted: s.receipt.acceptedQty,
                      rejected: s.receipt.rejectedQty,
                      temp: s.receipt.temperatureC,
                    })
                  : t('paid.ship.dispatched')}
              </li>
            ))}
          </ul>
        </div>
      )}
      {ask && (
        <Confirm
          message={ask.message}
          yes={ask.yes}
          busy={busy}
          onYes={() => void act(ask.go, ask.yes === t('paid.commit') ? t('paid.committed') : undefined)}
          onNo={() => setAsk(null)}
        />
      )}
      {error && !['note', 'reason', 'dispatchAt'].includes(error.field ?? '') && <ErrorMessage error={error} />}
    </article>
  )
}
