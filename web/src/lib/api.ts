import { noteFetched } from '../offline/freshness'
import { getState, setState } from '../state'

/** An API failure in the one error shape `{error: {code, message, field?, detail?}}`, or a network failure. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly detail?: Record<string, string | number>,
  ) {
    super(message)
  }
}

type Options = { method?: string; body?: unknown; headers?: Record<string, string>; token?: string }

/** Every fetch goes through here: adds the bearer token and turns error bodies into ApiCallError. */
export async function api<T>(path: string, opts: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers }
  const token = opts.token ?? getState().token
  if (token) headers.authorization = `Bearer ${token}`
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(path, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) })
  } catch (e) {
    throw new ApiCallError(0, 'network', `Network error: ${(e as Error).message}`)
  }
  if (res.ok && (opts.method ?? 'GET') === 'GET') noteFetched(path, res.headers.get('x-fetched-at')) // offline: how old the page's data is
  const text = await res.text()
  let data: unknown = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = null
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string; detail?: Record<string, string | number> } } | null)?.error
    const e = new ApiCallError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `HTTP ${res.status} ${res.statusText}`, err?.field, err?.detail)
    // A token the server no longer accepts is dropped, so the sign-in form shows again, with the reason; who was
    // signed in is kept, so the page (and anything half-typed) waits for them to sign in again (app.tsx). A late
    // answer to a token already replaced changes nothing.
    if (res.status === 401 && !opts.token && token && getState().token === token) setState({ token: null, signedOut: { code: e.code, message: e.message } })
    throw e
  }
  return data as T
}

/** A unique Idempotency-Key for one logical write. */
export const idempotencyKey = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
