import { useT } from '../lib/i18n'

/** An unknown address: say so, and offer the way back. */
export function NotFoundPage() {
  const t = useT()
  return (
    <section class="not-found">
      <h2>{t('notFound.title')}</h2>
      <p>{t('notFound.body')}</p>
      <p>
        <a href="/">{t('notFound.home')}</a> · <a href="/requests">{t('nav.requests')}</a>
      </p>
    </section>
  )
}
