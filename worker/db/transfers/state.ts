/** Status writes and the commit's checks: the status change, the commit guard, the floor and coverage checks, closing
 *  what nobody approved, and releasing requests transfers no longer cover. */

/** A status change; the transfer_status_guard trigger aborts the batch on an illegal move. */
export const setStatusStmt = (db: D1Database, id: string, status: string, at: string, extra: Record<string, string | number | null> = {}) => {
  const keys = Object.keys(extra)
  const sets = keys.map((k, i) => `, ${k} = ?${i + 4}`).join('')
  return db.prepare(`UPDATE transfer SET status = ?2, updated_at = ?3${sets} WHERE id = ?1`).bind(id, status, at, ...keys.map((k) => extra[k]))
}

/**
 * The once-only commit guard. Inserted first for each transfer: its primary key refuses a second commit, and
 * `at` becomes NULL (NOT NULL fails the whole batch) when the transfer's qty is no longer the one the caller
 * read its lot lines for — a review edit that slipped in between cannot commit stale lines.
 */
export const insertCommitStmt = (db: D1Database, transferId: string, key: string, actorId: string, expectedQty: number, at: string) =>
  db
    .prepare(
      `INSERT INTO transfer_commit (transfer_id, idempotency_key, actor_id, at)
       VALUES (?1, ?2, ?3, CASE WHEN (SELECT qty FROM transfer WHERE id = ?1) = ?4 THEN ?5 ELSE NULL END)`,
    )
    .bind(transferId, key, actorId, expectedQty, at)

export const selectCommitted = (db: D1Database, actorId: string, key: string) =>
  db
    .prepare('SELECT transfer_id AS transferId FROM transfer_commit WHERE actor_id = ?1 AND idempotency_key = ?2 ORDER BY transfer_id')
    .bind(actorId, key)
    .all<{ transferId: string }>()
    .then((r) => r.results.map((x) => x.transferId))

/** Ordinary (no rare antigen profile), unexpired units a site holds of one component and group: what a reserve counts. */
const floorStock = (p: number) =>
  `COALESCE((SELECT SUM(qty) FROM lot WHERE site_id = ?${p} AND component = ?${p + 1} AND abo = ?${p + 2} AND rhd = ?${p + 3}
     AND antigens = '' AND expires_at > ?${p + 4}), 0)`

export const selectFloorStock = (db: D1Database, g: { site: string; component: string; abo: string; rhd: string }, now: string) =>
  db
    .prepare(`SELECT ${floorStock(1)} AS have`)
    .bind(g.site, g.component, g.abo, g.rhd, now)
    .first<number>('have')

/**
 * The floor check of a commit, placed after its ledger lines: the donor's stock of that group as the statement
 * runs must still be ≥ the reserve the plan recorded, or CHECK commit_check_holds fails the whole batch.
 */
export const insertFloorCheckStmt = (
  db: D1Database,
  c: { batchId: string; transferId: string; site: string; component: string; abo: string; rhd: string; floor: number; now: string },
) =>
  db
    .prepare(
      `INSERT INTO commit_check (batch_id, transfer_id, kind, subject, have, floor)
       VALUES (?1, ?2, 'floor', ?3, ${floorStock(4)}, ?9)`,
    )
    .bind(c.batchId, c.transferId, `${c.site}|${c.component}|${c.abo}|${c.rhd}`, c.site, c.component, c.abo, c.rhd, c.now, c.floor)

/** What a request still lacks once its committed and dispatched transfers are counted (≥ 0 unless over-covered). */
export const UNCOVERED = (r: string) => `${r}.qty - ${r}.fulfilled_qty - COALESCE((
  SELECT SUM(tr.qty) FROM transfer_request tr JOIN transfer t ON t.id = tr.transfer_id
  WHERE tr.request_id = ${r}.id AND t.status IN ('committed', 'dispatched')), 0)`

/** The coverage check of a commit, after the status changes: no request is covered beyond what it asked. */
export const insertCoverageCheckStmt = (db: D1Database, c: { batchId: string; transferId: string; requestId: string }) =>
  db
    .prepare(
      `INSERT INTO commit_check (batch_id, transfer_id, kind, subject, have, floor)
       SELECT ?1, ?2, 'coverage', r.id, ${UNCOVERED('r')}, 0 FROM aid_request r WHERE r.id = ?3`,
    )
    .bind(c.batchId, c.transferId, c.requestId)

export const selectUncovered = (db: D1Database, ids: string[]) =>
  db
    .prepare(`SELECT r.id, ${UNCOVERED('r')} AS uncovered FROM aid_request r WHERE r.id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids))
    .all<{ id: string; uncovered: number }>()
    .then((r) => r.results)

/**
 * Closing a committed plan's proposals that nobody approved: audited one row each as transfer.close, then set
 * to rejected with close_reason not_approved_at_commit, so nothing of the plan stays live.
 */
export const closeUnapprovedStmts = (db: D1Database, planId: string, actorId: string, at: string): D1PreparedStatement[] => [
  db
    .prepare(
      `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
     SELECT ?2, 'transfer.close', 'transfer', id, json_object('reason', 'not_approved_at_commit', 'planId', ?1, 'qty', qty), ?3
     FROM transfer WHERE plan_id = ?1 AND status = 'proposed' ORDER BY id`,
    )
    .bind(planId, actorId, at),
  db
    .prepare(
      `UPDATE transfer SET status = 'rejected', close_reason = 'not_approved_at_commit', updated_at = ?3,
       reject_reason = 'Not approved when plan ' || ?1 || ' was committed', reviewed_by = ?2, reviewed_at = ?3
     WHERE plan_id = ?1 AND status = 'proposed'`,
    )
    .bind(planId, actorId, at),
]

/** A plan is closed once none of its transfers is still live. */
export const closePlanIfDoneStmt = (db: D1Database, planId: string) =>
  db
    .prepare(
      `UPDATE plan SET status = 'closed' WHERE id = ?1 AND status IN ('review', 'committed') AND NOT EXISTS
       (SELECT 1 FROM transfer WHERE plan_id = ?1 AND status NOT IN ('received', 'rejected', 'cancelled'))`,
    )
    .bind(planId)

/**
 * After transfers stop covering requests (rejected, cancelled, closed): each request they served that is
 * `planned` but no longer covered by a committed or dispatched transfer goes back to open (or partly_fulfilled
 * when some units already arrived), audited as request.status. Runs after the status changes in the same batch.
 */
export function releaseRequestsStmts(db: D1Database, transferIds: string[], actorId: string, at: string): D1PreparedStatement[] {
  const target = `CASE WHEN r.fulfilled_qty > 0 THEN 'partly_fulfilled' ELSE 'open' END`
  const uncovered = `r.status = 'planned' AND r.id IN (SELECT request_id FROM transfer_request WHERE transfer_id IN (SELECT value FROM json_each(?1)))
    AND NOT EXISTS (SELECT 1 FROM transfer_request tr JOIN transfer t ON t.id = tr.transfer_id
                    WHERE tr.request_id = r.id AND t.status IN ('committed', 'dispatched'))`
  const ids = JSON.stringify(transferIds)
  return [
    db
      .prepare(
        `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
       SELECT ?2, 'request.status', 'aid_request', r.id, json_object('from', r.status, 'to', ${target}, 'transfers', json(?1)), ?3
       FROM aid_request r WHERE ${uncovered}`,
      )
      .bind(ids, actorId, at),
    db.prepare(`UPDATE aid_request AS r SET status = ${target}, updated_at = ?3 WHERE ${uncovered} AND ?2 IS NOT NULL`).bind(ids, actorId, at),
  ]
}
