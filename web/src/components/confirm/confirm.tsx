import { useT } from '../../lib/i18n'

/** An inline "are you sure" for a destructive action: the message says what will happen; nothing happens until yes. */
export function Confirm({ message, yes, onYes, onNo, busy }: { message: string; yes: string; onYes: () => void; onNo: () => void; busy?: boolean }) {
  const t = useT()
  return (
    <div class="confirm" role="alertdialog" aria-label={message}>
      <p>{message}</p>
      <button type="button" class="confirm-yes danger" disabled={busy} onClick={onYes}>
        {yes}
      </button>
      <button type="button" class="confirm-no" onClick={onNo}>
        {t('common.back')}
      </button>
    </div>
  )
}
