import { urgencyRank } from './requests'
import type { EventT } from '../schemas/event'

/** The events feed is the audit log of requests, transfers, plans, incidents, donor call-ups and hospital orders, read by cursor (audit_log.id). */

type Row = Omit<EventT, 'sites' | 'notice'> & { sites: string; notice: string | null }

export const selectEvents = (db: D1Database, o: { since: number; limit: number; site: string | null }) =>
  db
    .prepare(
      `SELECT a.id, a.at, a.actor_id AS actorId, a.action, a.entity, a.entity_id AS entityId,
         CASE a.entity WHEN 'aid_request' THEN json_array(r.site_id)
                       WHEN 'transfer' THEN json_array(t.from_site, t.to_site)
                       WHEN 'callup' THEN json_array(c.site_id, cr.site_id)
                       WHEN 'hospital_order' THEN json_array(o.hospital_id, o.station_id) ELSE json_array() END AS sites,
         CASE a.entity WHEN 'aid_request' THEN r.urgency
                       WHEN 'transfer' THEN (SELECT rr.urgency FROM transfer_request tr JOIN aid_request rr ON rr.id = tr.request_id
                                             WHERE tr.transfer_id = t.id
                                             ORDER BY ${urgencyRank('rr.urgency')} LIMIT 1)
                       WHEN 'callup' THEN cr.urgency
                       WHEN 'hospital_order' THEN o.kind
                       WHEN 'callup_link' THEN (SELECT l.urgency FROM callup_link l WHERE l.id = a.entity_id LIMIT 1) END AS urgency,
         CASE a.entity WHEN 'notice' THEN a.detail END AS notice
       FROM audit_log a
       LEFT JOIN aid_request r ON a.entity = 'aid_request' AND r.id = a.entity_id
       LEFT JOIN transfer t ON a.entity = 'transfer' AND t.id = a.entity_id
       LEFT JOIN callup c ON a.entity = 'callup' AND c.id = a.entity_id
       LEFT JOIN aid_request cr ON cr.id = c.request_id
       LEFT JOIN hospital_order o ON a.entity = 'hospital_order' AND o.id = a.entity_id
       WHERE a.id > ?1 AND a.entity IN ('aid_request', 'transfer', 'plan', 'incident', 'callup', 'notice', 'callup_link', 'hospital_order')
         AND (?2 IS NULL OR r.site_id = ?2 OR t.from_site = ?2 OR t.to_site = ?2 OR c.site_id = ?2 OR cr.site_id = ?2
              OR o.hospital_id = ?2 OR o.station_id = ?2)
       ORDER BY a.id LIMIT ?3`,
    )
    .bind(o.since, o.site, o.limit)
    .all<Row>()
    .then((r) =>
      r.results.map(
        ({ notice, ...e }): EventT => ({ ...e, sites: JSON.parse(e.sites) as string[], ...(notice ? { notice: JSON.parse(notice) as EventT['notice'] } : {}) }),
      ),
    )

export const selectLastEventId = (db: D1Database) =>
  db
    .prepare('SELECT COALESCE(MAX(id), 0) AS id FROM audit_log')
    .first<number>('id')
    .then((n) => n ?? 0)
