// A work budget for one solve, so that no instance can hold its caller (a Workers isolate serving
// other requests) beyond a stated limit. The network algorithms charge the arcs each of their
// phases scans (network.ts); past the limit the solve stops with PlanTimeLimitError.
//
// Why work and not only time: on Workers the clock does not advance while a request computes
// (Date.now() moves only across I/O), so a deadline alone would never fire there. The work count
// is deterministic and the same on every runtime; a wall-clock deadline is checked too, for the
// runtimes where the clock runs (the CLI, the bench, the tests in Node).

/** Arc scans: about 2 × what the national-scale bench region needs in disaster mode (450 sites, 18,000 lots, 1,800
 *  needs: 28 million routine, 46 million disaster, 0.6–1.1 s on this 2-core machine); some 2–4 s of work here.
 *  README, "Limits". */
export const DEFAULT_WORK_LIMIT = 100_000_000

export interface Budget {
  /** arc scans allowed (default: unlimited) */
  work?: number
  /** wall-clock milliseconds allowed where the clock runs (default: unlimited) */
  ms?: number
}

export class PlanTimeLimitError extends Error {
  constructor(
    readonly limit: Budget,
    readonly spent: number,
  ) {
    super(`The planner stopped: this instance needs more than ${describe(limit)}. Plan a smaller region or fewer lots and needs.`)
    this.name = 'PlanTimeLimitError'
  }
}

const describe = (b: Budget) =>
  [b.work !== undefined ? `${b.work.toLocaleString('en')} arc scans` : '', b.ms !== undefined ? `${b.ms} ms` : ''].filter(Boolean).join(' or ')

// The solve is synchronous, so one module-level budget is the current solve's (withBudget restores
// the outer one when solves nest).
let spent = 0
let limit: Budget = {}
let workLimit = Infinity
let deadline = Infinity
let lastSpent = 0

/** Runs f under the budget b; throws PlanTimeLimitError when f's work passes it. */
export function withBudget<T>(b: Budget | undefined, f: () => T): T {
  const saved = { spent, limit, workLimit, deadline }
  spent = 0
  limit = b ?? {}
  workLimit = b?.work ?? Infinity
  deadline = b?.ms !== undefined ? Date.now() + b.ms : Infinity
  try {
    return f()
  } finally {
    lastSpent = spent
    ;({ spent, limit, workLimit, deadline } = saved)
  }
}

/** Records `work` arc scans; called once per phase of an outer loop, never per arc. */
export function charge(work: number): void {
  spent += work
  if (spent > workLimit || (deadline !== Infinity && Date.now() > deadline)) throw new PlanTimeLimitError(limit, spent)
}

/** Work the last finished withBudget charged (for calibration and tests). */
export const workSpent = () => lastSpent
