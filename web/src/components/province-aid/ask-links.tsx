import { useT } from '../../lib/i18n'
import { isCoordinator } from '../../lib/roles'
import type { InstanceNeed } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useAppState } from '../../state'
import { useProvinceName } from './aid-card'

/** The provinces a coordinator may ask: none outside province mode (GET /api/me says the province, null there). */
export function useAskPeers(): string[] {
  const { me } = useAppState()
  const q = useApi<{ peers: string[] }>(isCoordinator(me) && me?.province ? '/api/province-aid' : null)
  return q.data?.peers ?? []
}

/**
 * "Ask <province>" on an unmet need of the plan: opens the aid form filled with the need (station, component, group,
 * the unmet quantity, urgency, deadline, antigens, the request it serves); nothing is sent before that form's confirm.
 */
export function AskProvinceLinks({ need, qty, peers }: { need: InstanceNeed; qty: number; peers: string[] }) {
  const t = useT()
  const province = useProvinceName()
  if (peers.length === 0) return null
  const q = (giver: string) =>
    new URLSearchParams({
      giver,
      site: need.site,
      component: need.component,
      abo: need.abo,
      rhd: need.rhd,
      qty: String(qty),
      urgency: need.urgency ?? 'urgent',
      ...(need.neededBy ? { neededBy: need.neededBy } : {}),
      ...(need.antigens ? { antigens: need.antigens } : {}),
      request: need.id,
    }).toString()
  return (
    <span class="ask-province">
      {peers.map((p) => (
        <a key={p} class="ask-province-link" href={`/province-aid?${q(p)}`}>
          {' '}
          {t('paid.ask.button', { province: province(p) })}
        </a>
      ))}
    </span>
  )
}
