/** Proposal writes: a planned transfer with its lot and request lines, and the review's quantity edits. */

export type NewTransfer = {
  id: string
  /** null for a transfer outside any plan: a local one, a hospital order's fill, another province's incoming aid */
  planId: string | null
  fromSite: string
  toSite: string
  component: string
  abo: string
  rhd: string
  qty: number
  etaHours: number
  lots: { lotId: string; qty: number }[]
  requests: { requestId: string; qty: number }[]
  /** hours of thawing counted in etaHours when the planner sends frozen units */
  thawHours?: number
  /** where it starts: proposed (a plan's), dispatched (a fill, an incoming aid), received (a local move, written done) */
  status?: 'proposed' | 'dispatched' | 'received'
  /** no plan and no coordinator: between a station and its storage points or hospitals */
  local?: boolean
}

/**
 * The one insert of a transfer with its lot and request lines, whatever state it starts in: the timestamps of the
 * states it has passed (committed, dispatched, received) are the moment it is written, and one received at once
 * arrived whole.
 */
export const insertTransferStmts = (db: D1Database, t: NewTransfer, at: string): D1PreparedStatement[] => [
  db
    .prepare(
      `INSERT INTO transfer (id, plan_id, from_site, to_site, component, abo, rhd, proposed_qty, qty, eta_hours, status,
       proposed_lots, proposed_requests, created_at, updated_at, thaw_hours, local,
       committed_at, dispatched_at, received_at, received_qty, lost_qty)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?14, ?10, ?11, ?12, ?12, ?13, ?15,
       CASE WHEN ?14 <> 'proposed' THEN ?12 END, CASE WHEN ?14 <> 'proposed' THEN ?12 END, CASE WHEN ?14 = 'received' THEN ?12 END,
       CASE WHEN ?14 = 'received' THEN ?8 END, CASE WHEN ?14 = 'received' THEN 0 END)`,
    )
    .bind(
      t.id,
      t.planId,
      t.fromSite,
      t.toSite,
      t.component,
      t.abo,
      t.rhd,
      t.qty,
      t.etaHours,
      JSON.stringify(t.lots),
      JSON.stringify(t.requests),
      at,
      t.thawHours ?? null,
      t.status ?? 'proposed',
      t.local ? 1 : 0,
    ),
  ...t.lots.map((l) => db.prepare('INSERT INTO transfer_lot (transfer_id, lot_id, qty) VALUES (?1, ?2, ?3)').bind(t.id, l.lotId, l.qty)),
  ...t.requests.map((r) => db.prepare('INSERT INTO transfer_request (transfer_id, request_id, qty) VALUES (?1, ?2, ?3)').bind(t.id, r.requestId, r.qty)),
]

/**
 * The guard of an approval that carries the quantity the reviewer saw: it sets qty to NULL (NOT NULL fails the batch)
 * when the stored quantity differs, so what the screen showed is what gets approved, also under a concurrent edit.
 */
export const expectQtyStmt = (db: D1Database, id: string, qty: number) =>
  db.prepare('UPDATE transfer SET qty = CASE WHEN qty = ?2 THEN qty ELSE NULL END WHERE id = ?1').bind(id, qty)

/** Replace a transfer's quantity and its lot and request lines (review only: the qty trigger refuses it after commit). */
export const setQtyStmts = (
  db: D1Database,
  id: string,
  qty: number,
  lots: { lotId: string; qty: number }[],
  requests: { requestId: string; qty: number }[],
  at: string,
) => [
  db.prepare('UPDATE transfer SET qty = ?2, updated_at = ?3 WHERE id = ?1').bind(id, qty, at),
  db.prepare('DELETE FROM transfer_lot WHERE transfer_id = ?1').bind(id),
  db.prepare('DELETE FROM transfer_request WHERE transfer_id = ?1').bind(id),
  ...lots.map((l) => db.prepare('INSERT INTO transfer_lot (transfer_id, lot_id, qty) VALUES (?1, ?2, ?3)').bind(id, l.lotId, l.qty)),
  ...requests.map((r) => db.prepare('INSERT INTO transfer_request (transfer_id, request_id, qty) VALUES (?1, ?2, ?3)').bind(id, r.requestId, r.qty)),
]
