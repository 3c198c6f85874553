import { useEffect, useState } from 'preact/hooks'

/**
 * How old the data on the page is. The service worker stamps each API answer it caches with `x-fetched-at`
 * (web/vite.config.ts); an answer straight from the network has no stamp and is fresh. lib/api.ts reports every
 * GET here, tagged with the page it was read for, so the offline bar can say "data as of …" for this page.
 */
type Seen = { page: string; fetchedAt: string }
/** The answers that came from the cache, by path; an answer from the network removes its path. */
const seen = new Map<string, Seen>()
const listeners = new Set<() => void>()
const reachable = new Set<() => void>()
const pageKey = () => location.pathname + location.search
const notify = () => {
  for (const l of listeners) l()
}

export function noteFetched(path: string, stamped: string | null): void {
  if (stamped) seen.set(path, { page: pageKey(), fetchedAt: stamped })
  else {
    seen.delete(path)
    // the server answered: the surest sign the network is back (navigator.onLine can stay true without one)
    for (const l of reachable) l()
  }
  notify()
}

/** Calls `fn` whenever an API answer comes from the server itself. */
export function onServerAnswer(fn: () => void): void {
  reachable.add(fn)
}

/** The oldest cached answer read for the current page (null: everything on it came from the server). */
export function oldestOnPage(): string | null {
  const here = pageKey()
  let oldest: string | null = null
  for (const s of seen.values()) if (s.page === here && (oldest === null || s.fetchedAt < oldest)) oldest = s.fetchedAt
  return oldest
}

/** Whether the browser has a network, following its online/offline events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine)
  useEffect(() => {
    const on = () => setOnline(true)
    const off = () => setOnline(false)
    addEventListener('online', on)
    addEventListener('offline', off)
    return () => {
      removeEventListener('online', on)
      removeEventListener('offline', off)
    }
  }, [])
  return online
}

/** Re-renders on every reported answer and every half minute (ages move on), and when the page changes. */
export function useFreshness(): string | null {
  const [, force] = useState(0)
  useEffect(() => {
    const l = () => force((n) => n + 1)
    listeners.add(l)
    const timer = setInterval(l, 30_000)
    return () => {
      listeners.delete(l)
      clearInterval(timer)
    }
  }, [])
  return oldestOnPage()
}

/** An age in words with its unit: 3 分钟 / 2.5 小时 / 4 天 (`t` picks the language). */
export function ageText(fromIso: string, t: (k: string, v: Record<string, string | number>) => string, now = Date.now()): string {
  const min = Math.max(0, (now - Date.parse(fromIso)) / 60_000)
  if (min < 60) return t('offline.ageMinutes', { n: Math.floor(min) })
  if (min < 48 * 60) return t('offline.ageHours', { n: Math.round((min / 60) * 10) / 10 })
  return t('offline.ageDays', { n: Math.round((min / 1440) * 10) / 10 })
}
