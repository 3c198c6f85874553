// npm run bench (second part): the time to plan an incident of 500 casualties near Luding on the demo region, in
// disaster mode, with every open request of the region — the instance POST /api/plans {incidentId} builds from D1
// (worker/services/plan-instance.ts), rebuilt here from the demo generator in memory so no server is needed.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseInstance, solve, type Instance, type Lot, type Need, type Reserve } from '../solver/index'
import { demoRegion } from '../seed/demo'
import { estimateNeeds, type Factor, type Triage } from '../solver/incident-demand'
import { estimatedRoadHours as roadHours } from '../solver/timing'

// the project root, whether this runs from bench/ (tsx) or from its bundle in dist/node/bench/ (scripts/built.mjs)
const ROOT = [path.resolve(import.meta.dirname, '..'), path.resolve(import.meta.dirname, '../../..'), process.cwd()].find((r) =>
  existsSync(path.join(r, 'migrations/0030_incidents.sql')),
)!
const sql = readFileSync(path.join(ROOT, 'migrations/0030_incidents.sql'), 'utf8')
// the stored planning factors and triage deadlines, read from the migration that stores them
const factors: Factor[] = [...sql.matchAll(/\('(critical|severe|moderate)',\s*'(RBC|FFP|PLT|CRYO)',\s*([\d.]+),\s+([\d.]+),/g)].map((m) => ({
  category: m[1] as Factor['category'],
  component: m[2],
  shareTransfused: Number(m[3]),
  unitsPerPatient: Number(m[4]),
}))
const triage: Triage[] = [...sql.matchAll(/\('(critical|severe|moderate)',\s*'(emergency|urgent|routine)',\s*([\d.]+),/g)].map((m) => ({
  category: m[1] as Triage['category'],
  urgency: m[2] as Triage['urgency'],
  deadlineHours: Number(m[3]),
}))
const shares = [
  ['O', 0.342],
  ['A', 0.287],
  ['B', 0.282],
  ['AB', 0.089],
].flatMap(([abo, s]) => [
  { abo: abo as string, rhd: '+', share: (s as number) * 0.9965 },
  { abo: abo as string, rhd: '-', share: (s as number) * 0.0035 },
])
/** warning_policy.red_days (migrations/0001_init.sql), the same in both provinces */
const RED_DAYS: Record<string, number> = { RBC: 3, WB: 3, PLT: 1, FFP: 7, CRYO: 7 }
const LUDING = { lat: 29.914, lng: 102.235 }
/** 500 casualties in a common mass-casualty triage mix: 10 % critical, 30 % severe, 60 % moderate */
const CASUALTIES = { critical: 50, severe: 150, moderate: 300 }

async function main() {
  if (factors.length !== 12 || triage.length !== 3)
    throw new Error(`read ${factors.length} planning factors and ${triage.length} triage rows from 0030_incidents.sql; expected 12 and 3`)
  const now = new Date()
  const demo = await demoRegion({ now })
  const nowIso = demo.now
  const nowMs = Date.parse(nowIso)
  // the region's sites only: hospitals' blood banks (issue 23) are not the planner's unless a coordinator asks
  const region = new Set(demo.sites.map((s) => s.id))
  const lotById = new Map(demo.lots.filter((l) => region.has(l.siteId)).map((l) => [l.id, l]))
  const qty = new Map<string, number>()
  for (const m of demo.movements) if (lotById.has(m.lotId)) qty.set(m.lotId, (qty.get(m.lotId) ?? 0) + m.delta)
  const issued = new Map<string, number>()
  const since = nowMs - 14 * 86_400_000
  for (const m of demo.movements) {
    if (m.kind !== 'issue' || Date.parse(m.at) < since || !lotById.has(m.lotId)) continue
    const l = lotById.get(m.lotId)!
    const k = `${l.siteId}|${l.component}|${l.abo}|${l.rhd}`
    issued.set(k, (issued.get(k) ?? 0) - m.delta)
  }
  const reserves: Reserve[] = [...issued]
    .map(([k, n]) => {
      const [site, component, abo, rhd] = k.split('|')
      return {
        site,
        component: component as Reserve['component'],
        abo: abo as Reserve['abo'],
        rhd: rhd as Reserve['rhd'],
        qty: Math.ceil((n / 14) * RED_DAYS[component]),
      }
    })
    .filter((r) => r.qty > 0)

  const receiving = [...demo.sites].filter((s) => s.kind !== 'storage').sort((a, b) => roadHours(LUDING, a) - roadHours(LUDING, b))[0]
  const estimate = estimateNeeds(CASUALTIES, factors, triage, shares, nowIso, receiving.id)
  const needs: Need[] = [
    ...demo.requests
      .filter((r) => !r.antigens)
      .map((r) => ({ id: r.id, site: r.siteId, component: r.component, abo: r.abo, rhd: r.rhd, qty: r.qty, urgency: r.urgency, neededBy: r.neededBy })),
    ...estimate.map((l, i) => ({
      id: `inc-${i}`,
      site: l.siteId,
      component: l.component as Need['component'],
      abo: l.abo as Need['abo'],
      rhd: l.rhd as Need['rhd'],
      qty: l.qty,
      urgency: l.urgency,
      neededBy: l.neededBy,
    })),
  ]
  const asking = new Set(needs.map((n) => `${n.site}|${n.component}`))
  const lots: Lot[] = [...lotById.values()]
    .filter((l) => !l.antigens && (qty.get(l.id) ?? 0) > 0 && Date.parse(l.expiresAt) > nowMs && !asking.has(`${l.siteId}|${l.component}`))
    .map((l) => ({ id: l.id, site: l.siteId, component: l.component, abo: l.abo, rhd: l.rhd, qty: qty.get(l.id)!, expiresAt: l.expiresAt }))
  const instance: Instance = parseInstance({
    now: nowIso,
    sites: demo.sites.map((s) => ({ id: s.id, name: s.nameEn, lat: s.lat, lng: s.lng })),
    lots,
    reserves,
    needs,
    options: { mode: 'disaster' },
  })
  solve(instance) // warm up the JIT
  const runs = Number(process.env.BENCH_RUNS ?? 5)
  const ts: number[] = []
  let res = solve(instance)
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    res = solve(instance)
    ts.push(performance.now() - t0)
  }
  const median = [...ts].sort((a, b) => a - b)[Math.floor(ts.length / 2)]!
  const demand = estimate.reduce((s, l) => s + l.qty, 0)
  const u = res.summary.unmetUnits
  console.log(
    `\nIncident: 500 casualties near Luding (${CASUALTIES.critical} critical, ${CASUALTIES.severe} severe, ${CASUALTIES.moderate} moderate) on the demo region, disaster mode`,
  )
  console.log(
    `  receiving ${receiving.id}; ${demand} units estimated in ${estimate.length} needs, with ${needs.length - estimate.length} open requests; ${lots.length} lots, ${reserves.length} reserves`,
  )
  console.log(
    `  plan: median ${median.toFixed(0)} ms over ${runs} runs (best ${Math.min(...ts).toFixed(0)} ms); ${res.transfers.length} transfers; unmet E/U/R ${u.emergency}/${u.urgent}/${u.routine}; exact ${res.summary.exact}`,
  )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
