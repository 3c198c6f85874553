import type { ApiCallError } from './api'
import { t as translate } from './i18n'

type T = typeof translate

/**
 * A field's name in the UI's language: `field.<path>`, then `field.<last name in the path>` ("policies.1.reserveDays"
 * → the reserve days), with the item's number when the path goes through a list ("policy 2's reserve days"); never
 * the raw key: a field without a label reads "this field".
 */
export function fieldLabel(field: string | undefined, t: T = translate): string {
  if (!field) return t('field.unknown')
  const known = (key: string) => (t(key) === key ? null : t(key))
  const whole = known(`field.${field}`)
  if (whole) return whole
  const parts = field.split('.')
  const name = [...parts].reverse().find((p) => !/^\d+$/.test(p))
  const label = (name && known(`field.${name}`)) ?? t('field.unknown')
  const index = parts.findIndex((p) => /^\d+$/.test(p))
  const list = index > 0 ? known(`field.${parts[index - 1]}.item`) : null
  return list && name !== parts[index - 1] ? t('field.inItem', { item: list.replace('{n}', String(Number(parts[index]) + 1)), field: label }) : label
}

/**
 * What the API's schema check said, as a key and values: the server speaks zod's English ("Too big: expected
 * number to be <=366"); the kind of issue and its limit are read from it, so the page can say it in its language.
 */
export function issueKind(message: string): { key: string; limit?: string } | null {
  let m = message.match(/^Too (big|small): expected (number|string|array|int|bigint|date|set|file)\b.*?(<=|>=|<|>)\s*(-?[\d.]+)/)
  if (m) {
    const what = m[2] === 'int' || m[2] === 'bigint' ? 'number' : m[2]
    if (m[1] === 'small' && what === 'string' && m[3] === '>=' && m[4] === '1') return { key: 'err.kind.required' }
    return { key: `err.kind.too_${m[1]}.${what}${m[3].length === 1 ? '.exclusive' : ''}`, limit: m[4] }
  }
  m = message.match(/^Invalid input: expected (\w+), received (\w+)/)
  if (m)
    return {
      key:
        m[2] === 'undefined' || m[2] === 'null'
          ? 'err.kind.required'
          : m[1] === 'int'
            ? 'err.kind.int'
            : m[1] === 'number'
              ? 'err.kind.number'
              : 'err.kind.type',
    }
  if (/^Invalid (option|input): expected one of/.test(message)) return { key: 'err.kind.option' }
  if (/^Invalid number: must be a multiple of 1\b/.test(message)) return { key: 'err.kind.int' }
  if (/^Invalid (string|ISO|date|email|url|uuid|format)/i.test(message)) return { key: 'err.kind.format' }
  if (/^Unrecognized keys?:/.test(message)) return { key: 'err.kind.unknownField' }
  return null
}

/**
 * An API error in the UI's language: looked up by code and field (`err.<code>.<field>`), then by the kind of
 * schema issue (too big, too small, missing, not a number… with the field's label and the limit), then
 * `err.<code>`, then `err.field.<field>`; so a Chinese page never shows the server's English, and an English page
 * never a raw key. The server's own message stays available as the element's title for support.
 */
export function errorText(e: ApiCallError | Error, t: T = translate): string {
  const text = lookup(e, t)
  // a sentence that starts with a field's label ("the number of days must be…") starts with a capital
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function lookup(e: ApiCallError | Error, t: T): string {
  const code = 'code' in e ? (e as ApiCallError).code : 'network'
  const field = 'field' in e ? (e as ApiCallError).field : undefined
  const f = field?.split('.')[0]
  const label = fieldLabel(field, t)
  const specific = field && [`err.${code}.${field}`, !field.includes('.') ? null : `err.${code}.${field.split('.').pop()}`].find((k) => k && t(k) !== k)
  if (specific) return t(specific, { field: label })
  if (code === 'invalid_input' || code === 'bad_request') {
    const kind = issueKind(e.message)
    if (kind && t(kind.key) !== kind.key) return t(kind.key, { field: label, limit: kind.limit ?? '' })
  }
  for (const key of [f && `err.${code}.${f}`, `err.${code}`, f && `err.field.${f}`]) {
    if (!key) continue
    const text = t(key, { field: label })
    if (text !== key) return text
  }
  return t('err.generic', { code })
}
