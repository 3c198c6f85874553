import type { Level, Site } from './types'
import type { Lang } from '../state'

const SEVERITY: Record<Level, number> = { normal: 0, yellow: 1, orange: 2, red: 3 }

export const severity = (l: Level | null | undefined): number => (l ? SEVERITY[l] : -1)

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
export const days = (n: number | null | undefined, lang: Lang): string =>
  n === null || n === undefined ? '∞' : num(n, lang, 1)

export function dateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' })
}

/** A list from a response that is either the array itself or an object holding it (under `key` or its only array). */
export function listOf<T>(data: unknown, key: string): T[] {
  if (!data) return []
  if (Array.isArray(data)) return data as T[]
  const obj = data as Record<string, unknown>
  if (Array.isArray(obj[key])) return obj[key] as T[]
  const arrays = Object.values(obj).filter(Array.isArray)
  return arrays.length === 1 ? (arrays[0] as T[]) : []
}
