import { dateTime } from '../../lib/format'
import { useT } from '../../lib/i18n'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import { ErrorMessage } from '../error-message/error-message'

type LinkMessage = import('../../../../worker/schemas/link').LinkMessageT

/** Link messages both ways (admins): rejected first with the reason, then pending with the last delivery error. */
export function LinkMessages() {
  const t = useT()
  const { lang } = useAppState()
  const q = useApi<{ messages: LinkMessage[] }>('/api/link/messages')
  const province = (p: string) => (t(`link.province.${p}`) === `link.province.${p}` ? p : t(`link.province.${p}`))
  return (
    <section class="link-messages">
      <h3>{t('link.messagesTitle')}</h3>
      <p class="meta">{t('link.messagesHint')}</p>
      <ErrorMessage error={q.error} />
      {q.data && q.data.messages.length === 0 && <p class="meta">{t('link.messagesNone')}</p>}
      {q.data && q.data.messages.length > 0 && (
        <table class="cards">
          <thead>
            <tr>
              <th>{t('link.col.direction')}</th>
              <th>{t('link.col.province')}</th>
              <th>{t('link.col.kind')}</th>
              <th>{t('link.col.status')}</th>
              <th>{t('link.col.at')}</th>
              <th>{t('link.col.attempts')}</th>
              <th>{t('link.col.error')}</th>
            </tr>
          </thead>
          <tbody>
            {q.data.messages.map((m) => (
              <tr key={`${m.direction}-${m.id}`} data-message={m.id} data-status={m.status}>
                <td data-label={t('link.col.direction')}>{t(`link.dir.${m.direction}`)}</td>
                <td data-label={t('link.col.province')}>{province(m.province)}</td>
                <td data-label={t('link.col.kind')}>
                  <code>{m.kind}</code>
                </td>
                <td data-label={t('link.col.status')}>
                  <span class={`badge link-${m.status}`}>{t(`link.status.${m.status}`)}</span>
                </td>
                <td data-label={t('link.col.at')}>{dateTime(m.at, lang)}</td>
                <td data-label={t('link.col.attempts')}>{m.attempts === null ? '—' : t('link.attempts', { n: m.attempts })}</td>
                <td data-label={t('link.col.error')}>{m.error ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
