import {
  insertExternalSiteStmt,
  insertIncidentStmt,
  insertPointStmt,
  replaceEstimateStmts,
  selectEstimate,
  selectFactors,
  selectGroupShares,
  selectIncident,
  selectIncidentByKey,
  selectMlPerUnit,
  selectPoints,
  selectSiteBriefs,
  selectTriage,
  updateIncidentStmt,
  type PointRow,
  type SiteBrief,
} from '../../db/incidents'
import { badRequest, conflict, notFound } from '../../errors'
import { newId } from '../../lib/crypto'
import { nowIso } from '../../lib/time'
import type { EstimateLineT, IncidentCreateT, IncidentPatchT, IncidentT } from '../../schemas/incident'
import { auditStmt } from '../audit'
import { requireRole, type Actor } from '../auth'
import {
  CATEGORIES,
  estimateDemand,
  mergeLines,
  pickOutOfRange,
  splitByGroup,
  type Counts,
  type Demand,
  type EstimateLine,
  type IncidentKind,
  type Picks,
} from '../../../solver/incident-demand'
import { estimatedRoadHours as roadHours } from '../../../solver/timing'
import { getIncident } from './read'
import { claimKeyStmt, claimLookup, isClaimViolation, keyReused, requestHash, withIdempotency } from '../idempotency'
import { isRaised, isUnique } from '../../db/constraints'

/** Receiving points by default: the nearest region stations (centres and stations, not storage points) by road. */
export const DEFAULT_POINTS = 2
/** A quota to an external destination is due by the end of the incident's expected duration, by default 72 h. */
export const DEFAULT_QUOTA_HOURS = 72

const canReceive = (s: SiteBrief) => !s.external && (s.kind === 'center' || s.kind === 'station')
const isClosed = (e: unknown) => isRaised(e, 'incident_closed')

/** How far around the region's stations (in degrees) a place still counts as in Sichuan–Chongqing without asking. */
export const REGION_MARGIN_DEG = 3

/** The estimate from what is known, by the kind's factors (solver/incident-demand.ts), as a range; null when nothing is known. */
export async function casualtyDemand(
  db: D1Database,
  kind: IncidentKind,
  c: Counts,
  occurredAt: string,
  siteId: string,
  picks: Picks = {},
): Promise<Demand | null> {
  const [factors, triage, shares] = await Promise.all([selectFactors(db), selectTriage(db), selectGroupShares(db)])
  return estimateDemand(kind, c, factors, triage, shares, occurredAt, siteId, picks)
}

/** A place far outside the region is questioned: 400 naming lat (or lng) unless the coordinator confirmed it. */
function checkInRegion(sites: SiteBrief[], lat: number, lng: number, confirmed: boolean | undefined) {
  const region = sites.filter((s) => !s.external)
  if (confirmed || region.length === 0) return
  const lats = region.map((s) => s.lat)
  const lngs = region.map((s) => s.lng)
  const m = REGION_MARGIN_DEG
  const latOut = lat < Math.min(...lats) - m || lat > Math.max(...lats) + m
  const lngOut = lng < Math.min(...lngs) - m || lng > Math.max(...lngs) + m
  if (latOut || lngOut) {
    throw badRequest(
      latOut ? 'lat' : 'lng',
      `${lat}, ${lng} is far outside Sichuan–Chongqing (more than ${m}° from every station); check the coordinates, or send "confirmOutsideRegion": true`,
      'outside_region',
    )
  }
}

/**
 * Declares an incident (coordinator or admin) in ONE batch: any external destination sites, the incident, its
 * receiving points, its estimate (from casualties × the stored planning factors, plus needs given directly, plus each
 * quota split by the region's group shares as urgent needs at the destination), and an audit row. An
 * Idempotency-Key makes a retry answer the incident the first call declared.
 */
export async function declareIncident(db: D1Database, actor: Actor, input: IncidentCreateT, key?: string): Promise<{ incident: IncidentT; created: boolean }> {
  requireRole(actor, 'coordinator', 'admin')
  // The whole request is the fingerprint (it was the name alone: new casualties under a reused key were dropped silently).
  const hash = await requestHash({ incident: input })
  const claimed = claimLookup(db, actor.id, (id) => getIncident(db, actor, id))
  const lookup = async (k: string) =>
    (await claimed(k)) ??
    ((await selectIncidentByKey(db, actor.id, k))
      ? {
          hash: 'declared before requests were fingerprinted',
          answer: async () => {
            throw keyReused()
          },
        }
      : null)
  const { result, replayed } = await withIdempotency(
    key,
    hash,
    lookup,
    () => declare(db, actor, input, key, hash),
    (e) => isClaimViolation(e) || isUnique(e, 'incident'),
  )
  return { incident: result, created: !replayed }
}

async function declare(db: D1Database, actor: Actor, input: IncidentCreateT, key: string | undefined, hash: string): Promise<IncidentT> {
  const sites = await selectSiteBriefs(db)
  const byId = new Map(sites.map((s) => [s.id, s]))
  const at = nowIso()
  const occurredAt = input.at ? new Date(input.at).toISOString() : at
  const place = input.siteId ? byId.get(input.siteId) : undefined
  if (input.siteId && !place) throw badRequest('siteId', `No site ${input.siteId}`)
  const lat = input.lat ?? place!.lat
  const lng = input.lng ?? place!.lng
  checkInRegion(sites, lat, lng, input.confirmOutsideRegion)

  let points: PointRow[]
  if (input.receivingSites) {
    points = input.receivingSites.map((id, i) => {
      const s = byId.get(id)
      if (!s || s.external) throw badRequest(`receivingSites.${i}`, `No region site ${id}`)
      return { siteId: id, rank: i, roadHours: roadHours({ lat, lng }, s), quotaComponent: null, quotaUnits: null, quotaMl: null, quotaAntigens: '' }
    })
  } else {
    points = sites
      .filter(canReceive)
      .map((s) => ({ s, h: roadHours({ lat, lng }, s) }))
      .sort((a, b) => a.h - b.h || a.s.id.localeCompare(b.s.id))
      .slice(0, DEFAULT_POINTS)
      .map(({ s, h }, i) => ({ siteId: s.id, rank: i, roadHours: h, quotaComponent: null, quotaUnits: null, quotaMl: null, quotaAntigens: '' }))
  }
  if (points.length === 0) throw badRequest('receivingSites', 'No station can take delivery')
  const first = points[0].siteId

  const lines: EstimateLine[] = []
  const casualties = input.casualties ?? { critical: 0, severe: 0, moderate: 0 }
  const known = { casualties, injured: input.injured ?? null, hospitalised: input.hospitalised ?? null }
  const demand = await casualtyDemand(db, input.kind, known, occurredAt, first)
  if (demand) lines.push(...demand.lines)
  if (input.needs?.length) {
    const triage = await selectTriage(db)
    input.needs.forEach((n, i) => {
      if (n.siteId && (!byId.get(n.siteId) || byId.get(n.siteId)!.external)) throw badRequest(`needs.${i}.siteId`, `No region site ${n.siteId}`)
      const hours = triage.find((t) => t.urgency === n.urgency)?.deadlineHours ?? 24
      const neededBy = n.neededBy ? new Date(n.neededBy).toISOString() : new Date(Date.parse(occurredAt) + hours * 3_600_000).toISOString()
      lines.push({ siteId: n.siteId ?? first, component: n.component, abo: n.abo, rhd: n.rhd, urgency: n.urgency, qty: n.qty, neededBy, category: 'direct' })
    })
  }
  const externals: { id: string; nameZh: string; nameEn: string; province: string; lat: number; lng: number; at: string }[] = []
  if (input.destinations?.length) {
    const shares = await selectGroupShares(db)
    const due = new Date(Date.parse(occurredAt) + (input.durationHours ?? DEFAULT_QUOTA_HOURS) * 3_600_000).toISOString()
    for (const [i, d] of input.destinations.entries()) {
      const id = `X${crypto.randomUUID().replaceAll('-', '').slice(0, 9).toUpperCase()}`
      const mlPer = (await selectMlPerUnit(db, d.component)) ?? 200
      const units = d.units ?? Math.ceil(d.ml! / mlPer)
      externals.push({ id, nameZh: d.nameZh ?? d.name, nameEn: d.name, province: d.province, lat: d.lat, lng: d.lng, at })
      points.push({
        siteId: id,
        rank: 100 + i,
        roadHours: roadHours({ lat, lng }, d),
        quotaComponent: d.component,
        quotaUnits: units,
        quotaMl: d.ml ?? null,
        quotaAntigens: (d.antigens ?? []).join(','),
      })
      // a quota is never an emergency: every station's floor holds against it (disaster mode lowers floors for emergencies only)
      for (const g of splitByGroup(units, shares))
        lines.push({ siteId: id, component: d.component, abo: g.abo, rhd: g.rhd, urgency: 'urgent', qty: g.qty, neededBy: due, category: 'quota' })
    }
  }

  const id = newId('inc')
  const estimate = mergeLines(lines)
  await db.batch([
    ...(key ? [claimKeyStmt(db, { actorId: actor.id, key, action: 'incident.declare', hash, entityId: id, at })] : []),
    ...externals.map((s) => insertExternalSiteStmt(db, s)),
    insertIncidentStmt(db, {
      id,
      name: input.name,
      lat,
      lng,
      siteId: input.siteId ?? null,
      occurredAt,
      durationHours: input.durationHours ?? null,
      ...casualties,
      estimateSource: demand ? 'casualties' : 'needs',
      createdBy: actor.id,
      key: key ?? null,
      at,
      kind: input.kind,
      injured: known.injured,
      hospitalised: known.hospitalised,
    }),
    ...points.map((p) => insertPointStmt(db, id, p)),
    ...replaceEstimateStmts(db, id, estimate),
    auditStmt(
      db,
      actor,
      'incident.declare',
      'incident',
      id,
      {
        name: input.name,
        kind: input.kind,
        lat,
        lng,
        occurredAt,
        casualties,
        injured: known.injured,
        hospitalised: known.hospitalised,
        basis: demand?.basis ?? null,
        outsideRegionConfirmed: input.confirmOutsideRegion ?? false,
        points: points.map((p) => p.siteId),
        destinations: externals.map((e) => e.id),
        estimateUnits: estimate.reduce((s, l) => s + l.qty, 0),
        idempotencyKey: key ?? null,
      },
      at,
    ),
  ])
  return getIncident(db, actor, id)
}

async function requireActive(db: D1Database, id: string) {
  const inc = await selectIncident(db, id)
  if (!inc) throw notFound('incident', id)
  if (inc.status !== 'active') throw conflict('incident_closed', `Incident ${id} is closed`, 'status')
  return inc
}

/**
 * Updates an active incident. New casualty numbers recompute the casualty part of the estimate from the stored
 * factors (lines given directly, quotas and the coordinator's own lines stay). One batch, audited.
 */
export async function patchIncident(db: D1Database, actor: Actor, id: string, patch: IncidentPatchT): Promise<IncidentT> {
  requireRole(actor, 'coordinator', 'admin')
  const inc = await requireActive(db, id)
  const at = nowIso()
  const set: Record<string, string | number | null> = {}
  if (patch.name !== undefined) set.name = patch.name
  if (patch.durationHours !== undefined) set.duration_hours = patch.durationHours
  const stmts: D1PreparedStatement[] = []
  const recount =
    patch.casualties !== undefined || patch.injured !== undefined || patch.hospitalised !== undefined || patch.kind !== undefined || patch.picks !== undefined
  if (recount) {
    const kind = patch.kind ?? inc.kind
    const known = {
      casualties: patch.casualties ?? { critical: inc.critical, severe: inc.severe, moderate: inc.moderate },
      injured: patch.injured !== undefined ? patch.injured : inc.injured,
      hospitalised: patch.hospitalised !== undefined ? patch.hospitalised : inc.hospitalised,
    }
    // new counts or another kind make a new range: earlier picks no longer apply unless given again
    const picks: Picks =
      patch.picks ?? (patch.casualties || patch.injured !== undefined || patch.hospitalised !== undefined || patch.kind ? {} : JSON.parse(inc.demandPicks))
    const current = await selectEstimate(db, id)
    const site = current.find((l) => (CATEGORIES as readonly string[]).includes(l.category))?.siteId ?? (await firstPoint(db, id))
    const demand = await casualtyDemand(db, kind, known, inc.occurredAt, site, picks)
    const wrong = pickOutOfRange(demand, picks)
    if (wrong)
      throw badRequest(
        `picks.${wrong.component}`,
        demand?.components.some((c) => c.component === wrong.component)
          ? `Pick a figure for ${wrong.component} between ${wrong.low} and ${wrong.high} units (the estimate's range)`
          : `The estimate from casualties has no ${wrong.component}`,
      )
    if (kind === 'relief' && demand === null && (known.injured || known.hospitalised || CATEGORIES.some((k) => known.casualties[k] > 0))) {
      throw badRequest('kind', 'A relief call is estimated from its destination quota, not from casualties')
    }
    Object.assign(set, {
      ...known.casualties,
      injured: known.injured,
      hospitalised: known.hospitalised,
      kind,
      demand_picks: JSON.stringify(picks),
      estimate_source: 'casualties',
    })
    const kept = current.filter((l) => !(CATEGORIES as readonly string[]).includes(l.category))
    stmts.push(...replaceEstimateStmts(db, id, mergeLines([...(demand?.lines ?? []), ...kept])))
  }
  try {
    await db.batch([
      updateIncidentStmt(db, id, set, at),
      ...stmts,
      auditStmt(
        db,
        actor,
        'incident.update',
        'incident',
        id,
        {
          ...patch,
          from: recount
            ? {
                kind: inc.kind,
                critical: inc.critical,
                severe: inc.severe,
                moderate: inc.moderate,
                injured: inc.injured,
                hospitalised: inc.hospitalised,
                picks: JSON.parse(inc.demandPicks),
              }
            : undefined,
        },
        at,
      ),
    ])
  } catch (e) {
    if (isClosed(e)) throw conflict('incident_closed', `Incident ${id} was closed meanwhile`, 'status')
    throw e
  }
  return getIncident(db, actor, id)
}

/** The first receiving point in the region (not an external destination). */
async function firstPoint(db: D1Database, id: string): Promise<string> {
  const points = await selectPoints(db, id)
  return (points.find((p) => p.quotaUnits === null) ?? points[0]).siteId
}

/** The coordinator's own estimate replaces the computed one (before planning, or between plans). */
export async function putEstimate(db: D1Database, actor: Actor, id: string, lines: EstimateLineT[]): Promise<IncidentT> {
  requireRole(actor, 'coordinator', 'admin')
  await requireActive(db, id)
  const sites = new Map((await selectSiteBriefs(db)).map((s) => [s.id, s]))
  lines.forEach((l, i) => {
    if (!sites.has(l.siteId)) throw badRequest(`lines.${i}.siteId`, `No site ${l.siteId}`)
  })
  const estimate = mergeLines(lines.map((l) => ({ ...l, neededBy: new Date(l.neededBy).toISOString(), category: l.category ?? 'direct' })))
  const at = nowIso()
  try {
    await db.batch([
      updateIncidentStmt(db, id, { estimate_source: 'edited' }, at),
      ...replaceEstimateStmts(db, id, estimate),
      auditStmt(db, actor, 'incident.estimate', 'incident', id, { lines: estimate.length, units: estimate.reduce((s, l) => s + l.qty, 0) }, at),
    ])
  } catch (e) {
    if (isClosed(e)) throw conflict('incident_closed', `Incident ${id} was closed meanwhile`, 'status')
    throw e
  }
  return getIncident(db, actor, id)
}
