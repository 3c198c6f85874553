import type { QuotaNeed } from '../../../solver/quota'
import {
  cancelOpenRequestsStmts,
  insertIncidentRequestStmt,
  selectEstimate,
  selectExternalSiteIds,
  selectGreenCandidates,
  selectIncidentPlans,
  selectIncidentRequests,
  selectPoints,
  updateIncidentStmt,
} from '../../db/incidents'
import { selectTransferRowsByIds } from '../../db/transfers/read'
import { setStatusStmt } from '../../db/transfers/state'
import { ApiError, badRequest, conflict } from '../../errors'
import { newId } from '../../lib/crypto'
import { nowIso } from '../../lib/time'
import type { IncidentT } from '../../schemas/incident'
import { auditStmt } from '../audit'
import { requireRole, type Actor } from '../auth'
import { commitGreenChannel } from '../transfers'
import { lineKey } from '../../../solver/incident-demand'
import { antigenSet, type LiveInstance } from '../plan-instance'
import { getIncident, requireIncident } from './read'
import { isRaised } from '../../db/constraints'

const isClosed = (e: unknown) => isRaised(e, 'incident_closed')

/**
 * Before an incident is planned (POST /api/plans {incidentId}): its estimate becomes aid requests linked to it, so the
 * hand-off (review, commit with floor checks, dispatch, receipt, events, station page) works unchanged. Per estimate
 * line (receiving point × component × group × urgency), when the live requests no longer add up to the line: the
 * open ones (nothing committed for them) are cancelled and one request for the rest is filed; lines dropped from the
 * estimate cancel their open requests. Nothing changes when the estimate did not. One batch, audited (as
 * `request.incident`, not `request.create`: the coordinator who declared the incident gets no alert per request).
 */
export async function materialiseIncident(db: D1Database, actor: Actor, incidentId: string): Promise<{ created: string[]; cancelled: string[] }> {
  const inc = await requireIncident(db, incidentId).catch(() => {
    throw badRequest('incidentId', `No incident ${incidentId}`)
  })
  if (inc.status !== 'active') throw conflict('incident_closed', `Incident ${incidentId} is closed; it cannot be planned`, 'incidentId')
  const [lines, requests, points] = await Promise.all([selectEstimate(db, incidentId), selectIncidentRequests(db, incidentId), selectPoints(db, incidentId)])
  // a quota's antigens go on its requests, so the plan sends it only units carrying them
  const antigensAt = new Map(points.map((p) => [p.siteId, p.quotaAntigens]))
  const live = requests.filter((r) => r.status !== 'cancelled')
  const byKey = new Map<string, typeof live>()
  for (const r of live) byKey.set(lineKey(r), [...(byKey.get(lineKey(r)) ?? []), r])
  const at = nowIso()
  const created: { id: string; line: (typeof lines)[number]; qty: number }[] = []
  const cancelled: string[] = []
  for (const l of lines) {
    const have = byKey.get(lineKey(l)) ?? []
    byKey.delete(lineKey(l))
    if (have.reduce((s, r) => s + r.qty, 0) === l.qty) continue
    const open = have.filter((r) => r.status === 'open')
    cancelled.push(...open.map((r) => r.id))
    const kept = have.filter((r) => r.status !== 'open').reduce((s, r) => s + r.qty, 0)
    if (l.qty > kept) created.push({ id: newId('req'), line: l, qty: l.qty - kept })
  }
  for (const rest of byKey.values()) cancelled.push(...rest.filter((r) => r.status === 'open').map((r) => r.id))
  if (created.length === 0 && cancelled.length === 0) return { created: [], cancelled: [] }
  try {
    await db.batch([
      ...(cancelled.length ? cancelOpenRequestsStmts(db, incidentId, cancelled, actor.id, 'incident estimate changed', at) : []),
      ...created.flatMap(({ id, line, qty }) => {
        const reason = `${inc.name} · ${line.category}`
        return [
          insertIncidentRequestStmt(db, {
            id,
            incidentId,
            siteId: line.siteId,
            component: line.component,
            abo: line.abo,
            rhd: line.rhd,
            qty,
            urgency: line.urgency,
            neededBy: line.neededBy,
            reason,
            createdBy: actor.id,
            at,
            antigens: antigensAt.get(line.siteId) ?? '',
          }),
          auditStmt(
            db,
            actor,
            'request.incident',
            'aid_request',
            id,
            {
              siteId: line.siteId,
              component: line.component,
              abo: line.abo,
              rhd: line.rhd,
              qty,
              urgency: line.urgency,
              neededBy: line.neededBy,
              reason,
              incidentId,
            },
            at,
          ),
        ]
      }),
      auditStmt(db, actor, 'incident.requests', 'incident', incidentId, { created: created.map((c) => c.id), cancelled }, at),
    ])
  } catch (e) {
    if (isClosed(e)) throw conflict('incident_closed', `Incident ${incidentId} was closed meanwhile`, 'incidentId')
    throw e
  }
  return { created: created.map((c) => c.id), cancelled }
}

export type GreenResult = { approved: string[]; committed: string[]; note?: string }

/**
 * The green channel at work: the plan's proposed transfers serving the incident's emergency requests are approved
 * (one batch, audited with the incident) and committed at once (stock reserved, floor and coverage checks as usual),
 * so the donor stations may dispatch. A commit refused by a check leaves them approved and says why.
 */
export async function greenChannelPlan(db: D1Database, actor: Actor, incidentId: string, planId: string, only?: string[]): Promise<GreenResult> {
  // never more than the coordinator was shown (`only`): a transfer that became a candidate meanwhile waits for review
  const ids = (await selectGreenCandidates(db, incidentId, planId)).filter((id) => !only || only.includes(id))
  if (ids.length === 0) return { approved: [], committed: [] }
  const at = nowIso()
  const rows = await selectTransferRowsByIds(db, ids)
  const proposed = rows.filter((t) => t.status === 'proposed')
  if (proposed.length) {
    try {
      await db.batch(
        proposed.flatMap((t) => [
          setStatusStmt(db, t.id, 'approved', at, { reviewed_by: actor.id, reviewed_at: at }),
          auditStmt(db, actor, 'transfer.approve', 'transfer', t.id, { qty: t.qty, greenChannel: incidentId }, at),
        ]),
      )
    } catch (e) {
      // another reviewer moved one of them meanwhile (the status trigger refused the batch): nothing was approved
      if (isRaised(e, 'transfer_status')) return { approved: [], committed: [], note: `A transfer among ${ids.join(', ')} changed meanwhile; plan again` }
      throw e
    }
  }
  try {
    const r = await commitGreenChannel(db, actor, incidentId, ids)
    return { approved: proposed.map((t) => t.id), committed: r.committed }
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) return { approved: proposed.map((t) => t.id), committed: [], note: e.message }
    throw e
  }
}

/** After an incident's plan is stored: with the green channel open, its emergency transfers go at once. */
export async function afterIncidentPlan(db: D1Database, actor: Actor, incidentId: string, planId: string): Promise<GreenResult | null> {
  const inc = await requireIncident(db, incidentId)
  if (inc.status !== 'active' || inc.greenChannel !== 1) return null
  return greenChannelPlan(db, actor, incidentId, planId)
}

/**
 * Opens the green channel of an active incident (coordinator or admin): from now on its emergency transfers are
 * approved and committed when planned; those of its latest plan still under review go at once. The coordinator can
 * still recall a committed transfer until it is dispatched (POST /api/transfers/{id}/cancel). Opening twice is a no-op.
 */
export async function openGreenChannel(
  db: D1Database,
  actor: Actor,
  id: string,
  expected?: string[],
): Promise<IncidentT & { greenChannelResult: GreenResult | null }> {
  requireRole(actor, 'coordinator', 'admin')
  const inc = await requireIncident(db, id)
  if (inc.status !== 'active') throw conflict('incident_closed', `Incident ${id} is closed`, 'status')
  const latest = (await selectIncidentPlans(db, id)).find((p) => p.status !== 'closed')
  if (expected) {
    // the confirmation named these transfers: if the plan changed since, say so and do nothing
    const now = latest ? await selectGreenCandidates(db, id, latest.id) : []
    const added = now.filter((x) => !expected.includes(x))
    const gone = expected.filter((x) => !now.includes(x))
    if (added.length || gone.length) {
      throw conflict(
        'green_channel_changed',
        `The emergency transfers changed since the confirmation (now ${now.length}${added.length ? `, new: ${added.join(', ')}` : ''}${gone.length ? `, no longer: ${gone.join(', ')}` : ''}); nothing was committed: look again and confirm`,
        'transferIds',
      )
    }
  }
  if (inc.greenChannel !== 1) {
    const at = nowIso()
    try {
      await db.batch([
        updateIncidentStmt(db, id, { green_channel: 1, green_channel_at: at }, at),
        auditStmt(db, actor, 'incident.green_channel', 'incident', id, { open: true }, at),
      ])
    } catch (e) {
      if (isClosed(e)) throw conflict('incident_closed', `Incident ${id} was closed meanwhile`, 'status')
      throw e
    }
  }
  const result = latest ? await greenChannelPlan(db, actor, id, latest.id, expected) : null
  return { ...(await getIncident(db, actor, id)), greenChannelResult: result }
}

/**
 * Takes the needs at destinations outside the region out of the solver's instance: they are a quota, split across
 * the stations after the region's own needs are planned (./quota.ts). Null when there are none.
 */
export async function separateQuotas(db: D1Database, live: LiveInstance): Promise<{ needs: QuotaNeed[]; external: Set<string> } | null> {
  const needs = live.base.needs
  if (needs.length === 0) return null
  const external = new Set(await selectExternalSiteIds(db))
  // a quota of rare units (antigens: the need carries them) is split the same way, from lots carrying them
  const quota: QuotaNeed[] = needs
    .filter((n) => external.has(n.site))
    .map(({ antigens, ...n }) => (antigens ? { ...n, antigens: [...antigenSet(antigens)] } : n))
  if (quota.length === 0) return null
  live.base = { ...live.base, needs: needs.filter((n) => !external.has(n.site)) }
  return { needs: quota, external }
}
