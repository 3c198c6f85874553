import { useEffect, useState } from 'preact/hooks'
import { api, ApiCallError } from '../lib/api'
import { getState, setState } from '../state'
import { onServerAnswer } from './freshness'
import { addOutgoing, deleteOutgoing, listOutgoing, putOutgoing, type Outgoing } from './store'

/**
 * Writes that survive a lost network. A write goes straight to the API when the device is online and nothing of
 * this user's is waiting; otherwise (offline, or the network fails on the way) it is kept in IndexedDB with the
 * Idempotency-Key it was given when typed, and sync() sends the waiting writes in the order they were typed when
 * the network returns. The server applies each key once, so a resend after a lost answer is harmless.
 */
export type NewWrite = Omit<Outgoing, 'id' | 'userId' | 'createdAt' | 'state'>
export type WriteResult<T> = { queued: false; data: T } | { queued: true }

const listeners = new Set<() => void>()
const changed = () => {
  for (const l of listeners) l()
}

const mine = async (): Promise<Outgoing[]> => {
  const me = getState().me
  return me ? (await listOutgoing()).filter((o) => o.userId === me.id) : []
}

export async function queuedWrite<T>(w: NewWrite): Promise<WriteResult<T>> {
  const me = getState().me
  if (!me) throw new ApiCallError(401, 'unauthenticated', 'Not signed in')
  const waiting = (await mine()).some((o) => o.state === 'waiting')
  if (navigator.onLine && !waiting) {
    try {
      return { queued: false, data: await send<T>(w) }
    } catch (e) {
      if (!(e instanceof ApiCallError) || e.status !== 0) throw e // the server answered: the form shows why
    }
  }
  await addOutgoing({ ...w, userId: me.id, createdAt: new Date().toISOString(), state: 'waiting' })
  changed()
  return { queued: true }
}

const send = <T>(w: Pick<Outgoing, 'path' | 'body' | 'idempotencyKey'>) =>
  api<T>(w.path, { method: 'POST', body: w.body, headers: { 'idempotency-key': w.idempotencyKey } })

/** A count typed offline against a lot another user changed since: the lot's quantity now, or null when unchanged. */
async function movedSince(o: Outgoing): Promise<number | null> {
  if (o.kind !== 'count' || o.seenQty === undefined) return null
  const lotId = (o.body as { lotId: string }).lotId
  const { lots } = await api<{ lots: { id: string; qty: number }[] }>(
    `/api/stock/lots?site=${encodeURIComponent(o.siteId)}&includeEmpty=true&includeExpired=true&limit=5000`,
  )
  const lot = lots.find((l) => l.id === lotId)
  return lot && lot.qty !== o.seenQty ? lot.qty : null
}

/**
 * The dispatch route takes no Idempotency-Key: its state machine lets a transfer be dispatched once. A resend after
 * a lost answer gets 409; when the transfer's dispatch record is this user's with this temperature, it was this write.
 */
async function dispatchedByThis(o: Outgoing): Promise<boolean> {
  if (o.kind !== 'dispatch') return false
  const id = o.path.split('/')[3]
  const tr = await api<{ transport: { dispatch: { by: string; temperatureC: number } | null } }>(`/api/transfers/${id}`)
  const d = tr.transport.dispatch
  return !!d && d.by === o.userId && d.temperatureC === (o.body as { temperatureC?: number }).temperatureC
}

let running: Promise<void> | null = null
let again = false

/**
 * Sends this user's waiting writes in order. A refusal (400, 403, 404, 409…) is kept with the server's reason and
 * the next write goes on; a network failure, a 401 or a server fault stops here and the rest wait for the next try.
 */
export function sync(): Promise<void> {
  if (running) {
    again = true // a write became ready while a pass was under way: one more pass after it
    return running
  }
  // one pass at a time across the app's tabs too (Web Locks), so two tabs never send the same write at once
  const exclusive = (fn: () => Promise<void>) => (navigator.locks ? navigator.locks.request('bd-outbox', fn) : fn())
  running = exclusive(async () => {
    let applied = 0
    try {
      for (const o of await mine()) {
        if (o.state !== 'waiting') continue
        try {
          const now = await movedSince(o)
          if (now !== null) {
            await putOutgoing({ ...o, state: 'conflict', nowQty: now })
            changed()
            continue
          }
          await send(o)
          await deleteOutgoing(o.id!)
          applied++
        } catch (e) {
          const err = e instanceof ApiCallError ? e : new ApiCallError(0, 'network', String(e))
          if (err.status === 0 || err.status === 401 || err.status >= 500) break
          if (err.status === 409 && (await dispatchedByThis(o).catch(() => false))) {
            await deleteOutgoing(o.id!)
            applied++
            changed()
            continue
          }
          await putOutgoing({ ...o, state: 'refused', refusal: { status: err.status, code: err.code, message: err.message, field: err.field } })
        }
        changed()
      }
    } finally {
      running = null
      if (applied) setState({ dataVersion: getState().dataVersion + 1 }) // every open page refetches
    }
  })
  return running.then(() => {
    if (!again) return
    again = false
    return sync()
  })
}

/** The person's choice on a conflicting count: record their count against the lot as it is now, or drop it. */
export async function resolveConflict(o: Outgoing, keepMine: boolean): Promise<void> {
  if (keepMine) await putOutgoing({ ...o, state: 'waiting', seenQty: o.nowQty, nowQty: undefined })
  else await deleteOutgoing(o.id!)
  changed()
  if (keepMine) await sync()
}

/** A refused write, once read, leaves the device (it was never applied). */
export async function dismiss(o: Outgoing): Promise<void> {
  await deleteOutgoing(o.id!)
  changed()
}

/** Tries to send when the network comes back (the browser says so, or the server answers a read) and every 15 s. */
export function startSync(): void {
  addEventListener('online', () => void sync())
  onServerAnswer(() => void sync())
  setInterval(() => {
    if (navigator.onLine) void sync()
  }, 15_000)
}

/** This user's writes on the device, in order, kept current. */
export function useOutbox(): Outgoing[] {
  const [list, setList] = useState<Outgoing[]>([])
  const me = getState().me
  useEffect(() => {
    let live = true
    const load = () => void mine().then((l) => live && setList(l))
    listeners.add(load)
    load()
    return () => {
      live = false
      listeners.delete(load)
    }
  }, [me?.id])
  return list
}
