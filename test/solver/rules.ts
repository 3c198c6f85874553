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
  const a = inst.sites.find((s) => s.id === from)!,
    b = inst.sites.find((s) => s.id === to)!
  const r = Math.PI / 180
  const h = Math.sin(((b.lat - a.lat) * r) / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lng - a.lng) * r) / 2) ** 2
  const km = 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)))
  return (km * 1.3) / 60
}

const MAX_TRANSIT: Record<string, number> = { WB: 24, RBC: 24 }
const antigens = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)

/** antigen rule: a need asking for antigens takes lots carrying all of them; an ordinary need takes no lot with a profile */
export function antigensOk(lotAntigens: string | undefined, needAntigens: string | undefined): boolean {
  const have = antigens(lotAntigens),
    want = antigens(needAntigens)
  return want.length === 0 ? have.length === 0 : want.every((a) => have.includes(a))
}

/** hours before a unit of lot i can leave (thawing a frozen unit) */
export const thawHours = (inst: Instance, i: number) => (inst.lots[i]!.frozen ? (inst.options?.thawHours ?? 2) : 0)

/** is the route from lot i's site to need j's site within the component's transit limit? */
export function routeOk(inst: Instance, i: number, j: number): boolean {
  const l = inst.lots[i]!,
    n = inst.needs[j]!
  const max = inst.options?.maxTransitHours?.[l.component] ?? MAX_TRANSIT[l.component] ?? Infinity
  return l.site === n.site || hours(inst, l.site, n.site) <= max
}

/** expiry of lot i as the rules see it: a frozen unit lives 24 h after thawing ends (if its frozen expiry allows thawing) */
export function expiryMs(inst: Instance, i: number): number {
  const l = inst.lots[i]!
  if (!l.frozen) return Date.parse(l.expiresAt)
  const ready = Date.parse(inst.now) + thawHours(inst, i) * 3_600_000
  return Date.parse(l.expiresAt) >= ready ? ready + 24 * 3_600_000 : -Infinity
}

/** can one unit of lot i serve need j (compatible incl. antigens, route within the limit, in time, in date)? */
export function usable(inst: Instance, i: number, j: number): boolean {
  const l = inst.lots[i]!,
    n = inst.needs[j]!
  if (l.component !== n.component || !compatible(l.component, l.abo, l.rhd, n) || !antigensOk(l.antigens, n.antigens)) return false
  if (!routeOk(inst, i, j)) return false
  const ready = Date.parse(inst.now) + thawHours(inst, i) * 3_600_000
  const t = hours(inst, l.site, n.site)
  if (n.neededBy !== undefined && ready + t * 3_600_000 > Date.parse(n.neededBy)) return false
  const minRem = l.frozen ? (inst.options?.thawedMinRemainingHours ?? 6) : (inst.options?.minRemainingHours?.[l.component] ?? DEFAULT_MIN[l.component]!)
  return expiryMs(inst, i) >= ready + (t + minRem) * 3_600_000
}

/** is lot i held by reserves at all? Only ordinary liquid stock is (no antigen profile, not frozen). */
export const reservable = (l: { antigens?: string; frozen?: boolean }) => antigens(l.antigens).length === 0 && !l.frozen

/** outbound limit per `site|component|abo|rhd`: stock of its ordinary liquid lots − summed reserves */
export function outboundLimits(inst: Instance): Map<string, number> {
  const key = (o: { site: string; component: string; abo: string; rhd: string }) => `${o.site}|${o.component}|${o.abo}|${o.rhd}`
  const res = new Map<string, number>()
  for (const r of inst.reserves ?? []) res.set(key(r), (res.get(key(r)) ?? 0) + r.qty)
  const out = new Map<string, number>()
  for (const [k, r] of res) {
    const stock = inst.lots.filter((l) => key(l) === k && reservable(l)).reduce((a, l) => a + l.qty, 0)
    out.set(k, Math.max(0, stock - r))
  }
  return out
}

const SHELF_H: Record<string, number> = { WB: 840, RBC: 840, PLT: 120, FFP: 8760, CRYO: 8760 }

/** The documented preference cost of one unit of lot i serving need j (solver/README.md). */
export function unitCost(inst: Instance, i: number, j: number): number {
  const l = inst.lots[i]!,
    n = inst.needs[j]!
  const plasma = l.component !== 'WB' && l.component !== 'RBC'
  const universal = plasma ? 'AB' : 'O'
  const aboTier = l.abo === n.abo ? 0 : l.abo === universal ? 2 : 1
  const rank = l.component === 'FFP' || l.component === 'CRYO' ? aboTier * 2 + (l.rhd === n.rhd ? 0 : 1) : (l.rhd === n.rhd ? 0 : 3) + aboTier
  const remaining = (expiryMs(inst, i) - Date.parse(inst.now)) / 3_600_000
  const step = Math.max(0, Math.min(9, Math.floor((10 * remaining) / SHELF_H[l.component]!)))
  return rank * 1000 + Math.round(hours(inst, l.site, n.site)) * 10 + step + (l.frozen ? 500 : 0)
}
