/** Transport writes: the thaw step, the dispatch and receipt records, and the component's transport range they check. */

/** The thaw step of a transfer of frozen units (trigger transfer_thaw_once: committed, frozen, once). */
export const setThawedStmt = (db: D1Database, id: string, actorId: string, at: string) =>
  db.prepare('UPDATE transfer SET thawed_at = ?2, thawed_by = ?3, updated_at = ?2 WHERE id = ?1').bind(id, at, actorId)

export const selectTransportRange = (db: D1Database, component: string) =>
  db
    .prepare('SELECT transport_min_c AS min, transport_max_c AS max FROM component WHERE code = ?1')
    .bind(component)
    .first<{ min: number | null; max: number | null }>()

export const insertDispatchRecordStmt = (
  db: D1Database,
  r: {
    transferId: string
    temperatureC: number
    packedAt?: string
    sealedAt?: string
    carrier?: string
    note?: string
    inRange: boolean
    actorId: string
    at: string
  },
) =>
  db
    .prepare(
      `INSERT INTO transport_record (transfer_id, kind, temperature_c, packed_at, sealed_at, carrier, in_range, note, actor_id, at)
       VALUES (?1, 'dispatch', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
    )
    .bind(r.transferId, r.temperatureC, r.packedAt ?? null, r.sealedAt ?? null, r.carrier ?? null, r.inRange ? 1 : 0, r.note ?? null, r.actorId, r.at)

export const insertReceiptRecordStmt = (
  db: D1Database,
  r: {
    transferId: string
    temperatureC: number
    arrivedAt?: string
    sealIntact?: boolean
    acceptedQty: number
    rejectedQty: number
    rejectReason: string | null
    inRange: boolean
    note?: string
    actorId: string
    at: string
  },
) =>
  db
    .prepare(
      `INSERT INTO transport_record (transfer_id, kind, temperature_c, arrived_at, seal_intact, accepted_qty, rejected_qty, reject_reason, in_range, note, actor_id, at)
       VALUES (?1, 'receipt', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
    )
    .bind(
      r.transferId,
      r.temperatureC,
      r.arrivedAt ?? null,
      r.sealIntact === undefined ? null : r.sealIntact ? 1 : 0,
      r.acceptedQty,
      r.rejectedQty,
      r.rejectReason,
      r.inRange ? 1 : 0,
      r.note ?? null,
      r.actorId,
      r.at,
    )
