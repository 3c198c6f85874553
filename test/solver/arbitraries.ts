// fast-check generator of small random instances that exercise every rule: mixed groups with
// many RhD− units, deadlines that exclude far stations, short expiries, reserves, travelHours,
// rare antigen profiles on lots and needs, frozen red cells, transit limits.
import fc from 'fast-check'
import type { Instance } from '../../solver/types'

const NOW = Date.parse('2026-03-01T06:00:00Z')
const iso = (h: number) => new Date(NOW + h * 3_600_000).toISOString()
const COMPONENTS = ['WB', 'RBC', 'PLT', 'FFP', 'CRYO'] as const
const ABOS = ['O', 'A', 'B', 'AB'] as const
/** antigen profiles: none (most), one antigen, two (covers the one), another */
const PROFILES = ['', '', '', 'Fy(a-)', 'Jk(a-b-),Fy(a-)', 'Jk(a-b-)'] as const

export function instanceArb(opts: { maxSites?: number; maxLots?: number; maxNeeds?: number } = {}): fc.Arbitrary<Instance> {
  const maxSites = opts.maxSites ?? 5,
    maxLots = opts.maxLots ?? 14,
    maxNeeds = opts.maxNeeds ?? 8
  return fc
    .record({
      nSites: fc.integer({ min: 1, max: maxSites }),
      comps: fc.subarray([...COMPONENTS], { minLength: 1, maxLength: 3 }),
      seedLots: fc.array(
        fc.record({
          s: fc.nat(),
          c: fc.nat(),
          abo: fc.constantFrom(...ABOS),
          neg: fc.boolean(),
          qty: fc.integer({ min: 0, max: 20 }),
          expH: fc.integer({ min: -10, max: 400 }),
          id: fc.boolean(),
          ag: fc.nat({ max: PROFILES.length - 1 }),
          frozen: fc.integer({ min: 0, max: 2 }),
        }),
        { maxLength: maxLots },
      ),
      seedNeeds: fc.array(
        fc.record({
          s: fc.nat(),
          c: fc.nat(),
          abo: fc.constantFrom(...ABOS),
          neg: fc.boolean(),
          qty: fc.integer({ min: 0, max: 15 }),
          urg: fc.constantFrom('emergency', 'urgent', 'routine' as const),
          byH: fc.option(fc.integer({ min: -1, max: 12 })),
          allowPos: fc.boolean(),
          ag: fc.nat({ max: PROFILES.length - 1 }),
        }),
        { maxLength: maxNeeds },
      ),
      seedRes: fc.array(fc.record({ l: fc.nat(), qty: fc.integer({ min: 0, max: 25 }) }), { maxLength: 3 }),
      coords: fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 })), { minLength: maxSites, maxLength: maxSites }),
      travel: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 20 })), { maxLength: 6 }),
      mode: fc.constantFrom('routine', 'disaster', undefined),
      minRem: fc.option(fc.record({ PLT: fc.integer({ min: 0, max: 48 }), RBC: fc.integer({ min: 0, max: 200 }) })),
      transit: fc.option(fc.record({ RBC: fc.integer({ min: 1, max: 8 }), WB: fc.integer({ min: 1, max: 8 }), PLT: fc.integer({ min: 1, max: 8 }) })),
      thaw: fc.option(fc.record({ thawHours: fc.integer({ min: 0, max: 4 }), thawedMinRemainingHours: fc.integer({ min: 0, max: 20 }) })),
    })
    .map((r) => {
      const sites = Array.from({ length: r.nSites }, (_, i) => ({
        id: `S${i}`,
        name: `Site ${i}`,
        lat: 28.5 + r.coords[i]![0] / 100,
        lng: 103 + r.coords[i]![1] / 100,
      }))
      const site = (k: number) => sites[k % sites.length]!.id
      const comp = (k: number) => r.comps[k % r.comps.length]!
      const lots = r.seedLots.map((l, i) => ({
        ...(l.id ? { id: `L${i}` } : {}),
        site: site(l.s),
        component: comp(l.c),
        abo: l.abo,
        rhd: (l.neg ? '-' : '+') as '+' | '-',
        qty: l.qty,
        expiresAt: iso(comp(l.c) === 'PLT' ? l.expH / 8 : comp(l.c) === 'FFP' || comp(l.c) === 'CRYO' ? 100 + l.expH : l.expH),
        ...(PROFILES[l.ag] ? { antigens: PROFILES[l.ag] } : {}),
        ...(comp(l.c) === 'RBC' && l.frozen === 0 ? { frozen: true } : {}), // a frozen lot's expiry is its frozen one (here it may fall before thawing ends)
      }))
      const needs = r.seedNeeds.map((n, j) => ({
        id: `N${j}`,
        site: site(n.s),
        component: comp(n.c),
        abo: n.abo,
        rhd: (n.neg ? '-' : '+') as '+' | '-',
        qty: n.qty,
        urgency: n.urg,
        // allowRhPositive only where the contract allows it: an RhD− emergency need
        ...(n.byH === null ? {} : { neededBy: iso(n.byH) }),
        ...(n.allowPos && n.neg && n.urg === 'emergency' ? { allowRhPositive: true } : {}),
        ...(PROFILES[n.ag] ? { antigens: PROFILES[n.ag] } : {}),
      }))
      const reserves =
        lots.length === 0
          ? []
          : r.seedRes.map((x) => {
              const l = lots[x.l % lots.length]!
              return { site: l.site, component: l.component, abo: l.abo, rhd: l.rhd, qty: x.qty }
            })
      const travelHours: Record<string, Record<string, number>> = {}
      for (const [a, b, h] of r.travel) (travelHours[site(a)] ??= {})[site(b)] = h / 2
      const inst: Instance = { now: iso(0), sites, travelHours, lots, reserves, needs }
      if (r.minRem) inst.options = { minRemainingHours: r.minRem }
      if (r.transit) inst.options = { ...inst.options, maxTransitHours: r.transit }
      if (r.thaw) inst.options = { ...inst.options, ...r.thaw }
      if (r.mode) inst.options = { ...inst.options, mode: r.mode as 'routine' | 'disaster' }
      return inst
    })
}

/** Rich disaster-mode generator (the one that found the lock search's gaps): five sites with a
 *  fixed road matrix, three donor stations, O+/O− red cells with tight shelf life (72–130 h left
 *  against the 72 h minimum, so travel decides which lots a need can use), up to 12 lots and 12
 *  needs, reserves on the donor stations' groups, always `mode: "disaster"`. */
export function disasterArb(opts: { maxLots?: number; maxNeeds?: number } = {}): fc.Arbitrary<Instance> {
  const S = ['A', 'B', 'C', 'D', 'E'] as const
  const road: Record<string, number> = { AB: 3, AC: 8, AD: 20, AE: 2, BC: 5, BD: 17, BE: 14, CD: 12, CE: 6, DE: 19 }
  return fc
    .record({
      lots: fc.array(
        fc.record({ s: fc.integer({ min: 0, max: 2 }), neg: fc.boolean(), qty: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 72, max: 130 }) }),
        { minLength: 1, maxLength: opts.maxLots ?? 12 },
      ),
      needs: fc.array(
        fc.record({
          s: fc.integer({ min: 0, max: 4 }),
          neg: fc.boolean(),
          qty: fc.integer({ min: 1, max: 9 }),
          urg: fc.constantFrom('emergency', 'urgent', 'routine' as const),
        }),
        { minLength: 1, maxLength: opts.maxNeeds ?? 12 },
      ),
      res: fc.array(fc.record({ s: fc.integer({ min: 0, max: 2 }), neg: fc.boolean(), qty: fc.integer({ min: 0, max: 10 }) }), { minLength: 1, maxLength: 4 }),
    })
    .map((r) => {
      const travelHours: Record<string, Record<string, number>> = {}
      for (const [pair, h] of Object.entries(road)) {
        ;(travelHours[pair[0]!] ??= {})[pair[1]!] = h
        ;(travelHours[pair[1]!] ??= {})[pair[0]!] = h
      }
      const rhd = (neg: boolean) => (neg ? '-' : '+') as '+' | '-'
      const inst: Instance = {
        now: iso(0),
        travelHours,
        sites: S.map((id, i) => ({ id, name: `Site ${id}`, lat: 30 + i * 0.01, lng: 104 })),
        lots: r.lots.map((l, i) => ({ id: `L${i}`, site: S[l.s]!, component: 'RBC', abo: 'O', rhd: rhd(l.neg), qty: l.qty, expiresAt: iso(l.h) })),
        needs: r.needs.map((n, j) => ({ id: `n${j}`, site: S[n.s]!, component: 'RBC', abo: 'O', rhd: rhd(n.neg), qty: n.qty, urgency: n.urg })),
        reserves: r.res.map((x) => ({ site: S[x.s]!, component: 'RBC', abo: 'O', rhd: rhd(x.neg), qty: x.qty })),
        options: { mode: 'disaster' },
      }
      return inst
    })
}

/** Fair-shares generator: red cells only, routine mode, no reserves, three to six stations whose
 *  road hours are all 1 or 2 h and lots with 14–16 days left (one expiry step), mostly O and A: so
 *  many donors are equally placed and the cheapest plans tie; needs of every group and urgency. */
export function fairArb(): fc.Arbitrary<Instance> {
  return fc
    .record({
      nSites: fc.integer({ min: 3, max: 6 }),
      hours: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 15, maxLength: 15 }),
      lots: fc.array(
        fc.record({
          s: fc.nat(),
          abo: fc.constantFrom('O', 'O', 'A', 'B' as const),
          qty: fc.integer({ min: 1, max: 20 }),
          expD: fc.integer({ min: 14, max: 16 }),
        }),
        { minLength: 3, maxLength: 16 },
      ),
      needs: fc.array(
        fc.record({
          s: fc.nat(),
          abo: fc.constantFrom('O', 'A', 'B', 'AB' as const),
          qty: fc.integer({ min: 1, max: 12 }),
          urg: fc.constantFrom('emergency', 'urgent', 'routine' as const),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    })
    .map((r) => {
      const sites = Array.from({ length: r.nSites }, (_, i) => ({ id: `S${i}`, name: `Site ${i}`, lat: 30 + i / 10, lng: 104 }))
      const travelHours: Record<string, Record<string, number>> = {}
      let k = 0
      for (let a = 0; a < r.nSites; a++)
        for (let b = a + 1; b < r.nSites; b++) {
          const h = r.hours[k++ % r.hours.length]!
          ;(travelHours[`S${a}`] ??= {})[`S${b}`] = h
          ;(travelHours[`S${b}`] ??= {})[`S${a}`] = h
        }
      const lots = r.lots.map((l, i) => ({
        id: `L${i}`,
        site: `S${l.s % r.nSites}`,
        component: 'RBC' as const,
        abo: l.abo,
        rhd: '+' as const,
        qty: l.qty,
        expiresAt: iso(l.expD * 24),
      }))
      const needs = r.needs.map((n, j) => ({
        id: `N${j}`,
        site: `S${n.s % r.nSites}`,
        component: 'RBC' as const,
        abo: n.abo,
        rhd: '+' as const,
        qty: n.qty,
        urgency: n.urg,
      }))
      return { now: iso(0), sites, travelHours, lots, reserves: [], needs }
    })
}
