// Seeded generator of realistic regional instances (Sichuan–Chongqing-like geography,
// Chinese blood-group shares, five components), for the bench and for tests.
import type { Abo, Component, Instance, Lot, Need, Reserve, Rhd, Urgency } from '../solver/types'
import { prng as rng } from '../solver/simulation/random'

const CITIES: [string, string, number, number][] = [
  ['CD', 'Chengdu', 30.657, 104.066],
  ['CQ', 'Chongqing', 29.563, 106.551],
  ['MY', 'Mianyang', 31.467, 104.679],
  ['DY', 'Deyang', 31.127, 104.398],
  ['YB', 'Yibin', 28.752, 104.643],
  ['NC', 'Nanchong', 30.837, 106.11],
  ['LZ', 'Luzhou', 28.871, 105.442],
  ['ZG', 'Zigong', 29.339, 104.778],
  ['NJ', 'Neijiang', 29.58, 105.058],
  ['LS', 'Leshan', 29.552, 103.766],
  ['MS', 'Meishan', 30.075, 103.848],
  ['SN', 'Suining', 30.533, 105.593],
  ['GY', 'Guangyuan', 32.436, 105.844],
  ['BZ', 'Bazhong', 31.858, 106.747],
  ['DZ', 'Dazhou', 31.209, 107.468],
  ['GA', "Guang'an", 30.456, 106.633],
  ['ZY', 'Ziyang', 30.129, 104.627],
  ['YA', "Ya'an", 29.98, 103.013],
  ['PZ', 'Panzhihua', 26.582, 101.718],
  ['XC', 'Xichang', 27.894, 102.264],
  ['KD', 'Kangding', 30.049, 101.964],
  ['MK', 'Barkam', 31.899, 102.221],
]
const GROUPS: [Abo, number][] = [
  ['O', 0.342],
  ['A', 0.287],
  ['B', 0.282],
  ['AB', 0.089],
]
const COMP_SHARE: [Component, number][] = [
  ['RBC', 0.45],
  ['WB', 0.1],
  ['FFP', 0.25],
  ['PLT', 0.1],
  ['CRYO', 0.1],
]
const LIFE_H: Record<Component, number> = { WB: 35 * 24, RBC: 35 * 24, PLT: 5 * 24, FFP: 365 * 24, CRYO: 365 * 24 }

export interface GenOptions {
  sites: number
  lotsPerSite?: number
  needsPerSite?: number
  seed?: number
  rhNegShare?: number
  /** a few rare red-cell lots (antigen profiles, half of them frozen) and antigen-matched needs (default true) */
  rare?: boolean
}
const PROFILES = ['Fy(a-)', 'Jk(a-b-)', 'Fy(a-),Jk(a-b-)']

export function generateInstance(o: GenOptions): Instance {
  const r = rng(o.seed ?? 1)
  const pick = <T>(shares: [T, number][]): T => {
    let x = r()
    for (const [v, s] of shares) {
      if ((x -= s) < 0) return v
    }
    return shares[shares.length - 1]![0]
  }
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))
  const rhNeg = o.rhNegShare ?? 0.004
  const group = (negBoost = 1): [Abo, Rhd] => [pick(GROUPS), r() < rhNeg * negBoost ? '-' : '+']
  const now = Date.parse('2026-01-20T08:00:00Z')
  const iso = (h: number) => new Date(now + Math.round(h * 60) * 60_000).toISOString()
  const sites = Array.from({ length: o.sites }, (_, i) => {
    const c = CITIES[i]
    if (c) return { id: c[0], name: `${c[1]} Central Blood Station`, lat: c[2], lng: c[3] }
    return { id: `K${i}`, name: `County storage point ${i}`, lat: 27 + r() * 5.5, lng: 101.5 + r() * 7 }
  })
  const lots: Lot[] = []
  const needs: Need[] = []
  const reserves: Reserve[] = []
  const lotsPerSite = o.lotsPerSite ?? 40,
    needsPerSite = o.needsPerSite ?? 4
  for (const s of sites) {
    for (let k = 0; k < lotsPerSite; k++) {
      const component = pick(COMP_SHARE)
      const [abo, rhd] = group()
      const qty = component === 'PLT' ? int(1, 6) : int(2, 30)
      lots.push({ id: `${s.id}-L${k}`, site: s.id, component, abo, rhd, qty, expiresAt: iso(r() * LIFE_H[component]) })
    }
    for (const [abo, q] of [
      ['O', 30],
      ['A', 20],
      ['B', 20],
    ] as const) {
      if (r() < 0.5) reserves.push({ site: s.id, component: 'RBC', abo, rhd: '+', qty: int(5, q) })
    }
    for (let k = 0; k < needsPerSite; k++) {
      const component = pick(COMP_SHARE)
      const [abo, rhd] = group(8) // RhD− patients are more often the hard cases sent to the planner
      const urgency: Urgency = r() < 0.2 ? 'emergency' : r() < 0.4 ? 'urgent' : 'routine'
      const byH = urgency === 'emergency' ? 2 + r() * 6 : urgency === 'urgent' ? 6 + r() * 18 : 24 + r() * 48
      const qty = component === 'PLT' ? int(1, 8) : int(10, 80)
      needs.push({
        id: `${s.id}-N${k}`,
        site: s.id,
        component,
        abo,
        rhd,
        qty,
        urgency,
        neededBy: iso(byH),
        ...(rhd === '-' && urgency === 'emergency' ? { allowRhPositive: true } : {}),
      })
    }
  }
  if (o.rare ?? true) {
    // drawn from a stream of their own, so the rest of the region is the same with or without them
    const r2 = rng((o.seed ?? 1) + 7919)
    for (const s of sites) {
      if (r2() < 0.15) {
        const frozen = r2() < 0.5
        const abo = (['O', 'A', 'B'] as const)[Math.floor(r2() * 3)]!
        lots.push({
          id: `${s.id}-R`,
          site: s.id,
          component: 'RBC',
          abo,
          rhd: '+',
          qty: 1 + Math.floor(r2() * 4),
          expiresAt: frozen ? iso(24 * 365 * 5) : iso(72 + r2() * (LIFE_H.RBC - 72)),
          antigens: PROFILES[Math.floor(r2() * 3)]!,
          ...(frozen ? { frozen: true } : {}),
        })
      }
      if (r2() < 0.05) {
        needs.push({
          id: `${s.id}-NR`,
          site: s.id,
          component: 'RBC',
          abo: 'O',
          rhd: '+',
          qty: 1 + Math.floor(r2() * 3),
          urgency: 'urgent',
          neededBy: iso(6 + r2() * 18),
          antigens: PROFILES[Math.floor(r2() * 2)]!,
        })
      }
    }
  }
  return { now: iso(0), sites, lots, reserves, needs }
}
