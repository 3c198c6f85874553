import type { ApiError } from './api'
import { t as translate } from './i18n'

/**
 * An API error in the UI's language: looked up by code and field (`err.<code>.<field>`, then `err.<code>`,
 * then `err.field.<field>` for any invalid input), so a Chinese page never shows the server's English. The
 * server's own message stays available as the element's title for support.
 */
export function errorText(e: ApiError | Error, t: typeof translate = translate): string {
  const code = 'code' in e ? (e as ApiError).code : 'network'
  const field = 'field' in e ? (e as ApiError).field : undefined
  const f = field?.split('.')[0]
  for (const key of [f && `err.${code}.${f}`, `err.${code}`, f && `err.field.${f}`]) {
    if (!key) continue
    const text = t(key, { field: f ? t(`field.${f}`) : '' })
    if (text !== key) return text
  }
  return t('err.generic', { code })
}
