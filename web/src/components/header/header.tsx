import { useLocation } from 'preact-iso'
import { useT } from '../../lib/i18n'
import { isSiteOnly, SIM_ROLES } from '../../lib/roles'
import { setState, useAppState, type Role } from '../../state'
import { SignIn } from '../sign-in/sign-in'

/** Nav entries; `roles` limits an entry to those roles (the API still decides). */
const LINKS: { href: string; key: string; roles?: Role[] }[] = [
  // a director's home ('/') is their own station (app.tsx), the same page as /station; the map is at /map
  { href: '/station', key: 'nav.home', roles: ['director'] },
  { href: '/hospital', key: 'nav.hospital', roles: ['hospital'] },
  { href: '/', key: 'nav.map', roles: ['coordinator', 'planner', 'admin'] },
  { href: '/map', key: 'nav.map', roles: ['director'] },
  { href: '/requests', key: 'nav.requests' },
  { href: '/plan', key: 'nav.plan' },
  { href: '/incidents', key: 'nav.incidents' },
  { href: '/station', key: 'nav.station', roles: ['coordinator', 'admin'] },
  { href: '/simulate', key: 'nav.simulate', roles: SIM_ROLES },
  { href: '/admin', key: 'nav.admin', roles: ['admin'] },
  { href: '/donors', key: 'nav.donors' },
  { href: '/report', key: 'nav.report', roles: ['director', 'coordinator', 'admin'] },
]
// in province mode (issue 24) only: the linked provinces
const PROVINCES_LINK: (typeof LINKS)[number] = { href: '/provinces', key: 'nav.provinces' }
const AID_LINK: (typeof LINKS)[number] = { href: '/province-aid', key: 'nav.provinceAid', roles: ['coordinator', 'planner', 'admin'] }

export function Header() {
  const t = useT()
  const { lang, me } = useAppState()
  const { path } = useLocation()
  const here = path === '/' && me?.role === 'director' ? '/station' : path === '/' && me?.role === 'hospital' ? '/hospital' : path
  return (
    <header class="app-header">
      <h1>{t('app.title')}</h1>
      <nav>
        {/* an entry for every role is not for a hospital's blood bank, which has only its own page */}
        {[...LINKS, ...(me?.province ? [PROVINCES_LINK, AID_LINK] : [])]
          .filter((l) => (l.roles ? me && l.roles.includes(me.role) : !isSiteOnly(me)))
          .map(({ href, key }) => (
            <a key={href} href={href} class={here === href ? 'active' : ''}>
              {t(key)}
            </a>
          ))}
      </nav>
      <button type="button" class="lang-toggle" onClick={() => setState({ lang: lang === 'zh' ? 'en' : 'zh' })}>
        {t('lang.toggle')}
      </button>
      <SignIn />
    </header>
  )
}
