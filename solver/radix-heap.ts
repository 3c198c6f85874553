import { grow } from './grow'

/** Monotone priority queue for whole-number keys (Dijkstra with non-negative integer reduced
 *  costs: keys never fall below the last one popped). Bucket i holds keys whose highest bit
 *  differing from the last popped key is bit i − 1; popping re-buckets only the first non-empty
 *  bucket, each key at most once per bit, so a pop costs O(1) amortised instead of a binary
 *  heap's O(log n) comparisons. Entries live in typed arrays linked per bucket, reused across
 *  searches, so a search allocates nothing. Stale entries are skipped by the caller (`done`). */
export class RadixHeap {
  private key = new Float64Array(1024)
  private val = new Int32Array(1024)
  private nxt = new Int32Array(1024)
  private head = new Int32Array(65).fill(-1)
  private used = 0 // slots handed out since reset
  private free = -1 // slots given back by pop
  private last = 0
  size = 0
  reset() {
    this.head.fill(-1)
    this.used = 0
    this.free = -1
    this.size = 0
    this.last = 0
  }
  private bucket(k: number): number {
    if (k === this.last) return 0
    const hi = Math.floor(k / 4294967296) ^ Math.floor(this.last / 4294967296)
    return hi !== 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32((k >>> 0) ^ (this.last >>> 0))
  }
  push(v: number, k: number) {
    let x = this.free
    if (x !== -1) this.free = this.nxt[x]!
    else {
      if (this.used === this.key.length) {
        const size = this.used * 2
        this.key = grow(this.key, size)
        this.val = grow(this.val, size)
        this.nxt = grow(this.nxt, size)
      }
      x = this.used++
    }
    this.key[x] = k
    this.val[x] = v
    const b = this.bucket(k)
    this.nxt[x] = this.head[b]!
    this.head[b] = x
    this.size++
  }
  pop(): number {
    const { key, nxt, head } = this
    if (head[0] === -1) {
      let i = 1
      while (head[i] === -1) i++
      let min = Infinity
      for (let x = head[i]!; x !== -1; x = nxt[x]!) if (key[x]! < min) min = key[x]!
      this.last = min
      let x = head[i]!
      head[i] = -1
      while (x !== -1) {
        const nx = nxt[x]!,
          b = this.bucket(key[x]!)
        nxt[x] = head[b]!
        head[b] = x
        x = nx
      }
    }
    const x = head[0]!
    head[0] = nxt[x]!
    nxt[x] = this.free
    this.free = x
    this.size--
    return this.val[x]!
  }
}
