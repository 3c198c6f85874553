import { useEffect, useState } from 'preact/hooks'
import { api, ApiCallError } from '../../lib/api'
import { useT } from '../../lib/i18n'
import { setState, useAppState, type Me } from '../../state'
import { ErrorMessage } from '../error-message/error-message'
import { useAction } from '../../lib/use-action'

/** Checks a token against /api/me (falling back to /api/sites) and returns who it belongs to. */
export async function whoAmI(token: string): Promise<Me> {
  try {
    return await api<Me>('/api/me', { token })
  } catch (e) {
    if (e instanceof ApiCallError && e.status === 404) {
      await api('/api/sites', { token })
      return { id: '?', name: token, role: 'coordinator', siteId: null }
    }
    throw e
  }
}

/** Why the session ended, in the user's language when the code is known, else the server's message. */
const reasonText = (t: ReturnType<typeof useT>, s: { code: string; message: string }) => {
  const key = `signin.reason.${s.code}`
  return t(key) === key ? s.message : t(key)
}

/** Token box when signed out; the user's name, role and a sign-out button when signed in. */
export function SignIn() {
  const t = useT()
  const { token, me, signedOut } = useAppState()
  const [draft, setDraft] = useState('')
  const { busy, error, run } = useAction()

  // A stored token is re-checked on load.
  useEffect(() => {
    if (token && !me)
      whoAmI(token)
        .then((m) => setState({ me: m }))
        .catch(
          (e: ApiCallError) => e.status === 0 || setState({ token: null, me: null, signedOut: e.status === 401 ? { code: e.code, message: e.message } : null }),
        ) // offline: keep the token
  }, [token])

  if (token && me)
    return (
      <div class="sign-in signed-in">
        <span class="who">{me.name}</span>
        <span class="badge role" data-role={me.role}>
          {t(`role.${me.role}`)}
        </span>
        <button type="button" class="sign-out" onClick={() => setState({ token: null, me: null, signedOut: null })}>
          {t('signin.signout')}
        </button>
      </div>
    )

  const submit = async (e: Event) => {
    e.preventDefault()
    const tok = draft.trim()
    if (!tok) return
    await run(async () => {
      const m = await whoAmI(tok)
      setState({ token: tok, me: m, signedOut: null })
      setDraft('')
    })
  }
  return (
    <form class="sign-in" onSubmit={submit}>
      <label>
        {t('signin.token')}{' '}
        <input
          name="token"
          type="password"
          autocomplete="off"
          value={draft}
          placeholder={t('signin.placeholder')}
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? t('signin.checking') : t('signin.submit')}
      </button>
      <ErrorMessage error={error} />
      {signedOut && !error && (
        <p class="signed-out" role="alert" data-code={signedOut.code}>
          {reasonText(t, signedOut)}
        </p>
      )}
    </form>
  )
}
