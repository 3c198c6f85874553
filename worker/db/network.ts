// A station's network: its storage points (储血点), hospitals, and local transfers between them. SQL only.
import { insertTransferStmts } from './transfers/proposal'
import type { HospitalT } from '../schemas/network'

export const selectChildren = (db: D1Database, parentId: string) =>
  db
    .prepare("SELECT id, name_zh AS nameZh, name_en AS nameEn, city, lat, lng FROM site WHERE parent_id = ?1 AND kind = 'storage' ORDER BY id")
    .bind(parentId)
    .all<{ id: string; nameZh: string; nameEn: string; city: string; lat: number; lng: number }>()
    .then((r) => r.results)

/** Usable stock (unexpired, on hand) per site × component × group for the given sites. */
export const selectStockOf = (db: D1Database, siteIds: string[], now: string) =>
  db
    .prepare(
      `SELECT site_id AS siteId, component, abo, rhd, SUM(qty) AS units FROM lot
       WHERE site_id IN (SELECT value FROM json_each(?1)) AND qty > 0 AND expires_at > ?2
       GROUP BY site_id, component, abo, rhd ORDER BY component, abo, rhd`,
    )
    .bind(JSON.stringify(siteIds), now)
    .all<{ siteId: string; component: string; abo: string; rhd: string; units: number }>()
    .then((r) => r.results)

const HOSPITAL = 'id, site_id AS siteId, name_zh AS nameZh, name_en AS nameEn, county, created_at AS createdAt'

export const selectHospitals = (db: D1Database, siteId: string) =>
  db
    .prepare(`SELECT ${HOSPITAL} FROM hospital WHERE site_id = ?1 ORDER BY name_zh`)
    .bind(siteId)
    .all<HospitalT>()
    .then((r) => r.results)

export const selectHospital = (db: D1Database, id: string) => db.prepare(`SELECT ${HOSPITAL} FROM hospital WHERE id = ?1`).bind(id).first<HospitalT>()

export const insertHospitalStmt = (db: D1Database, h: HospitalT) =>
  db
    .prepare('INSERT INTO hospital (id, site_id, name_zh, name_en, county, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(h.id, h.siteId, h.nameZh, h.nameEn, h.county, h.createdAt)

/** Units issued per hospital × component over [since, until) at the given sites (hospital NULL: issues naming none). */
export const selectHospitalDemand = (db: D1Database, siteIds: string[], since: string, until: string) =>
  db
    .prepare(
      `SELECT m.hospital_id AS hospitalId, l.component, -SUM(m.delta) AS units FROM movement m JOIN lot l ON l.id = m.lot_id
       WHERE m.kind = 'issue' AND m.site_id IN (SELECT value FROM json_each(?1)) AND m.at >= ?2 AND m.at < ?3
       GROUP BY m.hospital_id, l.component ORDER BY l.component, units DESC`,
    )
    .bind(JSON.stringify(siteIds), since, until)
    .all<{ hospitalId: string | null; component: string; units: number }>()
    .then((r) => r.results)

export type LocalTransferRow = {
  id: string
  fromSite: string
  toSite: string
  component: string
  abo: string
  rhd: string
  qty: number
  etaHours: number
  lotId: string
  newLotId: string
  batchId: string
  at: string
}

/** A local transfer is received at once: status 'received', local = 1, no plan. */
export const insertLocalTransferStmts = (db: D1Database, t: LocalTransferRow) =>
  insertTransferStmts(db, { ...t, planId: null, lots: [{ lotId: t.lotId, qty: t.qty }], requests: [], status: 'received', local: true }, t.at)

export const selectLocalTransferOfBatch = (db: D1Database, batchId: string) =>
  db
    .prepare(
      `SELECT t.id, t.from_site AS fromSite, t.to_site AS toSite, t.component, t.abo, t.rhd, t.qty, t.eta_hours AS etaHours, t.received_at AS at,
       (SELECT lot_id FROM movement WHERE batch_id = ?1 AND kind = 'transfer_out' LIMIT 1) AS lotId,
       (SELECT lot_id FROM movement WHERE batch_id = ?1 AND kind = 'transfer_in' LIMIT 1) AS newLotId
     FROM transfer t WHERE t.id = (SELECT transfer_id FROM movement WHERE batch_id = ?1 AND transfer_id IS NOT NULL LIMIT 1)`,
    )
    .bind(batchId)
    .first<Omit<LocalTransferRow, 'batchId'>>()
