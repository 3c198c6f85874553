/** SQL for the link's tables (migrations 0060, 0061): the outbox as the courier drains it, the inbox, each peer's state. */

export type OutboxRow = { id: string; toProvince: string; kind: string; body: string; createdAt: string; attempts: number }

export const selectPending = (db: D1Database, peer: string, limit: number) =>
  db
    .prepare(
      `SELECT id, to_province AS toProvince, kind, body, created_at AS createdAt, attempts FROM link_outbox
       WHERE to_province = ?1 AND delivered_at IS NULL ORDER BY created_at, rowid LIMIT ?2`,
    )
    .bind(peer, limit)
    .all<OutboxRow>()
    .then((r) => r.results)

export const markDelivered = (db: D1Database, id: string, outcome: 'applied' | 'replay' | 'rejected', error: string | null, at: string) =>
  db
    .prepare(
      `UPDATE link_outbox SET delivered_at = ?2, outcome = ?3, last_error = ?4, attempts = attempts + 1, last_attempt_at = ?2
       WHERE id = ?1 AND delivered_at IS NULL`,
    )
    .bind(id, at, outcome, error)

export const markFailed = (db: D1Database, id: string, error: string, at: string) =>
  db.prepare('UPDATE link_outbox SET attempts = attempts + 1, last_attempt_at = ?2, last_error = ?3 WHERE id = ?1').bind(id, at, error)

/** The peer answered: clear "unreachable since". */
export const peerOk = (db: D1Database, peer: string, at: string) =>
  db
    .prepare(
      `INSERT INTO link_peer (province, last_ok_at, unreachable_since, last_error) VALUES (?1, ?2, NULL, NULL)
       ON CONFLICT (province) DO UPDATE SET last_ok_at = ?2, unreachable_since = NULL, last_error = NULL`,
    )
    .bind(peer, at)

/** The peer did not answer: "unreachable since" keeps the first failure after the last success. */
export const peerFailed = (db: D1Database, peer: string, error: string, at: string) =>
  db
    .prepare(
      `INSERT INTO link_peer (province, last_ok_at, unreachable_since, last_error) VALUES (?1, NULL, ?2, ?3)
       ON CONFLICT (province) DO UPDATE SET unreachable_since = COALESCE(unreachable_since, ?2), last_error = ?3`,
    )
    .bind(peer, at, error)

export type PeerRow = { province: string; lastOkAt: string | null; unreachableSince: string | null; lastError: string | null }
export const selectPeer = (db: D1Database, peer: string) =>
  db
    .prepare('SELECT province, last_ok_at AS lastOkAt, unreachable_since AS unreachableSince, last_error AS lastError FROM link_peer WHERE province = ?1')
    .bind(peer)
    .first<PeerRow>()

export type LinkMessageRow = {
  direction: 'out' | 'in'
  id: string
  province: string
  kind: string
  body: string
  at: string
  status: 'pending' | 'applied' | 'replay' | 'rejected'
  error: string | null
  attempts: number | null
  deliveredAt: string | null
}

/** Both directions, rejected first, then pending, then newest. */
export const selectLinkMessages = (db: D1Database, limit: number) =>
  db
    .prepare(
      `SELECT * FROM (
         SELECT 'out' AS direction, id, to_province AS province, kind, body, created_at AS at, COALESCE(outcome, 'pending') AS status,
                last_error AS error, attempts, delivered_at AS deliveredAt FROM link_outbox
         UNION ALL
         SELECT 'in', id, from_province, kind, body, received_at, status, error, NULL, received_at FROM link_inbox)
       ORDER BY CASE status WHEN 'rejected' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, at DESC LIMIT ?1`,
    )
    .bind(limit)
    .all<LinkMessageRow>()
    .then((r) => r.results)
