import { openDB, type DBSchema, type IDBPDatabase } from 'idb'

/** What a refused write's server said, kept with the write so the person sees the reason. */
export type Refusal = { status: number; code: string; message: string; field?: string }

/**
 * One write typed on this device and not yet applied by the server, with the Idempotency-Key it was given when it
 * was typed (a resend after a lost answer is applied once). `refused`: the server said no; it stays until the
 * person has read why. `conflict`: a count typed against a lot that changed since; the person chooses.
 */
export type Outgoing = {
  id?: number
  userId: string
  siteId: string
  kind: 'receipt' | 'issue' | 'discard' | 'count' | 'dispatch' | 'receive' | 'transfusion' | 'return' | 'order'
  /** what the write is, in words the person typed it in ("O+ 红细胞 4 U"), shown in the outbox */
  summary: string
  path: string
  body: unknown
  idempotencyKey: string
  createdAt: string
  state: 'waiting' | 'refused' | 'conflict'
  refusal?: Refusal
  /** a count: the lot's quantity when it was typed, and the lot's quantity found at sending when it differs */
  seenQty?: number
  nowQty?: number
}

interface OfflineDb extends DBSchema {
  outbox: { key: number; value: Outgoing }
}

let opened: Promise<IDBPDatabase<OfflineDb>> | null = null
// idb: promises over IndexedDB's event callbacks, and one upgrade path (a key-value helper would lose the order).
const db = () => (opened ??= openDB<OfflineDb>('bd-offline', 1, { upgrade: (d) => void d.createObjectStore('outbox', { keyPath: 'id', autoIncrement: true }) }))

/** In the order they were typed (the store's auto-increment key). */
export const listOutgoing = async (): Promise<Outgoing[]> => (await db()).getAll('outbox')
export const addOutgoing = async (o: Outgoing): Promise<number> => (await db()).add('outbox', o)
export const putOutgoing = async (o: Outgoing): Promise<void> => void (await (await db()).put('outbox', o))
export const deleteOutgoing = async (id: number): Promise<void> => (await db()).delete('outbox', id)
