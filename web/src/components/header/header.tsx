import { useLocation } from 'preact-iso'
import { useT } from '../../lib/i18n'
import { setState, useAppState } from '../../state'
import { SignIn } from '../sign-in/sign-in'

const LINKS = [
  ['/', 'nav.map'],
  ['/requests', 'nav.requests'],
  ['/plan', 'nav.plan'],
] as const

export function Header() {
  const t = useT()
  const { lang } = useAppState()
  const { path } = useLocation()
  return (
    <header class="app-header">
      <h1>{t('app.title')}</h1>
      <nav>
        {LINKS.map(([href, key]) => (
          <a key={href} href={href} class={path === href ? 'active' : ''}>{t(key)}</a>
        ))}
      </nav>
      <button type="button" class="lang-toggle" onClick={() => setState({ lang: lang === 'zh' ? 'en' : 'zh' })}>{t('lang.toggle')}</button>
      <SignIn />
    </header>
  )
}
