// Independent restatement of the contract's rules for the test oracle and checker.
// Deliberately written as explicit tables, not by importing solver/compat.ts.
import type { Instance } from '../../solver/types'

const RED: Record<string, string[]> = { O: ['O', 'A', 'B', 'AB'], A: ['A', 'AB'], B: ['B', 'AB'], AB: ['AB'] } // donor → recipients
const PLASMA: Record<string, string[]> = { AB: ['AB', 'A', 'B', 'O'], A: ['A', 'O'], B: ['B', 'O'], O: ['O'] }

export function compatible(component: string, dAbo: string, dRhd: string, need: { abo: string; rhd: string; allowRhPositive?: boolean }): boolean {
  let abo: boolean
  if (component === 'WB') abo = dAbo === need.abo
  else if (component === 'RBC') abo = RED[dAbo]!.includes(need.abo)
  else abo = PLASMA[dAbo]!.includes(need.abo)
  if (!abo) return false
  if (component === 'FFP' || component === 'CRYO') return true
  if (dRhd === '-' || need.rhd === '+') return true
  return need.allowRhPositive === true
}

const DEFAULT_MIN: Record<string, number> = { WB: 72, RBC: 72, PLT: 12, FFP: 168, CRYO: 168 }

export function hours(inst: Instance, from: string, to: string): number {
  if (from === to) return 0
  const t = inst.travelHours?.[from]?.[to]
  if (t !== undefined) return t
  const a = inst.sites.find((s) => s.id === from)!, b = inst.sites.find((s) => s.id === to)!
  const r = Math.PI / 180
  const h = Math.sin(((b.lat - a.lat) * r) / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lng - a.lng) * r) / 2) ** 2
  const km = 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)))
  return (km * 1.3) / 60
}

/** can one unit of lot i serve need j (compatible, in time, in date)? */
export function usable(inst: Instance, i: number, j: number): boolean {
  const l = inst.lots[i]!, n = inst.needs[j]!
  if (l.component !== n.component || !compatible(l.component, l.abo, l.rhd, n)) return false
  const now = Date.parse(inst.now)
  const t = hours(inst, l.site, n.site)
  if (n.neededBy !== undefined && now + t * 3_600_000 > Date.parse(n.neededBy)) return false
  const minRem = inst.options?.minRemainingHours?.[l.component] ?? DEFAULT_MIN[l.component]!
  return Date.parse(l.expiresAt) >= now + (t + minRem) * 3_600_000
}

/** outbound limit per `site|component|abo|rhd`: stock of all lots − summed reserves */
export function outboundLimits(inst: Instance): Map<string, number> {
  const key = (o: { site: string; component: string; abo: string; rhd: string }) => `${o.site}|${o.component}|${o.abo}|${o.rhd}`
  const res = new Map<string, number>()
  for (const r of inst.reserves ?? []) res.set(key(r), (res.get(key(r)) ?? 0) + r.qty)
  const out = new Map<string, number>()
  for (const [k, r] of res) {
    const stock = inst.lots.filter((l) => key(l) === k).reduce((a, l) => a + l.qty, 0)
    out.set(k, Math.max(0, stock - r))
  }
  return out
}

const SHELF_H: Record<string, number> = { WB: 840, RBC: 840, PLT: 120, FFP: 8760, CRYO: 8760 }

/** The documented preference cost of one unit of lot i serving need j (solver/README.md). */
export function unitCost(inst: Instance, i: number, j: number): number {
  const l = inst.lots[i]!, n = inst.needs[j]!
  const plasma = l.component !== 'WB' && l.component !== 'RBC'
  const universal = plasma ? 'AB' : 'O'
  const aboTier = l.abo === n.abo ? 0 : l.abo === universal ? 2 : 1
  const rank = l.component === 'FFP' || l.component === 'CRYO' ? aboTier * 2 + (l.rhd === n.rhd ? 0 : 1) : (l.rhd === n.rhd ? 0 : 3) + aboTier
  const remaining = (Date.parse(l.expiresAt) - Date.parse(inst.now)) / 3_600_000
  const step = Math.max(0, Math.min(9, Math.floor((10 * remaining) / SHELF_H[l.component]!)))
  return rank * 1000 + Math.round(hours(inst, l.site, n.site)) * 10 + step
}
