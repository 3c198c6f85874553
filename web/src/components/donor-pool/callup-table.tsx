import { useState } from 'preact/hooks'
import { api, ApiCallError } from '../../lib/api'
import { NEXT, type Callup, type CallupStatus } from '../../lib/donor-types'
import { dateTime, localInput, parseLocal, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Site } from '../../lib/types'
import { useAppState } from '../../state'
import { ErrorMessage } from '../error-message/error-message'
import { canWriteSite } from '../../lib/roles'
import { useAction } from '../../lib/use-action'

/** Call-ups with their next moves; only the collecting station's director (or a coordinator) moves one on. */
export function CallupTable({ callups, sites, onDone }: { callups: Callup[]; sites: Map<string, Site>; onDone: () => void }) {
  const t = useT()
  const { me, lang } = useAppState()
  if (callups.length === 0) return <p class="empty">{t('donors.callups.none')}</p>
  const canMove = (c: Callup) => canWriteSite(me, c.siteId)
  return (
    <table class="cards callup-table">
      <thead>
        <tr>
          <th>{t('donors.code')}</th>
          <th>{t('donors.callups.request')}</th>
          <th>{t('donors.callups.collecting')}</th>
          <th>{t('req.status')}</th>
          <th>{t('donors.callups.ready')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {callups.map((c) => (
          <tr key={c.id} data-callup={c.id} data-status={c.status}>
            <td data-label={t('donors.code')}>
              <code>{c.donorCode}</code>
            </td>
            <td data-label={t('donors.callups.request')}>
              {c.requestId} → {siteName(sites.get(c.requestSiteId), lang, c.requestSiteId)}
            </td>
            <td data-label={t('donors.callups.collecting')}>{siteName(sites.get(c.siteId), lang, c.siteId)}</td>
            <td data-label={t('req.status')}>
              <span class={`badge callup-${c.status}`} data-callup-status={c.status}>
                {t(`donors.status.${c.status}`)}
              </span>
              {c.lotId && (
                <>
                  {' '}
                  ·{' '}
                  <span class="meta" data-lot={c.lotId}>
                    {t('donors.callups.lot', { id: c.lotId })}
                  </span>
                </>
              )}
            </td>
            <td data-label={t('donors.callups.ready')}>
              {c.readyAt ? (
                <>
                  {dateTime(c.readyAt, lang)} → {dateTime(c.arrivesAt, lang)}{' '}
                  <span data-meets={String(c.meetsDeadline)}>{c.meetsDeadline ? t('donors.meets') : t('donors.late')}</span>
                </>
              ) : (
                '—'
              )}
            </td>
            <td class="actions">{canMove(c) && NEXT[c.status].length > 0 && <CallupActions callup={c} onDone={onDone} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function CallupActions({ callup, onDone }: { callup: Callup; onDone: () => void }) {
  const t = useT()
  const [when, setWhen] = useState(localInput(2))
  const { busy, error, run } = useAction()
  const move = async (status: CallupStatus) => {
    await run(async () => {
      const body: Record<string, unknown> = { status }
      if (status === 'scheduled') {
        const at = parseLocal(when)
        if (!at) throw new ApiCallError(400, 'invalid_input', 'scheduledAt', 'scheduledAt')
        body.scheduledAt = at
      }
      await api(`/api/callups/${encodeURIComponent(callup.id)}/status`, { method: 'POST', body })
      onDone()
    })
  }
  return (
    <div class="callup-actions">
      {NEXT[callup.status].includes('scheduled') && (
        <input name="scheduledAt" value={when} onInput={(e) => setWhen((e.target as HTMLInputElement).value)} aria-label={t('donors.callups.when')} />
      )}
      {NEXT[callup.status].map((s) => (
        <button type="button" key={s} class={`move-${s}`} disabled={busy} onClick={() => move(s)}>
          {t(`donors.move.${s}`)}
        </button>
      ))}
      <ErrorMessage error={error} />
    </div>
  )
}
