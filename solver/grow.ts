/** a typed array of `size` holding `a`'s contents (typed arrays cannot grow in place) */
export function grow<T extends Int32Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as { new (n: number): T })(size)
  b.set(a)
  return b
}
