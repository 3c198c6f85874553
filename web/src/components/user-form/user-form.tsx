import { useState } from 'preact/hooks'
import { api } from '../../lib/api'
import { siteName } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { IssuedToken, Site, User } from '../../lib/types'
import { ROLES as DOMAIN_ROLES, SITE_ROLES as DOMAIN_SITE_ROLES } from '../../../../solver/domain'
import { useAppState, type Role } from '../../state'
import { ErrorMessage } from '../error-message/error-message'
import { useAction } from '../../lib/use-action'

/** The roles offered, the station's director first (the most common account). */
const ROLES: Role[] = ['director', ...DOMAIN_ROLES.filter((r) => r !== 'director')]
/** Roles bound to one site (solver/domain.ts): a station's director, a hospital's blood bank, a machine feed. */
const SITE_ROLES: readonly Role[] = DOMAIN_SITE_ROLES

/** Adds a user (POST /api/users); a director needs a site. Hands the first token to the page. */
export function UserForm({ sites, onAdded }: { sites: Site[]; onAdded: (user: User, token: IssuedToken) => void }) {
  const t = useT()
  const { lang } = useAppState()
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('director')
  const [siteId, setSiteId] = useState('')
  const [days, setDays] = useState('90')
  const [label, setLabel] = useState('')
  const { busy, error, run } = useAction()
  const submit = async (e: Event) => {
    e.preventDefault()
    await run(async () => {
      const body = {
        name: name.trim(),
        role,
        ...(SITE_ROLES.includes(role) && siteId ? { siteId } : {}),
        expiresInDays: Number(days),
        ...(label.trim() ? { tokenLabel: label.trim() } : {}),
      }
      const res = await api<{ user: User; token: IssuedToken }>('/api/users', { method: 'POST', body })
      setName('')
      setLabel('')
      onAdded(res.user, res.token)
    })
  }
  return (
    <form class="request-form user-form" onSubmit={submit}>
      <h3>{t('admin.add')}</h3>
      <label>
        {t('admin.name')}
        <input name="name" required maxLength={80} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        {t('admin.role')}
        <select name="role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      {SITE_ROLES.includes(role) && (
        <label>
          {t('admin.site')}
          <select name="siteId" value={siteId} onChange={(e) => setSiteId((e.target as HTMLSelectElement).value)}>
            <option value="">—</option>
            {/* a hospital user belongs to a hospital, a director to a station (never a hospital); a feed to either */}
            {sites
              .filter((s) => (role === 'hospital' ? s.kind === 'hospital' : role === 'director' ? s.kind !== 'hospital' : true))
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id} · {siteName(s, lang)}
                </option>
              ))}
          </select>
        </label>
      )}
      <label>
        {t('admin.days')}
        <input name="days" type="number" min={1} max={730} value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        {t('admin.label')}
        <input name="label" maxLength={80} value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="add-user" disabled={busy}>
        {t('admin.addSubmit')}
      </button>
      <ErrorMessage error={error} />
    </form>
  )
}
