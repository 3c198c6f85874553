import { useState } from 'preact/hooks'
import type { ApiCallError } from './api'

/** A button's write: `busy` while it runs (to disable the button), and the error it ended with, cleared when the next
 *  run starts. `run` resolves true when the write succeeded, false when it failed (the error is then in `error`). */
export function useAction() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiCallError | null>(null)
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true)
    setError(null)
    try {
      await fn()
      return true
    } catch (e) {
      setError(e as ApiCallError)
      return false
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, setError, run }
}
