/** SQL for the donor side of the link: deferrals received from another province, and call-up requests across it (migration 0063). */

export type ReceivedDeferral = {
  id: string
  donorCode: string
  reason: string
  from: string
  until: string | null
  note: string
  fromProvince: string
  sourceId: string
  sourceSite: string
  sourceSiteNameZh: string
  sourceSiteNameEn: string
}

/** A deferral recorded in another province, on this province's joint list: it blocks a call-up here as a local one does (the callup triggers read donor_deferral). */
export const insertReceivedDeferralStmt = (db: D1Database, d: ReceivedDeferral, at: string) =>
  db
    .prepare(`INSERT INTO donor_deferral (id, donor_code, site_id, reason, from_at, until_at, note, created_by, created_at,
        from_province, source_id, source_site, source_site_name_zh, source_site_name_en)
      VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10, ?11, ?12)`)
    .bind(d.id, d.donorCode, d.reason, d.from, d.until, d.note, at, d.fromProvince, d.sourceId, d.sourceSite, d.sourceSiteNameZh, d.sourceSiteNameEn)

/**
 * A message to another province written only if the deferral it announces was written in the same batch: a CSV
 * import skips rows already on the list (ON CONFLICT DO NOTHING), and a skipped row announces nothing.
 */
export const outboxIfDeferralStmt = (db: D1Database, m: { id: string; to: string; kind: string; body: unknown; at: string }, deferralId: string) =>
  db
    .prepare(`INSERT INTO link_outbox (id, to_province, kind, body, created_at)
      SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM donor_deferral WHERE id = ?6)`)
    .bind(m.id, m.to, m.kind, JSON.stringify(m.body), m.at, deferralId)

// ---- call-up requests across the link

export type CallupLinkRow = {
  id: string
  direction: 'out' | 'in'
  peerProvince: string
  requestId: string
  requestSite: string
  requestSiteZh: string
  requestSiteEn: string
  component: string
  abo: string
  rhd: string
  antigens: string
  urgency: string
  neededBy: string | null
  donorCodes: string // JSON array
  note: string
  askedBy: string
  status: 'pending' | 'issued' | 'declined'
  localRequest: string | null
  callups: string | null // JSON [{donorCode, callupId}]
  decidedBy: string | null
  decidedAt: string | null
  decisionNote: string
  createdAt: string
  updatedAt: string
}
const COLUMNS = `id, direction, peer_province AS peerProvince, request_id AS requestId, request_site AS requestSite, request_site_zh AS requestSiteZh,
  request_site_en AS requestSiteEn, component, abo, rhd, antigens, urgency, needed_by AS neededBy, donor_codes AS donorCodes, note, asked_by AS askedBy,
  status, local_request AS localRequest, callups, decided_by AS decidedBy, decided_at AS decidedAt, decision_note AS decisionNote,
  created_at AS createdAt, updated_at AS updatedAt`

export type NewCallupLink = Omit<CallupLinkRow, 'status' | 'localRequest' | 'callups' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'updatedAt'>

export const insertCallupLinkStmt = (db: D1Database, r: NewCallupLink) =>
  db
    .prepare(`INSERT INTO callup_link (id, direction, peer_province, request_id, request_site, request_site_zh, request_site_en, component, abo, rhd,
        antigens, urgency, needed_by, donor_codes, note, asked_by, created_at, updated_at)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)`)
    .bind(
      r.id,
      r.direction,
      r.peerProvince,
      r.requestId,
      r.requestSite,
      r.requestSiteZh,
      r.requestSiteEn,
      r.component,
      r.abo,
      r.rhd,
      r.antigens,
      r.urgency,
      r.neededBy,
      r.donorCodes,
      r.note,
      r.askedBy,
      r.createdAt,
    )

/** The decision; the callup_link_decided_once trigger fails the batch if it was already decided. */
export const decideCallupLinkStmt = (
  db: D1Database,
  id: string,
  direction: 'out' | 'in',
  d: { status: 'issued' | 'declined'; localRequest: string | null; callups: string | null; decidedBy: string; decidedAt: string; note: string },
  at: string,
) =>
  db
    .prepare(`UPDATE callup_link SET status = ?3, local_request = ?4, callups = ?5, decided_by = ?6, decided_at = ?7, decision_note = ?8, updated_at = ?9
      WHERE id = ?1 AND direction = ?2`)
    .bind(id, direction, d.status, d.localRequest, d.callups, d.decidedBy, d.decidedAt, d.note, at)

/**
 * The outcome received from the donors' province, on the asking side's 'out' row. Only a pending row takes it: the
 * donors' province decides once (its own trigger), so a second outcome cannot exist, and a failing statement here
 * would fail the inbox's batch on every retry.
 */
export const receiveOutcomeStmt = (
  db: D1Database,
  id: string,
  d: { status: 'issued' | 'declined'; callups: string | null; decidedBy: string; decidedAt: string; note: string },
  at: string,
) =>
  db
    .prepare(`UPDATE callup_link SET status = ?2, callups = ?3, decided_by = ?4, decided_at = ?5, decision_note = ?6, updated_at = ?7
      WHERE id = ?1 AND direction = 'out' AND status = 'pending'`)
    .bind(id, d.status, d.callups, d.decidedBy, d.decidedAt, d.note, at)

/** One call-up's status in the asking side's copy of the call-ups ([{donorCode, callupId, status?}]). */
export const receiveProgressStmt = (db: D1Database, id: string, callupId: string, status: string, at: string) =>
  db
    .prepare(`UPDATE callup_link SET updated_at = ?4, callups = (SELECT json_group_array(CASE WHEN json_extract(c.value, '$.callupId') = ?2
        THEN json_set(c.value, '$.status', ?3) ELSE json(c.value) END) FROM json_each(callup_link.callups) c)
      WHERE id = ?1 AND direction = 'out' AND callups IS NOT NULL`)
    .bind(id, callupId, status, at)

/** The request of another province that a local aid request was recorded for (call-ups issued across the link). */
export const selectInboundFor = (db: D1Database, localRequest: string) =>
  db
    .prepare(`SELECT id, peer_province AS peerProvince FROM callup_link WHERE direction = 'in' AND local_request = ?1`)
    .bind(localRequest)
    .first<{ id: string; peerProvince: string }>()

export const selectCallupLinks = (db: D1Database, f: { direction?: string | null; status?: string | null; requestId?: string | null }) =>
  db
    .prepare(`SELECT ${COLUMNS} FROM callup_link WHERE (?1 IS NULL OR direction = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR request_id = ?3)
      ORDER BY CASE status WHEN 'pending' THEN 0 ELSE 1 END, created_at DESC, id LIMIT 200`)
    .bind(f.direction ?? null, f.status ?? null, f.requestId ?? null)
    .all<CallupLinkRow>()
    .then((r) => r.results)

/** One request; without a direction the asking side's ('out') first — both exist in one database only in tests. */
export const selectCallupLink = (db: D1Database, id: string, direction: 'out' | 'in' | null = null) =>
  db
    .prepare(`SELECT ${COLUMNS} FROM callup_link WHERE id = ?1 AND (?2 IS NULL OR direction = ?2) ORDER BY direction DESC LIMIT 1`)
    .bind(id, direction)
    .first<CallupLinkRow>()
