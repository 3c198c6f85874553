import { LEVEL_RANK } from '../../../solver/domain'
import type { Level, Site } from './types'
import type { Lang } from '../state'
import { t as translate } from './i18n'

export const severity = (l: Level | null | undefined): number => (l ? LEVEL_RANK[l] : -1)

/** The worse of two levels (null means no data). */
export const worse = (a: Level | null, b: Level | null): Level | null => (severity(b) > severity(a) ? b : a)

export const siteName = (s: Pick<Site, 'nameZh' | 'nameEn'> | undefined, lang: Lang, fallback = ''): string =>
  s ? (lang === 'zh' ? s.nameZh : s.nameEn) : fallback

export const group = (abo: string, rhd: string): string => (abo === '*' ? '*' : `${abo}${rhd}`)

export function num(n: number | null | undefined, lang: Lang, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—'
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}

/** Days of supply: one decimal; no issue at all reads as ∞. */
export const days = (n: number | null | undefined, lang: Lang): string => (n === null || n === undefined ? '∞' : num(n, lang, 1))

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * Local date and time as 2026-12-01 14:30 in both languages: the form Chinese dispatch sheets use, and one a
 * reader of either language cannot misread (no 12/01 vs 01/12, no AM/PM). `_lang` kept for callers.
 */
export function dateTime(iso: string | null | undefined, _lang?: Lang): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** The value for a date-time text field, `hours` from now: 2026-12-01 14:30 (local). */
export const localInput = (hours = 0): string => dateTime(new Date(Date.now() + hours * 3_600_000).toISOString())

/** Parses 2026-12-01 14:30 (or with T, or seconds) as local time into ISO; null when it is not such a date-time. */
export function parseLocal(s: string): string | null {
  const m = s.trim().match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::\d{2})?$/)
  if (!m) return null
  const d = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5])
  return Number.isNaN(d.getTime()) || d.getMonth() !== +m[2] - 1 ? null : d.toISOString()
}

/** A duration in hours with one decimal and its unit in the page's language: 2.2 小时 / 2.2 h. */
export const hours = (n: number | null | undefined, lang: Lang): string => translate('common.hours', { n: num(n, lang, 1) }, lang)

/**
 * A request's reason as the reader's language has it: an incident's requests are filed as "<incident> · <category>"
 * (critical, severe, moderate casualties, a direct request, a quota), the category in English; other reasons are
 * the words a person typed and stay as they are.
 */
export function requestReason(reason: string, lang: Lang): string {
  const m = reason.match(/^(.*) · (critical|severe|moderate|direct|quota)$/)
  return m ? `${m[1]} · ${translate(`reqReason.${m[2]}`, {}, lang)}` : reason
}

/** Text for Leaflet's HTML tooltips and popups: &, <, > and " as character references. */
export const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
