import { useState } from 'preact/hooks'
import { dateTime } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { IssuedToken } from '../../lib/types'
import { useAppState } from '../../state'

/** A token just issued: shown this once (the server keeps only its hash), with a copy button. */
export function NewToken({ name, issued, onDone }: { name: string; issued: IssuedToken; onDone: () => void }) {
  const t = useT()
  const { lang } = useAppState()
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.token)
      setCopied(true)
    } catch {
      // no clipboard (plain http on another host): select the text so Ctrl-C copies it
      const range = document.createRange()
      range.selectNodeContents(document.querySelector('.new-token code')!)
      getSelection()?.removeAllRanges()
      getSelection()?.addRange(range)
    }
  }
  return (
    <div class="new-token" role="status">
      <p>
        <strong>{t('admin.newToken', { name })}</strong> {t('admin.shownOnce', { date: dateTime(issued.expiresAt, lang) })}
      </p>
      <code>{issued.token}</code>{' '}
      <button type="button" class="copy-token" onClick={copy}>
        {copied ? t('admin.copied') : t('admin.copy')}
      </button>{' '}
      <button type="button" class="dismiss-token" onClick={onDone}>
        {t('admin.done')}
      </button>
    </div>
  )
}
