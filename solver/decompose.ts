// Flow → lots: turns a component's block flows into lot-level draws (which units of which lot
// serve which need). Within one block, lots of one kind (locked or free), class and expiry step
// are interchangeable for the network, so the used units are drawn nearest expiry first.
import type { Block, ComponentModel } from './model'
import type { PLot, PNeed } from './prepare'

/** units of lot `lot` given to need `need` */
export interface Draw {
  lot: PLot
  need: PNeed
  qty: number
  rank: number
  travelH: number
}

/** Turn block flows into lot → need draws: remote needs (most demanding class first) take the
 *  nearest-expiry free units that qualify, local needs take the rest of the units used. */
export function decompose(m: ComponentModel): Draw[] {
  const out: Draw[] = []
  for (const b of m.blocks) decomposeBlock(m, b, out)
  return out
}

export function decomposeBlock(m: ComponentModel, b: Block, out: Draw[]): void {
  const g = m.g
  if (!b.needArcs.some((a) => g.flow(a.edge) > 0)) return // most blocks give nothing
  // Lot arcs of one kind (locked or free), class and expiry-cost step are interchangeable for
  // the network: within such a group, draw the used units from the nearest-expiry lots first.
  // model.ts gives each such group one pooled arc.
  const groups = new Map<number, { arcs: typeof b.lotArcs; used: number }>()
  for (const a of b.lotArcs) {
    // lotArcs follow b.lots, sorted by expiry
    let grp = groups.get(a.edge)
    if (!grp) groups.set(a.edge, (grp = { arcs: [], used: g.flow(a.edge) }))
    grp.arcs.push(a)
  }
  const free = new Map<number, number>() // lot idx → free units used
  const locked = new Map<number, number>()
  for (const grp of groups.values()) {
    let left = grp.used
    for (const a of grp.arcs) {
      const q = Math.min(left, a.qty)
      left -= q
      if (q > 0) (a.locked ? locked : free).set(a.lot.idx, q)
    }
  }
  // class of each lot's free units (chain C) and of its locked units (chain L, disaster mode)
  const clsOfLot = new Map<number, number>()
  const lclsOfLot = new Map<number, number>()
  for (const a of b.lotArcs) (a.locked ? lclsOfLot : clsOfLot).set(a.lot.idx, a.cls)
  // per pool, the most demanding class first, each from the nearest-expiry units that qualify
  const remote = b.needArcs
    .filter((a) => !a.local && g.flow(a.edge) > 0)
    .sort((x, y) => Number(x.locked) - Number(y.locked) || y.cls - x.cls || x.need.idx - y.need.idx)
  for (const a of remote) {
    let want = g.flow(a.edge)
    const pool = a.locked ? locked : free
    const clsOf = a.locked ? lclsOfLot : clsOfLot
    for (const l of b.lots) {
      // b.lots is sorted by expiry
      if (want === 0) break
      const have = pool.get(l.idx) ?? 0
      if (have === 0 || (clsOf.get(l.idx) ?? 0) < a.cls) continue
      const q = Math.min(have, want)
      pool.set(l.idx, have - q)
      want -= q
      out.push({ lot: l, need: a.need, qty: q, rank: a.rank, travelH: a.travelH })
    }
    if (want !== 0) throw new Error('internal: remote decomposition failed')
  }
  const local = b.needArcs.filter((a) => a.local && g.flow(a.edge) > 0).sort((x, y) => x.need.idx - y.need.idx)
  for (const a of local) {
    let want = g.flow(a.edge)
    for (const l of b.lots) {
      if (want === 0) break
      for (const pool of [locked, free]) {
        const have = pool.get(l.idx) ?? 0
        const q = Math.min(have, want)
        if (q === 0) continue
        pool.set(l.idx, have - q)
        want -= q
        out.push({ lot: l, need: a.need, qty: q, rank: a.rank, travelH: 0 })
      }
    }
    if (want !== 0) throw new Error('internal: local decomposition failed')
  }
}
