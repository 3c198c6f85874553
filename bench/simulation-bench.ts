// The simulation line of `npm run bench`: a 365-day run of the demo region (seed/demo.ts, as
// `npm start` loads it) under the `year` scenario, daily planning, two policies. The input is
// built as POST /api/simulations builds it from D1 (worker/services/simulations.ts): live lots
// without an antigen profile, the 14-day average daily issue per site × component × group, and
// the baseline floor for stations with little use.
import { demoRegion } from '../seed/demo'
import { ABO_SHARES, simulate, type SimIssueRate, type SimLot, type SimulationInput } from '../solver/simulation'
import type { Abo, Component } from '../solver/types'
import { BASELINE_FLOOR } from '../worker/services/simulations'

const DAY = 86_400_000

export async function demoSimulationInput(days: number, start = '2027-01-01T00:00:00.000Z'): Promise<SimulationInput> {
  const r = await demoRegion({ now: new Date(start), hash: async (t) => t })
  const nowMs = Date.parse(r.now)
  const qty = new Map<string, number>()
  const issued = new Map<string, number>()
  // the region's sites only: hospitals' blood banks (issue 23) are left out, as the API's simulation leaves them
  const region = new Set(r.sites.map((s) => s.id))
  const lotById = new Map(r.lots.filter((l) => region.has(l.siteId)).map((l) => [l.id, l]))
  for (const m of r.movements) {
    if (!lotById.has(m.lotId)) continue
    qty.set(m.lotId, (qty.get(m.lotId) ?? 0) + m.delta)
    if (m.kind === 'issue' && Date.parse(m.at) >= nowMs - 14 * DAY) {
      const l = lotById.get(m.lotId)!
      const k = `${l.siteId}|${l.component}|${l.abo}|${l.rhd}`
      issued.set(k, (issued.get(k) ?? 0) - m.delta)
    }
  }
  const lots: SimLot[] = [...lotById.values()]
    .filter((l) => !l.antigens && (qty.get(l.id) ?? 0) > 0 && Date.parse(l.expiresAt) > nowMs)
    .map((l) => ({ site: l.siteId, component: l.component, abo: l.abo, rhd: l.rhd, qty: qty.get(l.id)!, expiresAt: l.expiresAt }))
  const rates = new Map<string, SimIssueRate>()
  for (const [k, q] of issued) {
    const [site, component, abo, rhd] = k.split('|') as [string, Component, Abo, '+' | '-']
    rates.set(k, { site, component, abo, rhd, perDay: q / 14 })
  }
  for (const sc of new Set([...lots.map((l) => `${l.site}|${l.component}`), ...[...rates.values()].map((x) => `${x.site}|${x.component}`)])) {
    const [site, component] = sc.split('|') as [string, Component]
    for (const abo of Object.keys(ABO_SHARES) as Abo[]) {
      const k = `${site}|${component}|${abo}|+`
      const min = BASELINE_FLOOR[component] * ABO_SHARES[abo]
      if ((rates.get(k)?.perDay ?? 0) < min) rates.set(k, { site, component, abo, rhd: '+', perDay: min })
    }
  }
  return {
    start: r.now,
    sites: r.sites.map((s) => ({ id: s.id, name: s.nameEn, lat: s.lat, lng: s.lng, province: s.province, city: s.city })),
    lots,
    issue: [...rates.values()],
    scenario: 'year',
    days,
    seed: 1,
    policies: [
      { name: 'no dispatch', dispatch: 'none', reserveDays: 3, triggerDays: 5 },
      { name: 'planner, red floor', dispatch: 'planner', reserveDays: 3, triggerDays: 5 },
    ],
  }
}

/** one line: `simulation, 365 days, 23 sites, daily planning: 4.2 s` (median of BENCH_SIM_RUNS, default 3;
 *  two policies: no dispatch, and the planner with the red floor) */
export async function simulationBench(): Promise<string> {
  const input = await demoSimulationInput(365)
  const ts: number[] = []
  let solves = 0
  for (let i = 0; i < Number(process.env.BENCH_SIM_RUNS ?? 3); i++) {
    const t0 = performance.now()
    const res = simulate(input)
    ts.push(performance.now() - t0)
    solves = res.policies.reduce((a, p) => a + p.plans, 0)
  }
  const med = [...ts].sort((a, b) => a - b)[Math.floor(ts.length / 2)]!
  const line = `simulation, 365 days, ${input.sites.length} sites, daily planning: ${(med / 1000).toFixed(1)} s`
  // exactly that form; a second line only when the 10 s target is missed
  return med < 10_000 ? line : `${line}\n  (two policies, ${solves} solves: over the 10 s target)`
}
