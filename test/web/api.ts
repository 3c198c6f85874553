import { expect } from 'vitest'

/** Direct API calls, to compare what the UI shows with what the API says. */
export async function apiCall<T>(
  base: string,
  token: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const r = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: r.status, body: (await r.json()) as T }
}

export async function apiGet<T>(base: string, token: string, path: string): Promise<T> {
  const r = await apiCall<T>(base, token, path)
  expect(r.status, `GET ${path}`).toBe(200)
  return r.body
}

export const SEVERITY = { normal: 0, yellow: 1, orange: 2, red: 3 } as const
export type Level = keyof typeof SEVERITY

/** Worst level per site among the API's warning rows for a component. */
export function worstBySite(rows: { siteId: string; component: string; level: Level }[], component: string): Map<string, Level> {
  const out = new Map<string, Level>()
  for (const r of rows) {
    if (r.component !== component) continue
    const cur = out.get(r.siteId)
    if (!cur || SEVERITY[r.level] > SEVERITY[cur]) out.set(r.siteId, r.level)
  }
  return out
}

/** expect.poll with room for a cold page load (its default gives up after 1 s). */
export const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 150 })
