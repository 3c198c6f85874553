import { useT } from '../../lib/i18n'
import type { Level } from '../../lib/types'

/** A level as a coloured badge that also says the level in words. */
export function LevelBadge({ level }: { level: Level | null }) {
  const t = useT()
  return (
    <span class={`badge level-${level ?? 'none'}`} data-level={level ?? 'none'}>
      {t(`level.${level ?? 'none'}`)}
    </span>
  )
}

export function UrgencyBadge({ urgency }: { urgency: string }) {
  const t = useT()
  return (
    <span class={`badge urgency-${urgency}`} data-urgency={urgency}>
      {t(`urgency.${urgency}`)}
    </span>
  )
}

export function StatusBadge({ status }: { status: string }) {
  const t = useT()
  return (
    <span class={`badge status status-${status}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  )
}
