/**
 * A read-only view of a D1 database that sends the statements a caller runs in one go (the same turn of the event
 * loop) as one `db.batch()`: one round trip to the database instead of one per query, and one consistent snapshot
 * (a batch is a transaction). The national view reads about ten queries of each province's summary from 31
 * databases at once; one round trip per query made that 4 s locally, one per province well under 1 s.
 * Only reads: run() and exec() are refused.
 */
export function batchedReads(db: D1Database): D1Database {
  let queue: { stmt: D1PreparedStatement; resolve: (r: D1Result) => void; reject: (e: unknown) => void }[] = []
  const flush = () => {
    const q = queue
    queue = []
    db.batch(q.map((x) => x.stmt)).then(
      (rs) => {
        for (const [i, x] of q.entries()) x.resolve(rs[i]!)
      },
      (e) => {
        for (const x of q) x.reject(e)
      },
    )
  }
  const result = (stmt: D1PreparedStatement) =>
    new Promise<D1Result>((resolve, reject) => {
      // a macrotask, so statements issued after awaits that settle at once (microtasks) join the same batch
      if (queue.length === 0) setTimeout(flush, 0)
      queue.push({ stmt, resolve, reject })
    })
  const refused = () => Promise.reject(new Error('batchedReads: reads only'))
  const real = new WeakMap<object, D1PreparedStatement>()
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const w = {
      bind: (...values: unknown[]) => wrap(stmt.bind(...values)),
      all: () => result(stmt),
      first: async (column?: string) => {
        const row = (await result(stmt)).results[0] as Record<string, unknown> | undefined
        return row === undefined ? null : column === undefined ? row : row[column]
      },
      raw: async () => (await result(stmt)).results.map((r) => Object.values(r as Record<string, unknown>)),
      run: refused,
    }
    real.set(w, stmt)
    return w as unknown as D1PreparedStatement
  }
  // a caller's own batch of reads joins the same one
  const batch = (stmts: D1PreparedStatement[]) => Promise.all(stmts.map((s) => result(real.get(s)!)))
  return { prepare: (sql: string) => wrap(db.prepare(sql)), batch, exec: refused } as unknown as D1Database
}
