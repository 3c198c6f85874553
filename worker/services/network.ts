// A station's network (the Weinan model): storage points (储血点) in county hospitals that share the station's
// stock and demand, the hospitals it supplies, and local transfers between the station and its storage points.
import { insertLotStmt, selectLotsByIds } from '../db/lots'
import { insertBatchStmt, insertMovementStmt } from '../db/movements'
import {
  insertHospitalStmt,
  insertLocalTransferStmts,
  selectChildren,
  selectHospitalDemand,
  selectHospitals,
  selectLocalTransferOfBatch,
  selectStockOf,
} from '../db/network'
import { selectRoadTime } from '../db/road-times'
import { selectSite } from '../db/sites'
import { ISSUE_WINDOW_DAYS } from '../db/usage'
import { ApiError, badRequest, conflict } from '../errors'
import { newId } from '../lib/crypto'
import { nowIso } from '../lib/time'
import type { HospitalT } from '../schemas/network'
import { auditStmt } from './audit'
import { canWriteSite, requireSiteWriter, type Actor } from './auth'
import { batchLookup, isUniqueKeyViolation, requestHash, withIdempotency } from './idempotency'
import { refreshAfterWrite } from './movements'
import { roadHours } from '../../solver/timing'
import { travelHoursOf } from './road-times'
import { getSite } from './sites'
import { prefectureSupply } from './prefecture-supply'
import { isCheck, isUnique } from '../db/constraints'

const DAY = 86_400_000

/** The station a site belongs to: itself, or a storage point's or hospital's parent. */
async function stationOf(db: D1Database, siteId: string) {
  const site = await getSite(db, siteId)
  return (site.kind === 'storage' || site.kind === 'hospital') && site.parentId ? site.parentId : site.id
}

/** The station, its storage points, its hospitals, and stock totals: the station's own, its storage points', together. */
export async function getNetwork(db: D1Database, siteId: string, now = nowIso()) {
  const stationId = await stationOf(db, siteId)
  const [storagePoints, hospitals] = await Promise.all([selectChildren(db, stationId), selectHospitals(db, stationId)])
  const stock = await selectStockOf(db, [stationId, ...storagePoints.map((s) => s.id)], now)
  const totals = new Map<string, { component: string; abo: string; rhd: string; station: number; storagePoints: number; total: number }>()
  for (const r of stock) {
    const k = `${r.component}|${r.abo}|${r.rhd}`
    const t = totals.get(k) ?? { component: r.component, abo: r.abo, rhd: r.rhd, station: 0, storagePoints: 0, total: 0 }
    if (r.siteId === stationId) t.station += r.units
    else t.storagePoints += r.units
    t.total += r.units
    totals.set(k, t)
  }
  return { stationId, storagePoints, hospitals, totals: [...totals.values()], supply: await prefectureSupply(db, stationId, now) }
}

/** Demand history by hospital over the 14-day window, at the station and its storage points. */
export async function hospitalDemand(db: D1Database, siteId: string, now = nowIso()) {
  const stationId = await stationOf(db, siteId)
  const sites = [stationId, ...(await selectChildren(db, stationId)).map((s) => s.id)]
  const [rows, hospitals] = await Promise.all([
    selectHospitalDemand(db, sites, new Date(Date.parse(now) - ISSUE_WINDOW_DAYS * DAY).toISOString(), now),
    selectHospitals(db, stationId),
  ])
  const names = new Map(hospitals.map((h) => [h.id, h.nameZh]))
  const byComponent = new Map<string, number>()
  for (const r of rows) byComponent.set(r.component, (byComponent.get(r.component) ?? 0) + r.units)
  return {
    stationId,
    days: ISSUE_WINDOW_DAYS,
    demand: rows.map((r) => ({
      hospitalId: r.hospitalId,
      hospitalName: r.hospitalId ? (names.get(r.hospitalId) ?? null) : null,
      component: r.component,
      units: r.units,
      avgDailyIssue: Math.round((r.units / ISSUE_WINDOW_DAYS) * 100) / 100,
      share: Math.round((r.units / byComponent.get(r.component)!) * 1000) / 1000,
    })),
  }
}

/** A station's register of hospitals. */
export async function listHospitals(db: D1Database, siteId: string) {
  const stationId = await stationOf(db, siteId)
  return { stationId, hospitals: await selectHospitals(db, stationId) }
}

/** Adds a hospital to a station's register: its director, a coordinator or an admin; audited; 409 for a name it has. */
export async function addHospital(db: D1Database, actor: Actor, siteId: string, h: { nameZh: string; nameEn: string; county: string }): Promise<HospitalT> {
  const site = await getSite(db, siteId)
  if (site.kind === 'storage') throw badRequest('id', `${siteId} is a storage point: register hospitals at its station ${site.parentId}`)
  requireSiteWriter(actor, siteId)
  // a hospital is also a site of the same id (migration 0057), so its id is a site id: capitals and digits
  const id = `H${crypto.randomUUID().replaceAll('-', '').slice(0, 9).toUpperCase()}`
  const row: HospitalT = { id, siteId, nameZh: h.nameZh, nameEn: h.nameEn, county: h.county, createdAt: nowIso() }
  try {
    await db.batch([insertHospitalStmt(db, row), auditStmt(db, actor, 'hospital.create', 'hospital', row.id, row, row.createdAt)])
  } catch (e) {
    if (isUnique(e, 'hospital')) throw conflict('hospital_exists', `${siteId} already has a hospital named ${h.nameZh}`, 'nameZh')
    throw e
  }
  return row
}

type LocalIn = { fromSite: string; toSite: string; lotId: string; qty: number; note: string }

/**
 * Moves units between a station and one of its storage points: an ordinary transfer that needs no plan and no
 * coordinator (the director of either end may do it), received at once. ONE db.batch(): movement_batch (the
 * once-only guard on the Idempotency-Key), the transfer (status received, local), transfer_out from the lot
 * (CHECK qty >= 0 fails the batch if the lot no longer holds them), the new lot at the destination with its
 * transfer_in, and the audit row. A retry with the same key answers the transfer it made.
 */
export async function localTransfer(db: D1Database, actor: Actor, input: LocalIn, key: string) {
  const [from, to] = await Promise.all([selectSite(db, input.fromSite), selectSite(db, input.toSite)])
  if (!from) throw badRequest('fromSite', `No site ${input.fromSite}`)
  if (!to) throw badRequest('toSite', `No site ${input.toSite}`)
  if (from.id === to.id) throw badRequest('toSite', 'fromSite and toSite must differ')
  if (!(from.parentId === to.id || to.parentId === from.id))
    throw badRequest(
      'toSite',
      `${from.id} and ${to.id} are not a station and one of its storage points or hospitals: plan an inter-city transfer instead`,
      'not_local',
    )
  // a hospital receives from its station through an order (the station's issue), and only the hospital returns units
  if (to.kind === 'hospital')
    throw badRequest('toSite', `${to.id} is a hospital: it receives from its station through an order (POST /api/orders)`, 'use_order')
  if (from.kind === 'hospital') requireSiteWriter(actor, from.id)
  else if (!(canWriteSite(actor, from.id) || canWriteSite(actor, to.id))) requireSiteWriter(actor, from.id)

  const hash = await requestHash({ localTransfer: input })
  const lookup = batchLookup(db, actor.id, async (b) => (await selectLocalTransferOfBatch(db, b.id))!)
  const { result, replayed } = await withIdempotency(key, hash, lookup, () => moveLocally(db, actor, input, key, hash, from, to), isUniqueKeyViolation)
  return { transfer: result, replayed }
}

/** A hospital returns units to the station that supplies it: a local transfer hospital → station, received at once. */
export async function returnToStation(db: D1Database, actor: Actor, hospitalId: string, input: { lotId: string; qty: number; note: string }, key: string) {
  const site = await getSite(db, hospitalId)
  if (site.kind !== 'hospital' || !site.parentId) throw badRequest('id', `${hospitalId} is not a hospital`)
  return localTransfer(
    db,
    actor,
    { fromSite: hospitalId, toSite: site.parentId, lotId: input.lotId, qty: input.qty, note: input.note || `returned to ${site.parentId}` },
    key,
  )
}

async function moveLocally(
  db: D1Database,
  actor: Actor,
  input: LocalIn,
  key: string,
  hash: string,
  from: { id: string; lat: number; lng: number },
  to: { id: string; lat: number; lng: number },
) {
  const [lot] = await selectLotsByIds(db, [input.lotId])
  if (!lot) throw new ApiError(404, 'not_found', `No lot ${input.lotId}`, 'lotId')
  if (lot.siteId !== from.id) throw badRequest('lotId', `Lot ${lot.id} is held by ${lot.siteId}, not ${from.id}`, 'wrong_site')
  const at = nowIso()
  if (lot.expiresAt <= at) throw conflict('lot_expired', `Lot ${lot.id} expired at ${lot.expiresAt}`, 'lotId')
  if (lot.qty < input.qty) throw conflict('insufficient_stock', `Lot ${lot.id} holds ${lot.qty}; cannot move ${input.qty}`, 'lotId')

  const road = await selectRoadTime(db, from.id, to.id)
  const batchId = newId('mb')
  const t = {
    id: newId('tr'),
    fromSite: from.id,
    toSite: to.id,
    component: lot.component,
    abo: lot.abo,
    rhd: lot.rhd,
    qty: input.qty,
    etaHours: roadHours([from, to], travelHoursOf(road ? [road] : []))(from.id, to.id),
    lotId: lot.id,
    newLotId: newId('lot'),
    batchId,
    at,
  }
  const base = { batchId, actorId: actor.id, at, transferId: t.id, reason: input.note || `local transfer ${from.id}→${to.id}` }
  try {
    await db.batch([
      insertBatchStmt(db, { id: batchId, actorId: actor.id, idempotencyKey: key, requestHash: hash, source: 'transfer', at }),
      ...insertLocalTransferStmts(db, t),
      insertMovementStmt(db, { ...base, lotId: lot.id, siteId: from.id, kind: 'transfer_out', delta: -input.qty }),
      insertLotStmt(db, {
        id: t.newLotId,
        siteId: to.id,
        component: lot.component,
        abo: lot.abo,
        rhd: lot.rhd,
        antigens: lot.antigens,
        collectedAt: lot.collectedAt,
        expiresAt: lot.expiresAt,
        createdAt: at,
        frozen: lot.frozen === 1,
        thawedAt: lot.thawedAt,
      }),
      insertMovementStmt(db, { ...base, lotId: t.newLotId, siteId: to.id, kind: 'transfer_in', delta: input.qty }),
      auditStmt(db, actor, 'transfer.local', 'transfer', t.id, { ...input, newLotId: t.newLotId, idempotencyKey: key }, at),
    ])
  } catch (e) {
    if (isCheck(e)) throw conflict('insufficient_stock', `Lot ${lot.id} changed while moving; it holds fewer than ${input.qty}`, 'lotId')
    throw e
  }
  await Promise.all([refreshAfterWrite(db, from.id), refreshAfterWrite(db, to.id)])
  const { batchId: _b, ...out } = t
  return out
}
