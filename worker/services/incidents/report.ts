import { toCsv } from '../../lib/csv-writer'
import {
  cancelOpenRequestsStmts,
  selectCurrentLevels,
  selectEstimate,
  selectIncidentTransferIds,
  selectLevelChanges,
  selectPoints,
  updateIncidentStmt,
} from '../../db/incidents'
import { selectTransferRowsByIds, withLines } from '../../db/transfers/read'
import { conflict } from '../../errors'
import { nowIso } from '../../lib/time'
import type { IncidentReportT } from '../../schemas/incident'
import { auditStmt } from '../audit'
import { requireRole, type Actor } from '../auth'
import { severity, type Level } from '../warning-level'
import { requireIncident } from './read'
import { isRaised } from '../../db/constraints'

/**
 * After the incident: per component what was asked (the estimate), sent (dispatched or received), received (accepted
 * into stock), rejected on arrival, lost on the way, still on the way and left unmet; every transfer; and for each
 * station involved (donors and receiving points) its level now and the worst it fell to since the incident.
 */
export async function incidentReport(db: D1Database, id: string): Promise<IncidentReportT> {
  const inc = await requireIncident(db, id)
  const [lines, ids, points] = await Promise.all([selectEstimate(db, id), selectIncidentTransferIds(db, id), selectPoints(db, id)])
  const transfers = (await withLines(db, await selectTransferRowsByIds(db, ids))).filter(
    (t) => t.status !== 'rejected' && t.status !== 'proposed' && t.status !== 'approved',
  )
  const comps = [...new Set([...lines.map((l) => l.component), ...transfers.map((t) => t.component)])].sort()
  const totals = comps.map((component) => {
    const mine = transfers.filter((t) => t.component === component)
    const sum = (f: (t: (typeof mine)[number]) => number) => mine.reduce((s, t) => s + f(t), 0)
    const requested = lines.filter((l) => l.component === component).reduce((s, l) => s + l.qty, 0)
    const received = sum((t) => t.transport.receipt?.acceptedQty ?? 0)
    const onTheWay = sum((t) => (t.status === 'committed' || t.status === 'dispatched' ? t.qty : 0))
    return {
      component: component as 'RBC',
      requested,
      sent: sum((t) => (t.status === 'dispatched' || t.status === 'received' ? t.qty : 0)),
      received,
      rejected: sum((t) => t.transport.receipt?.rejectedQty ?? 0),
      lost: sum((t) => t.lostQty ?? 0),
      onTheWay,
      unmet: Math.max(0, requested - received - onTheWay),
    }
  })
  const sites = [...new Set([...transfers.map((t) => t.fromSite), ...points.filter((p) => p.quotaUnits === null).map((p) => p.siteId)])].sort()
  const [current, changes] = await Promise.all([selectCurrentLevels(db, sites), selectLevelChanges(db, sites, inc.occurredAt)])
  const levels = current
    .map((c) => {
      const mine = changes.filter((x) => x.siteId === c.siteId && x.component === c.component)
      const worst = [c.level, ...mine.map((x) => x.toLevel)].reduce((w, l) => (severity(l as Level) > severity(w as Level) ? l : w), 'normal')
      return { siteId: c.siteId, component: c.component, now: c.level, worst, changes: mine.length }
    })
    .filter((l) => l.changes > 0 || l.now !== 'normal' || comps.includes(l.component))
  return {
    incidentId: id,
    name: inc.name,
    status: inc.status,
    occurredAt: inc.occurredAt,
    closedAt: inc.closedAt,
    totals,
    transfers: transfers.map((t) => ({
      id: t.id,
      fromSite: t.fromSite,
      toSite: t.toSite,
      component: t.component,
      abo: t.abo,
      rhd: t.rhd,
      qty: t.qty,
      status: t.status,
      receivedQty: t.receivedQty ?? null,
      lostQty: t.lostQty ?? null,
      rejectedQty: t.transport.receipt?.rejectedQty ?? 0,
    })),
    levels,
  }
}

/** The report as CSV: one row per component total, per transfer and per station level, told apart by `section`. */
export function reportCsv(r: IncidentReportT): string {
  const rows: Record<string, string | number | null>[] = [
    ...r.totals.map((t) => ({
      section: 'total',
      component: t.component,
      requested: t.requested,
      sent: t.sent,
      received: t.received,
      rejected: t.rejected,
      lost: t.lost,
      on_the_way: t.onTheWay,
      unmet: t.unmet,
    })),
    ...r.transfers.map((t) => ({
      section: 'transfer',
      transfer: t.id,
      from_site: t.fromSite,
      to_site: t.toSite,
      component: t.component,
      group: t.abo + t.rhd,
      status: t.status,
      sent: t.qty,
      received: t.receivedQty,
      rejected: t.rejectedQty,
      lost: t.lostQty,
    })),
    ...r.levels.map((l) => ({ section: 'level', from_site: l.siteId, component: l.component, level_now: l.now, worst_level: l.worst })),
  ]
  const fields = [
    'section',
    'transfer',
    'from_site',
    'to_site',
    'component',
    'group',
    'status',
    'requested',
    'sent',
    'received',
    'rejected',
    'lost',
    'on_the_way',
    'unmet',
    'level_now',
    'worst_level',
  ]
  return toCsv(
    fields,
    rows.map((row) => fields.map((f) => row[f] ?? '')),
    { bom: true },
  )
}

/**
 * Closes an active incident (coordinator or admin) in one batch: its requests nothing covers yet are cancelled
 * (audited one by one), the incident is closed (a trigger keeps it unchanged from then on) and audited. Transfers
 * already committed or on the way carry on. Answers the report.
 */
export async function closeIncident(db: D1Database, actor: Actor, id: string, note?: string): Promise<IncidentReportT> {
  requireRole(actor, 'coordinator', 'admin')
  const inc = await requireIncident(db, id)
  if (inc.status !== 'active') throw conflict('incident_closed', `Incident ${id} is already closed`, 'status')
  const at = nowIso()
  try {
    await db.batch([
      ...cancelOpenRequestsStmts(db, id, null, actor.id, 'incident closed', at),
      updateIncidentStmt(db, id, { status: 'closed', closed_at: at }, at),
      auditStmt(db, actor, 'incident.close', 'incident', id, { note: note ?? null }, at),
    ])
  } catch (e) {
    if (isRaised(e, 'incident_closed')) throw conflict('incident_closed', `Incident ${id} was closed meanwhile`, 'status')
    throw e
  }
  return incidentReport(db, id)
}
