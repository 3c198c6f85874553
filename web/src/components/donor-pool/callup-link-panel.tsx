import { useState } from 'preact/hooks'
import { api } from '../../lib/api'
import type { CallupLink } from '../../lib/donor-types'
import { dateTime, group } from '../../lib/format'
import { useT } from '../../lib/i18n'
import { useAction } from '../../lib/use-action'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage } from '../error-message/error-message'

/**
 * Call-ups across the link (province mode): another province's requests for this province's donors, which a
 * coordinator here issues in this system (an aid request and the call-ups, every guard applying) or declines with
 * why, each after a confirmation naming what it does; and this province's own requests with the answer that came
 * back. Nothing is shown in the one-region mode, where there are none.
 */
export function CallupLinkPanel({ onIssued }: { onIssued: () => void }) {
  const t = useT()
  const { me } = useAppState()
  const q = useApi<{ requests: CallupLink[] }>('/api/callup-links')
  const list = q.data?.requests ?? []
  if (list.length === 0 && !q.error) return null
  const decides = me?.role === 'coordinator' || me?.role === 'admin'
  const incoming = list.filter((r) => r.direction === 'in')
  const outgoing = list.filter((r) => r.direction === 'out')
  return (
    <section class="callup-links">
      <h3>{t('donors.link.title')}</h3>
      <ErrorMessage error={q.error} />
      {incoming.length > 0 && (
        <>
          <h4>{t('donors.link.incoming')}</h4>
          <ul class="callup-link-list">
            {incoming.map((r) => (
              <Incoming
                key={r.id}
                r={r}
                decides={decides}
                onDone={() => {
                  q.reload()
                  onIssued()
                }}
              />
            ))}
          </ul>
        </>
      )}
      {outgoing.length > 0 && (
        <>
          <h4>{t('donors.link.outgoing')}</h4>
          <ul class="callup-link-list">
            {outgoing.map((r) => (
              <li key={r.id} data-callup-link={r.id} data-status={r.status}>
                <Summary r={r} /> · <Outcome r={r} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function Summary({ r }: { r: CallupLink }) {
  const t = useT()
  const { lang } = useAppState()
  const province = t(`donors.province.${r.province}`)
  const site = lang === 'en' ? r.requestSite.nameEn : r.requestSite.nameZh
  return (
    <span>
      {t(r.direction === 'in' ? 'donors.link.inSummary' : 'donors.link.outSummary', {
        province,
        site,
        what: `${t(`component.${r.component}`)} ${group(r.abo, r.rhd)}${r.antigens ? ` ${r.antigens}` : ''}`,
        donors: r.donorCodes.join('、'),
        by: r.askedBy,
      })}{' '}
      <span class={`badge urgency-${r.urgency}`}>{t(`urgency.${r.urgency}`)}</span>
      {r.neededBy && <> · {t('review.deadline', { at: dateTime(r.neededBy, lang) })}</>}
      {r.note && <> · “{r.note}”</>}
    </span>
  )
}

function Outcome({ r }: { r: CallupLink }) {
  const t = useT()
  const { lang } = useAppState()
  if (r.status === 'pending') return <span class="meta">{t('donors.link.pending')}</span>
  return (
    <span class={r.status === 'issued' ? 'ok' : 'warn'}>
      {t(`donors.link.${r.status}`, { by: r.decidedBy ?? '', at: r.decidedAt ? dateTime(r.decidedAt, lang) : '', n: r.callups.length })}
      {r.decisionNote && <> · “{r.decisionNote}”</>}
      {r.callups.map((c) => (
        <span key={c.callupId} class="callup-progress" data-callup={c.callupId} data-status={c.status ?? 'asked'}>
          {' '}
          · <code>{c.donorCode}</code> {t(`donors.status.${c.status ?? 'asked'}`)}
        </span>
      ))}
    </span>
  )
}

function Incoming({ r, decides, onDone }: { r: CallupLink; decides: boolean; onDone: () => void }) {
  const t = useT()
  const { busy, error, run } = useAction()
  const [ask, setAsk] = useState<'issue' | 'decline' | null>(null)
  const [note, setNote] = useState('')
  const province = t(`donors.province.${r.province}`)
  const decide = async (what: 'issue' | 'decline') => {
    const ok = await run(() => api(`/api/callup-links/${encodeURIComponent(r.id)}/${what}`, { method: 'POST', body: note.trim() ? { note: note.trim() } : {} }))
    setAsk(null)
    if (ok) onDone()
  }
  return (
    <li data-callup-link={r.id} data-status={r.status}>
      <Summary r={r} /> · <Outcome r={r} />
      {decides && r.status === 'pending' && (
        <div class="toolbar">
          <label>
            {t('donors.link.note')} <input name="note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} maxLength={500} />
          </label>
          <button type="button" class="issue-callup" disabled={busy} onClick={() => setAsk('issue')}>
            {t('donors.link.issue')}
          </button>
          <button type="button" class="decline-callup" disabled={busy} onClick={() => setAsk('decline')}>
            {t('donors.link.decline')}
          </button>
        </div>
      )}
      {ask && (
        <Confirm
          message={t(ask === 'issue' ? 'donors.link.confirmIssue' : 'donors.link.confirmDecline', {
            province,
            donors: r.donorCodes.join('、'),
            n: r.donorCodes.length,
          })}
          yes={t(ask === 'issue' ? 'donors.link.issue' : 'donors.link.decline')}
          busy={busy}
          onYes={() => void decide(ask)}
          onNo={() => setAsk(null)}
        />
      )}
      <ErrorMessage error={error} />
    </li>
  )
}
