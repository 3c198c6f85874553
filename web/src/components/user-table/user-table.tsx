import { dateTime, siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Site, User } from '../../lib/types'
import { useAppState } from '../../state'

type Props = { users: User[]; sites: Site[]; busy: boolean; onRotate: (u: User) => void; onRevoke: (u: User) => void; onToggle: (u: User) => void }

/** Who has access: role, site, state, last use, live tokens and when they expire, and what an admin can do. */
export function UserTable({ users, sites, busy, onRotate, onRevoke, onToggle }: Props) {
  const t = useT()
  const { lang, me } = useAppState()
  const site = (id: string | null) =>
    id
      ? `${id} · ${siteName(
          sites.find((s) => s.id === id),
          lang,
          id,
        )}`
      : '—'
  return (
    <table class="user-table">
      <thead>
        <tr>
          <th>{t('admin.name')}</th>
          <th>{t('admin.role')}</th>
          <th>{t('admin.site')}</th>
          <th>{t('admin.state')}</th>
          <th>{t('admin.lastUse')}</th>
          <th>{t('admin.tokens')}</th>
          <th>{t('admin.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => {
          const live = u.tokens.filter((k) => k.status === 'active')
          return (
            <tr key={u.id} data-user={u.id} class={u.disabled ? 'disabled' : ''}>
              <td>
                {u.name}
                {me?.id === u.id && (
                  <>
                    {' '}
                    <span class="meta">({t('admin.you')})</span>
                  </>
                )}
              </td>
              <td>
                <span class="badge role" data-role={u.role}>
                  {t(`role.${u.role}`)}
                </span>
              </td>
              <td>{site(u.siteId)}</td>
              <td class="state">{u.disabled ? t('admin.disabled') : t('admin.enabled')}</td>
              <td>{u.lastUsedAt ? dateTime(u.lastUsedAt, lang) : t('admin.never')}</td>
              <td class="tokens">
                {live.length === 0
                  ? t('admin.noTokens')
                  : live.map((k) => (
                      <div key={k.id}>
                        {k.label || t('admin.unlabelled')} · {t('admin.expires', { date: dateTime(k.expiresAt, lang) })}
                      </div>
                    ))}
              </td>
              <td class="actions">
                <button type="button" class="rotate" disabled={busy} title={t('admin.rotateHint')} onClick={() => onRotate(u)}>
                  {t('admin.rotate')}
                </button>
                <button type="button" class="revoke" disabled={busy || live.length === 0} onClick={() => onRevoke(u)}>
                  {t('admin.revoke')}
                </button>
                <button type="button" class="toggle" disabled={busy} onClick={() => onToggle(u)}>
                  {u.disabled ? t('admin.enable') : t('admin.disable')}
                </button>
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
