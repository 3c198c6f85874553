import { useEffect, useState } from 'preact/hooks'

/** App-wide state that outlives a page: the bearer token, the language, and who the token belongs to. */
export type Lang = 'zh' | 'en'
// who the token belongs to is the API's shape (worker/schemas/user.ts, GET /api/me): type-only, nothing of the worker is bundled
export type Role = import('../../worker/schemas/user').RoleT
// province: the province whose system this is (GET /api/me; null in the one-region mode)
export type Me = import('../../worker/schemas/user').ActorT & { province?: string | null }

/** Why the session ended without the user signing out (a revoked or expired token, a disabled account). */
export type SignedOut = { code: string; message: string }
/** dataVersion grows whenever the events feed reports a change: pages refetch on it. */
type State = { token: string | null; lang: Lang; me: Me | null; dataVersion: number; signedOut?: SignedOut | null }

// The token lives in localStorage: the API takes it as a bearer header that script must set (no cookie, so
// no cross-site request can use it), every tab of the app shares one sign-in, and signing out (or a 401)
// removes it at once, in every tab (the storage listener below). It is never in a URL or a cookie.
const TOKEN_KEY = 'bd.token'
const LANG_KEY = 'bd.lang'

function initialLang(): Lang {
  const q = new URLSearchParams(location.search).get('lang')
  if (q === 'en' || q === 'zh') return q
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh'
}

let state: State = { token: localStorage.getItem(TOKEN_KEY), lang: initialLang(), me: null, dataVersion: 0 }
const listeners = new Set<() => void>()

export const getState = (): State => state

export function setState(patch: Partial<State>): void {
  state = { ...state, ...patch }
  if ('token' in patch) {
    if (patch.token) localStorage.setItem(TOKEN_KEY, patch.token)
    else localStorage.removeItem(TOKEN_KEY)
  }
  if (patch.lang) {
    localStorage.setItem(LANG_KEY, patch.lang)
    document.documentElement.lang = patch.lang === 'zh' ? 'zh-CN' : 'en'
  }
  for (const l of listeners) l()
}

// Signed out (or in anew) in another tab: follow it here. A new token keeps who was signed in until app.tsx has
// checked whose it is, so a rotated token signed in elsewhere does not wipe this tab's half-typed forms.
window.addEventListener('storage', (e) => {
  if (e.key === TOKEN_KEY && e.newValue !== state.token) setState(e.newValue ? { token: e.newValue } : { token: null, me: null })
})

/** Re-renders the caller whenever the app state changes. */
export function useAppState(): State {
  const [, force] = useState(0)
  useEffect(() => {
    const l = () => force((n) => n + 1)
    listeners.add(l)
    return () => void listeners.delete(l)
  }, [])
  return state
}
