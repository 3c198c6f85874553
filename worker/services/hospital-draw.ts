// Hospitals in the plan (issue 23): in an emergency the coordinator may let the planner draw on a hospital's
// surplus, never on its floor. Pure functions over the live instance and the solver's results; no D1.
import type { Instance, Lot, PlanResult, Unmet, UnmetReason, Urgency } from '../../solver'

/** A hospital's floor for one component × group, and what of its stock above the floor was offered to the plan. */
export type HospitalFloor = {
  site: string
  nameZh: string
  nameEn: string
  component: string
  abo: string
  rhd: string
  /** ordinary liquid units on hand (no antigen profile, not frozen, in date) */
  onHand: number
  /** units it keeps: ceil(its average daily use × its province's red-level days for the component) */
  floor: number
  /** onHand − floor: the units the plan may take */
  offered: number
  avgDailyUse: number
  days: number
}

type HospitalLot = { id: string; site: string; component: string; abo: string; rhd: string; qty: number; expiresAt: string; antigens: string; frozen: number }

/**
 * The hospitals' surplus as lots for the planner: per hospital × component × group, its ordinary liquid stock above
 * its floor. The floor is N days of the hospital's own use, N = the red-level days of its province for the
 * component (warning_policy: 3 days of red cells, 1 of platelets), as a station's reserve is. A group whose use is
 * unknown (nothing used in the window) is not offered: without a measure of its need, all of it is its floor.
 * The offered units are the latest-expiring ones (they travel and keep; the hospital uses its nearer-dated units
 * first), and the lots are cut to them, so no plan, in any mode, can take a hospital below its floor. Rare
 * (antigen-typed) and frozen units at a hospital are its own and are not offered.
 */
export function hospitalSurplus(
  lots: HospitalLot[],
  use: Map<string, number>,
  floorDays: (site: string, component: string) => number | undefined,
  names: Map<string, { nameZh: string; nameEn: string }>,
): { lots: Lot[]; floors: HospitalFloor[] } {
  const groups = new Map<string, HospitalLot[]>()
  for (const l of lots) {
    if (l.antigens || l.frozen) continue
    const k = `${l.site}|${l.component}|${l.abo}|${l.rhd}`
    groups.set(k, [...(groups.get(k) ?? []), l])
  }
  const out: Lot[] = []
  const floors: HospitalFloor[] = []
  for (const [k, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const { site, component, abo, rhd } = group[0]!
    const avgDailyUse = use.get(k) ?? 0
    const days = floorDays(site, component)
    if (!(avgDailyUse > 0) || days === undefined) continue
    const onHand = group.reduce((s, l) => s + l.qty, 0)
    const floor = Math.ceil(Math.round(avgDailyUse * days * 1e6) / 1e6) // trim float noise, as station reserves do
    let offered = Math.max(0, onHand - floor)
    if (offered === 0) continue
    const name = names.get(site) ?? { nameZh: site, nameEn: site }
    floors.push({ site, ...name, component, abo, rhd, onHand, floor, offered, avgDailyUse: Math.round(avgDailyUse * 100) / 100, days })
    for (const l of [...group].sort((a, b) => b.expiresAt.localeCompare(a.expiresAt) || a.id.localeCompare(b.id))) {
      if (offered === 0) break
      const qty = Math.min(l.qty, offered)
      offered -= qty
      out.push({ id: l.id, site, component: component as Lot['component'], abo: abo as Lot['abo'], rhd: rhd as Lot['rhd'], qty, expiresAt: l.expiresAt })
    }
  }
  return { lots: out, floors }
}

/**
 * The hospital round: what the stations could not cover of the emergency and urgent needs, planned on the
 * hospitals' surplus alone. Hospitals are the last resort: every unit the stations can give is planned first
 * (the first solve), and a routine need never takes a hospital's units. Null when nothing is left to cover or
 * no hospital has surplus.
 */
export function hospitalRoundInstance(base: Instance, first: PlanResult, sites: Instance['sites'], lots: Lot[]): Instance | null {
  const left = new Map(first.unmet.map((u) => [u.need, u.qty]))
  const needs = base.needs.filter((n) => n.urgency !== 'routine' && (left.get(n.id) ?? 0) > 0).map((n) => ({ ...n, qty: left.get(n.id)! }))
  if (!needs.length || !lots.length) return null
  return {
    now: base.now,
    sites: [...base.sites, ...sites],
    ...(base.travelHours ? { travelHours: base.travelHours } : {}),
    lots,
    reserves: [],
    needs,
    ...(base.options ? { options: base.options } : {}),
  }
}

/** One result from the stations' solve and the hospital round's: allocations and transfers of both, the unmet left after both. */
export function mergeHospitalRound(base: Instance, first: PlanResult, round: PlanResult): PlanResult {
  // a need the hospitals served nothing of keeps the stations' explanation; one they served part of, the last round's
  const after = new Map(round.unmet.map((u) => [u.need, u]))
  const unmet: Unmet[] = first.unmet.map((u) => {
    const a = after.get(u.need)
    return a && a.qty < u.qty ? a : u
  })
  const urgency = new Map<string, Urgency>(base.needs.map((n) => [n.id, n.urgency]))
  const unmetUnits = { emergency: 0, urgent: 0, routine: 0 }
  const unmetByReason: Partial<Record<UnmetReason, number>> = {}
  for (const u of unmet) {
    if (u.qty <= 0) continue
    unmetUnits[urgency.get(u.need)!] += u.qty
    if (u.reason) unmetByReason[u.reason] = (unmetByReason[u.reason] ?? 0) + u.qty
  }
  const notes = [...(first.summary.notes ?? []), ...(round.summary.notes ?? [])]
  return {
    status: 'optimal',
    allocations: [...first.allocations, ...round.allocations],
    transfers: [...first.transfers, ...round.transfers],
    unmet,
    objective: first.objective + round.objective,
    summary: {
      demandUnits: first.summary.demandUnits,
      unmetUnits,
      unmetByReason,
      allocatedUnits: first.summary.allocatedUnits + round.summary.allocatedUnits,
      transferredUnits: first.summary.transferredUnits + round.summary.transferredUnits,
      substitutedUnits: first.summary.substitutedUnits + round.summary.substitutedUnits,
      fairness: first.summary.fairness,
      exact: first.summary.exact && round.summary.exact,
      ...(notes.length ? { notes } : {}),
    },
  }
}

/** What a transfer out of a hospital says in the review: the hospital, and its floor and stock for the group. */
export function fromHospitalOf(floors: HospitalFloor[] | undefined, t: { fromSite: string; component: string; abo: string; rhd: string }) {
  const f = floors?.find((x) => x.site === t.fromSite && x.component === t.component && x.abo === t.abo && x.rhd === t.rhd)
  return f ? { hospitalId: f.site, nameZh: f.nameZh, nameEn: f.nameEn, onHand: f.onHand, floor: f.floor } : undefined
}
