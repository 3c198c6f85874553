import { useState } from 'preact/hooks'
import { api } from '../../lib/api'
import { dateTime, num } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Transfer } from '../../lib/types'
import { useAppState } from '../../state'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage } from '../error-message/error-message'
import { useAction } from '../../lib/use-action'

const THAWED_HOURS = 24

/**
 * The thaw step of a transfer that carries frozen red cells (issue 20 §2): before dispatch the donor thaws them
 * (asks first: thawed units keep 24 h and are never refrozen); after, who thawed them, when, and until when they keep.
 */
export function ThawStep({ tr, canAct, onDone }: { tr: Transfer; canAct: boolean; onDone: () => void }) {
  const t = useT()
  const { lang } = useAppState()
  const [confirming, setConfirming] = useState(false)
  const { busy, error, run } = useAction()
  if (!tr.frozen) return null
  const frozenQty = tr.lots.filter((l) => l.frozen).reduce((s, l) => s + l.qty, 0)
  const unit = t(`unit.${tr.component}`)
  if (tr.thawedAt) {
    const until = new Date(Date.parse(tr.thawedAt) + THAWED_HOURS * 3_600_000).toISOString()
    return (
      <p class="thaw-step thawed" data-thawed-at={tr.thawedAt}>
        {t('thaw.done', { at: dateTime(tr.thawedAt, lang), by: tr.thawedBy ?? '—', until: dateTime(until, lang) })}
      </p>
    )
  }
  const thaw = async () => {
    await run(async () => {
      await api(`/api/transfers/${encodeURIComponent(tr.id)}/thaw`, { method: 'POST' })
      setConfirming(false)
      onDone()
    })
  }
  return (
    <div class="thaw-step" data-frozen-qty={frozenQty}>
      <p class="meta">
        {t('thaw.needed', { qty: num(frozenQty, lang), unit })}
        {tr.thawHours !== null && <> · {t('thaw.inEta', { hours: num(tr.thawHours, lang, 1) })}</>}
      </p>
      {canAct &&
        tr.status === 'committed' &&
        (confirming ? (
          <Confirm
            message={t('thaw.confirm', { qty: num(frozenQty, lang), unit, id: tr.id })}
            yes={t('thaw.button')}
            busy={busy}
            onYes={thaw}
            onNo={() => setConfirming(false)}
          />
        ) : (
          <button type="button" class="thaw" disabled={busy} onClick={() => setConfirming(true)}>
            {t('thaw.button')}
          </button>
        ))}
      <ErrorMessage error={error} />
    </div>
  )
}
