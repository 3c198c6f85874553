// The remote (block, need) arcs of a component model as columns in typed arrays (model.ts fills
// them; pricing.ts activates them).

/** Remote (block, need) arcs as columns: candidate i goes from chain node `from[i]` to the node of
 *  `need[i]` at `cost[i]`. Dense models (disaster mode) hold all of them in the graph; sparse ones
 *  (routine mode) start with a few per need and pricing.ts adds the rest as they are needed. */
export interface Candidates {
  n: number
  from: Int32Array
  cost: Int32Array // whole numbers (arcCost)
  need: Int32Array // index into ComponentModel.needs
  rank: Int8Array
  active: Uint8Array
  /** candidate indices grouped by need: those of needs[j] are order[needStart[j] .. needStart[j+1]) */
  order: Int32Array
  needStart: Int32Array
}

export function newCandidates(): Candidates {
  const size = 1024
  return {
    n: 0,
    from: new Int32Array(size),
    cost: new Int32Array(size),
    need: new Int32Array(size),
    rank: new Int8Array(size),
    active: new Uint8Array(size),
    order: new Int32Array(0),
    needStart: new Int32Array(0),
  }
}

export function pushCandidate(cd: Candidates, from: number, cost: number, need: number, rank: number): number {
  if (cd.n === cd.from.length) {
    const size = cd.n * 2
    const grow = <T extends Int32Array | Float64Array | Int8Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size)
      b.set(a)
      return b
    }
    cd.from = grow(cd.from)
    cd.cost = grow(cd.cost)
    cd.need = grow(cd.need)
    cd.rank = grow(cd.rank)
    cd.active = grow(cd.active)
  }
  const i = cd.n++
  cd.from[i] = from
  cd.cost[i] = cost
  cd.need[i] = need
  cd.rank[i] = rank
  return i
}

/** group candidate indices by need (counting sort; within a need, in block order) */
export function finishCandidates(cd: Candidates, nNeeds: number): void {
  const start = new Int32Array(nNeeds + 1)
  for (let i = 0; i < cd.n; i++) start[cd.need[i]! + 1]!++
  for (let j = 0; j < nNeeds; j++) start[j + 1]! += start[j]!
  const fill = start.slice(0, nNeeds)
  const order = new Int32Array(cd.n)
  for (let i = 0; i < cd.n; i++) order[fill[cd.need[i]!]!++] = i
  cd.order = order
  cd.needStart = start
}
