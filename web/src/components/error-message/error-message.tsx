import type { ApiError } from '../../lib/api'
import { useT } from '../../lib/i18n'

/** An API error as a readable line: the server's message and its code. */
export function ErrorMessage({ error }: { error: ApiError | Error | null }) {
  const t = useT()
  if (!error) return null
  const code = 'code' in error ? ` (${(error as ApiError).code})` : ''
  return <p class="error" role="alert">{t('common.error', { message: error.message + code })}</p>
}
