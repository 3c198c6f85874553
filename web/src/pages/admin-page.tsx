import { useState } from 'preact/hooks'
import { ErrorMessage } from '../components/error-message/error-message'
import { LinkMessages } from '../components/link-messages/link-messages'
import { NewToken } from '../components/new-token/new-token'
import { UserForm } from '../components/user-form/user-form'
import { UserTable } from '../components/user-table/user-table'
import { api } from '../lib/api'
import { useT } from '../lib/i18n'
import type { IssuedToken, Site, User } from '../lib/types'
import { useApi } from '../lib/use-api'
import { useAppState } from '../state'
import { useAction } from '../lib/use-action'

/** Accounts and access (admins): who has access, add a user, rotate, revoke, disable. The API decides. */
export function AdminPage() {
  const t = useT()
  const { me } = useAppState()
  const usersQ = useApi<{ users: User[] }>(me?.role === 'admin' ? '/api/users' : null)
  const sitesQ = useApi<{ sites: Site[] }>('/api/sites')
  // hospitals are listed apart (GET /api/sites leaves them out): a hospital or feed user is bound to one
  const hospitalsQ = useApi<{ sites: Site[] }>('/api/sites?kind=hospital')
  const allSites = [...(sitesQ.data?.sites ?? []), ...(hospitalsQ.data?.sites ?? [])]
  const [issued, setIssued] = useState<{ name: string; token: IssuedToken } | null>(null)
  const { busy, error, run } = useAction()
  if (me?.role !== 'admin')
    return (
      <section class="admin-page">
        <h2>{t('admin.title')}</h2>
        <p class="meta">{t('admin.only')}</p>
      </section>
    )

  const act = async (fn: () => Promise<void>) => {
    await run(async () => {
      await fn()
      usersQ.reload()
    })
  }
  const rotate = (u: User) =>
    act(async () => {
      const res = await api<{ token: IssuedToken }>(`/api/users/${encodeURIComponent(u.id)}/tokens`, { method: 'POST', body: { revokeOthers: true } })
      setIssued({ name: u.name, token: res.token })
    })
  const revoke = (u: User) =>
    act(async () => {
      await api(`/api/users/${encodeURIComponent(u.id)}/tokens`, { method: 'DELETE' })
      if (issued?.name === u.name) setIssued(null)
    })
  const toggle = (u: User) =>
    act(async () => {
      await api(`/api/users/${encodeURIComponent(u.id)}`, { method: 'PATCH', body: { disabled: !u.disabled } })
    })

  return (
    <section class="admin-page">
      <h2>{t('admin.title')}</h2>
      <ErrorMessage error={usersQ.error ?? sitesQ.error ?? hospitalsQ.error ?? error} />
      {issued && <NewToken name={issued.name} issued={issued.token} onDone={() => setIssued(null)} />}
      <p class="meta">{t('admin.hint')}</p>
      {usersQ.data && <UserTable users={usersQ.data.users} sites={allSites} busy={busy} onRotate={rotate} onRevoke={revoke} onToggle={toggle} />}
      <UserForm
        sites={allSites}
        onAdded={(u, tok) => {
          setIssued({ name: u.name, token: tok })
          usersQ.reload()
        }}
      />
      {me.province && <LinkMessages />}
    </section>
  )
}
