import { TRANSFER_NEXT, URGENCY_RANK as DOMAIN_URGENCY_RANK } from '../../../solver/domain'
import { selectTransferRow, selectTransferRows, withLines, type TransferFilter, type TransferRow } from '../../db/transfers/read'
import { conflict, notFound } from '../../errors'
import type { TransferStatusT, TransferT } from '../../schemas/transfer'
import { isRaised } from '../../db/constraints'

/** The moves the transfer_status_guard trigger allows (solver/domain.ts); checked first only to answer with a clear message. */
const NEXT = TRANSFER_NEXT

export const invalidTransition = (t: { id: string; status: string }, to: string) =>
  conflict('invalid_transition', `Transfer ${t.id} is ${t.status}; it cannot become ${to}`, 'status')

export function requireTransition(t: { id: string; status: TransferStatusT }, to: TransferStatusT): void {
  if (!NEXT[t.status].includes(to)) throw invalidTransition(t, to)
}

/** Maps the guards' failures (triggers, keys, CHECKs) to 409s; anything else is rethrown. */
export function mapGuardError(e: unknown, t: { id: string; status: string }, to: string): never {
  if (isRaised(e, 'transfer_status')) throw invalidTransition({ id: t.id, status: 'no longer ' + t.status }, to)
  if (isRaised(e, 'transfer_qty_fixed')) throw conflict('invalid_transition', `Transfer ${t.id} is committed; its quantity is fixed`, 'qty')
  throw e
}

export async function loadRow(db: D1Database, id: string): Promise<TransferRow> {
  const row = await selectTransferRow(db, id)
  if (!row) throw notFound('transfer', id)
  return row
}

export async function getTransfer(db: D1Database, id: string): Promise<TransferT> {
  const [t] = await withLines(db, [await loadRow(db, id)])
  return t
}

export const listTransfers = async (db: D1Database, f: TransferFilter): Promise<TransferT[]> => withLines(db, await selectTransferRows(db, f))

export const URGENCY_RANK: Record<string, number> = DOMAIN_URGENCY_RANK

/** Fill `qty` from lines in the given order (each at most its own qty). */
export function fill<T extends { qty: number }>(lines: T[], qty: number): T[] {
  const out: T[] = []
  let left = qty
  for (const l of lines) {
    if (left <= 0) break
    const take = Math.min(l.qty, left)
    out.push({ ...l, qty: take })
    left -= take
  }
  return out
}
