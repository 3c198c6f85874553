// Seeded randomness: mulberry32 plus Poisson and group draws. Deterministic on every platform.

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A Poisson draw: Knuth's product method below mean 30, a rounded normal above. */
export function poisson(rand: () => number, mean: number): number {
  if (!(mean > 0)) return 0
  if (mean < 30) {
    const limit = Math.exp(-mean)
    let k = 0
    let p = rand()
    while (p > limit) {
      k++
      p *= rand()
    }
    return k
  }
  const u1 = Math.max(rand(), 1e-12)
  const u2 = rand()
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * z))
}

/** Splits `n` units over categories by `shares` (summing to 1): a multinomial draw. */
export function split(rand: () => number, n: number, shares: readonly number[]): number[] {
  const out = shares.map(() => 0)
  let left = n
  let mass = 1
  for (let i = 0; i < shares.length - 1 && left > 0; i++) {
    const p = mass > 0 ? Math.min(1, shares[i]! / mass) : 0
    out[i] = binomial(rand, left, p)
    left -= out[i]!
    mass -= shares[i]!
  }
  out[shares.length - 1] = (out[shares.length - 1] ?? 0) + left
  return out
}

/** Binomial draw: exact for small n, normal approximation for large n. */
export function binomial(rand: () => number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0
  if (p >= 1) return n
  if (n < 40) {
    let k = 0
    for (let i = 0; i < n; i++) if (rand() < p) k++
    return k
  }
  const u1 = Math.max(rand(), 1e-12)
  const u2 = rand()
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
  return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * z)))
}
