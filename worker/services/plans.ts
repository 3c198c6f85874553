import { DEFAULT_WORK_LIMIT, InstanceError, parseInstance, solve, type Budget, type Instance, type PlanResult } from '../../solver'
import { insertPlanStmt, selectOpenPlanRequests, selectPlan, selectPlans, supersedeStmts } from '../db/plans'
import { selectRequestIds } from '../db/requests'
import { insertTransferStmts, type NewTransfer } from '../db/transfers/proposal'
import { selectTransferRows, withLines } from '../db/transfers/read'
import { badRequest, notFound } from '../errors'
import { newId, sha256Hex } from '../lib/crypto'
import { nowIso } from '../lib/time'
import type { PlanCreateT, PlanDetailT, PlanSummaryT } from '../schemas/plan'
import { auditStmt } from './audit'
import { requireRole, type Actor } from './auth'
import { splitQuotas, withQuotas } from './incidents/quota'
import { afterIncidentPlan, materialiseIncident, separateQuotas } from './incidents/respond'
import { asReplay, claimKeyStmt, claimLookup, isClaimViolation, withIdempotency } from './idempotency'
import { buildLiveInstance, type LiveInstance } from './plan-instance'
import { fromHospitalOf, hospitalRoundInstance, mergeHospitalRound, type HospitalFloor } from './hospital-draw'
import { donorSuggestions } from './donors/suggestions'
import { oldestStockReport } from './site-contact'

/** Validates an instance with the solver's own schema: bad input is a 400 naming the field, never a plan. */
export function validateInstance(input: unknown): Instance {
  try {
    return parseInstance(input)
  } catch (e) {
    if (e instanceof InstanceError) throw badRequest(e.field || 'body', e.message, 'invalid_instance')
    throw e
  }
}

/**
 * The planner's budget on a request: a solve that needs more work stops with PlanTimeLimitError (503
 * plan_time_limit), so one request never holds the isolate for long (README, "Limits"). `ms` only acts
 * where the clock runs during computation (not on Workers, where the work count does it).
 */
export const planBudget = (workLimit?: string): Budget => ({ work: Number(workLimit) > 0 ? Number(workLimit) : DEFAULT_WORK_LIMIT, ms: 10_000 })

/** Simulation: the solver's result for a hand-written instance; nothing is written. Any signed-in role. */
export function previewPlan(input: unknown, budget: Budget = planBudget()): PlanResult {
  return solve(validateInstance(input), budget)
}

/**
 * Groups the solver's allocations between different sites into one transfer per result transfer
 * (from, to, component, group), with the lots they draw from and the requests they serve.
 */
export function transfersFromResult(instance: Instance, result: PlanResult, planId: string): NewTransfer[] {
  const needs = new Map(instance.needs.map((n) => [n.id, n]))
  // frozen units travel in a result transfer of their own (thawed first): group them apart from liquid ones
  const key = (from: string, to: string, component: string, abo: string, rhd: string, frozen?: boolean) =>
    `${from}|${to}|${component}|${abo}${rhd}|${frozen ? 'F' : ''}`
  const groups = new Map<string, { lots: Map<string, number>; requests: Map<string, number>; qty: number }>()
  for (const a of result.allocations) {
    const need = needs.get(a.need)
    if (!need) throw new Error(`solver allocated to unknown need ${a.need}`)
    if (a.fromSite === need.site) continue // local use: no transfer
    const k = key(a.fromSite, need.site, need.component, a.abo, a.rhd, a.frozen)
    const g = groups.get(k) ?? { lots: new Map(), requests: new Map(), qty: 0 }
    for (const l of a.lots) g.lots.set(l.id, (g.lots.get(l.id) ?? 0) + l.qty)
    g.requests.set(a.need, (g.requests.get(a.need) ?? 0) + a.qty)
    g.qty += a.qty
    groups.set(k, g)
  }
  return result.transfers.map((t) => {
    const g = groups.get(key(t.from, t.to, t.component, t.abo, t.rhd, t.frozen))
    if (!g || g.qty !== t.qty) throw new Error(`solver transfer ${t.from}→${t.to} ${t.component} ${t.abo}${t.rhd} does not match its allocations`)
    return {
      id: newId('tr'),
      planId,
      fromSite: t.from,
      toSite: t.to,
      component: t.component,
      abo: t.abo,
      rhd: t.rhd,
      qty: t.qty,
      etaHours: Math.round(t.etaHours * 100) / 100,
      // a planner that sends frozen units counts their thawing in etaHours and says how long (solver-model)
      ...(t.thawHours !== undefined ? { thawHours: t.thawHours } : {}),
      lots: [...g.lots].filter(([, q]) => q > 0).map(([lotId, qty]) => ({ lotId, qty })),
      requests: [...g.requests].filter(([, q]) => q > 0).map(([requestId, qty]) => ({ requestId, qty })),
    }
  })
}

type Round = { antigens: string; instance: Instance; result: PlanResult }

/**
 * Solves the live instance in one solve: rare lots and antigen-matched requests carry their `antigens`, and the
 * solver matches them (docs/plan-instance.md), so a rare request and an ordinary one never compete for the same
 * unit in separate rounds. One round, for the callers that read `rounds`; plans stored before this change have
 * `antigenRounds` in their instance and are still read as they are (getPlan, donor suggestions, incidents).
 */
export function solveLive(live: LiveInstance): { instance: Instance; result: PlanResult; rounds: Round[] } {
  const result = solve(live.base, planBudget())
  const rounds: Round[] = [{ antigens: '', instance: live.base, result }]
  if (!live.hospitals) return { instance: live.base, result, rounds }
  // drawOnHospitals: the stations first, then the hospitals' surplus for the emergency and urgent units still unmet
  const flag = { ...live.base, drawOnHospitals: true as const }
  const round = hospitalRoundInstance(live.base, result, live.hospitals.sites, live.hospitals.lots)
  if (!round) return { instance: flag, result, rounds }
  const second = solve(round, planBudget())
  return {
    instance: { ...flag, hospitalRound: { floors: live.hospitals.floors, instance: round } } as Instance,
    result: mergeHospitalRound(live.base, result, second),
    rounds: [...rounds, { antigens: '', instance: round, result: second }],
  }
}

/**
 * A plan from live data (coordinator or admin): build the instance (with each station's red-level reserves),
 * solve it, and store in ONE batch the plan, a proposed transfer per result transfer with its lot and request
 * lines, and a plan.create audit row. Requests are marked planned only when a commit covers them.
 */
export async function createPlan(db: D1Database, actor: Actor, input: PlanCreateT, key?: string): Promise<PlanDetailT> {
  requireRole(actor, 'coordinator', 'admin')
  // An incident is planned in disaster mode, with every open request (docs/incidents.md)
  const mode = input.mode ?? (input.incidentId ? 'disaster' : 'routine')
  if (input.incidentId && mode !== 'disaster') throw badRequest('mode', 'An incident is planned in disaster mode')
  if (input.incidentId && input.requestIds) throw badRequest('requestIds', 'An incident is planned with every open request; leave out requestIds')
  // an incident's green channel commits its emergency transfers unreviewed: a hospital's stock is drawn only after review
  if (input.incidentId && input.drawOnHospitals)
    throw badRequest('drawOnHospitals', "An incident's plan does not draw on hospitals; plan its requests still unmet afterwards with drawOnHospitals")
  // Optional Idempotency-Key, claimed first in the batch below: a retry, even a concurrent one, answers the plan the first call made.
  const hash = await sha256Hex(
    JSON.stringify({
      mode,
      requestIds: input.requestIds ?? null,
      ...(input.incidentId ? { incidentId: input.incidentId } : {}),
      ...(input.drawOnHospitals ? { drawOnHospitals: true } : {}),
    }),
  )
  const lookup = claimLookup(db, actor.id, async (planId) => asReplay(await getPlan(db, planId)))
  const { result } = await withIdempotency(key, hash, lookup, () => planAndStore(db, actor, input, mode, key, hash), isClaimViolation)
  return result
}

async function planAndStore(
  db: D1Database,
  actor: Actor,
  input: PlanCreateT,
  mode: 'routine' | 'disaster',
  key: string | undefined,
  hash: string,
): Promise<PlanDetailT> {
  if (input.requestIds) {
    const known = new Set(await selectRequestIds(db, input.requestIds))
    const i = input.requestIds.findIndex((id) => !known.has(id))
    if (i >= 0) throw badRequest(`requestIds.${i}`, `No aid request ${input.requestIds[i]}`)
  }
  if (input.incidentId) await materialiseIncident(db, actor, input.incidentId)
  const now = nowIso()
  const live = await buildLiveInstance(db, now, { ...input, ...(input.incidentId ? { mode } : {}) })
  const quotas = await separateQuotas(db, live) // needs at destinations outside the region: a quota split across stations
  let { instance, result, rounds } = solveLive(live)
  const planId = newId('plan')
  const transfers = rounds.flatMap((r) => transfersFromResult(r.instance, r.result, planId))
  if (quotas) {
    const q = splitQuotas(live.base, quotas.needs, result, quotas.external) // the instance's rare lots (with `antigens`) serve antigen quotas only
    ;({ instance, result } = withQuotas(instance, result, quotas.needs, q))
    transfers.push(...q.transfers.map((t) => ({ ...t, id: newId('tr'), planId, fromSite: t.from, toSite: t.to })))
  }
  const unmetUnits = result.unmet.reduce((s, u) => s + u.qty, 0)
  // Older plans under review for any of the same requests are superseded by this one, in its batch: two live plans
  // over one request would race for its units, and the older one's commit would fail naming nothing useful.
  const covers = new Set(rounds.flatMap((r) => r.instance.needs.map((n) => n.id)))
  const overlap = new Map<string, string[]>()
  for (const r of await selectOpenPlanRequests(db)) if (covers.has(r.requestId)) overlap.set(r.planId, [...(overlap.get(r.planId) ?? []), r.requestId])
  const superseded = [...overlap.keys()].sort()
  const write = () =>
    db.batch([
      ...(key ? [claimKeyStmt(db, { actorId: actor.id, key, action: 'plan.create', hash, entityId: planId, at: now })] : []),
      insertPlanStmt(db, { id: planId, createdBy: actor.id, mode, instance, result, incidentId: input.incidentId ?? null }, now),
      ...transfers.flatMap((t) => insertTransferStmts(db, t, now)),
      auditStmt(
        db,
        actor,
        'plan.create',
        'plan',
        planId,
        {
          mode,
          ...(input.incidentId ? { incidentId: input.incidentId } : {}),
          needs: instance.needs.length,
          lots: instance.lots.length,
          reserves: instance.reserves?.length ?? 0,
          transfers: transfers.map((t) => t.id),
          unmetUnits,
          ...(input.drawOnHospitals ? { drawOnHospitals: true, fromHospitals: hospitalUnits(instance, transfers) } : {}),
          ...(superseded.length ? { supersedes: superseded } : {}),
          ...(key ? { idempotencyKey: key, requestHash: hash } : {}),
        },
        now,
      ),
      ...superseded.flatMap((old) => [
        ...supersedeStmts(db, { oldId: old, newId: planId, actorId: actor.id, at: now }),
        auditStmt(db, actor, 'plan.supersede', 'plan', old, { supersededBy: planId, requests: overlap.get(old) }, now),
      ]),
    ])
  await write()
  // with the incident's green channel open, its emergency transfers are approved and committed now
  const greenChannel = input.incidentId ? await afterIncidentPlan(db, actor, input.incidentId, planId) : null
  return greenChannel ? { ...(await getPlan(db, planId)), greenChannel } : getPlan(db, planId)
}

/** Units the plan's transfers take from hospitals, per hospital: what the audit row records of a drawOnHospitals plan. */
function hospitalUnits(instance: Instance, transfers: NewTransfer[]) {
  const floors = (instance as { hospitalRound?: { floors: HospitalFloor[] } }).hospitalRound?.floors ?? []
  const out: Record<string, number> = {}
  for (const t of transfers) if (floors.some((f) => f.site === t.fromSite)) out[t.fromSite] = (out[t.fromSite] ?? 0) + t.qty
  return out
}

export const listPlans = (db: D1Database, f: { status?: string; limit: number }): Promise<PlanSummaryT[]> => selectPlans(db, f)

/**
 * Which of the plan's routes were estimated: a transfer whose pair is absent from the road table the plan was
 * built with (instance.travelHours) travels at the great-circle estimate; the coordinator sees those pairs.
 */
export function roadTimesUsed(instance: Instance, transfers: { fromSite: string; toSite: string; etaHours: number }[]) {
  const table = instance.travelHours ?? {}
  const n = instance.sites.length
  const known = instance.sites.reduce((s, a) => s + instance.sites.filter((b) => b.id !== a.id && table[a.id]?.[b.id] !== undefined).length, 0)
  const seen = new Set<string>()
  const estimatedRoutes: { from: string; to: string; hours: number }[] = []
  for (const t of transfers) {
    const k = `${t.fromSite}|${t.toSite}`
    if (table[t.fromSite]?.[t.toSite] !== undefined || seen.has(k)) continue
    seen.add(k)
    estimatedRoutes.push({ from: t.fromSite, to: t.toSite, hours: t.etaHours })
  }
  return { roadTimes: { pairs: n * (n - 1), fromTable: known, estimated: n * (n - 1) - known }, estimatedRoutes }
}

export async function getPlan(db: D1Database, id: string): Promise<PlanDetailT> {
  const row = await selectPlan(db, id)
  if (!row) throw notFound('plan', id)
  const { instance, result, ...summary } = row
  const parsed = JSON.parse(result) as PlanResult
  const transfers = await withLines(db, await selectTransferRows(db, { planId: id }))
  const inst = JSON.parse(instance)
  const unmet = parsed.unmet.filter((u) => u.qty > 0)
  // the rare-donor pool for needs unmet for want of compatible stock, at the time of reading (docs/donors.md)
  const donors = await donorSuggestions(db, inst, unmet, nowIso())
  const floors = (inst as { hospitalRound?: { floors: HospitalFloor[] } }).hospitalRound?.floors
  return {
    ...summary,
    instance: inst,
    result: parsed,
    transfers: transfers
      .map((t) => {
        const fromHospital = fromHospitalOf(floors, t)
        return fromHospital ? { ...t, fromHospital } : t
      })
      .sort((a, b) => a.id.localeCompare(b.id)),
    unmet: unmet.map((u) => (donors.has(u.need) ? { ...u, donors: donors.get(u.need)! } : u)),
    oldestStockReport: await oldestStockReport(db, summary.createdAt), // issue 25: how old the stock it planned on was
    ...roadTimesUsed(inst as Instance, transfers),
  }
}
