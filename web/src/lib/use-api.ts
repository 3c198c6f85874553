import { useCallback, useEffect, useState } from 'preact/hooks'
import { api, ApiCallError } from './api'
import { useAppState } from '../state'

export type Loaded<T> = { data: T | null; error: ApiCallError | null; loading: boolean; reload: () => void }

/** GETs a path (null: nothing yet) and refetches when the path or the token changes, or the events feed reports a change. */
export function useApi<T>(path: string | null): Loaded<T> {
  const { token, dataVersion } = useAppState()
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<ApiCallError | null>(null)
  const [loading, setLoading] = useState(false)
  const [tick, setTick] = useState(0)
  useEffect(() => {
    if (!path || !token) return
    let live = true
    setLoading(true)
    api<T>(path)
      .then((d) => live && (setData(d), setError(null)))
      // a failed background refresh keeps what is on screen
      .catch((e: ApiCallError) => live && (setError(e), dataVersion === 0 && setData(null)))
      .finally(() => live && setLoading(false))
    return () => void (live = false)
  }, [path, token, tick, dataVersion])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  return { data, error, loading, reload }
}
