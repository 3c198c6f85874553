/**
 * Where markers and their labels go on screen, in pixels: pure functions, no Leaflet, so the site and
 * transfer layers compute the same positions from the same inputs.
 */
export type Pt = { x: number; y: number }

/** Centres closer than this (px) are spread apart: a province centre and the city station share a city. */
export const MIN_GAP = 24

/**
 * Sites closer than `gap` px are grouped (transitively) and set on a small circle around their centroid,
 * keeping their order around it, so that neighbouring markers are at least `gap` apart. Others stay put.
 */
export function spread(points: Map<string, Pt>, gap = MIN_GAP): Map<string, Pt> {
  const ids = [...points.keys()].sort()
  const parent = new Map(ids.map((id) => [id, id]))
  const root = (id: string): string => {
    let r = id
    while (parent.get(r) !== r) r = parent.get(r)!
    return r
  }
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const a = points.get(ids[i])!,
        b = points.get(ids[j])!
      if (Math.hypot(a.x - b.x, a.y - b.y) < gap) parent.set(root(ids[j]), root(ids[i]))
    }
  const clusters = new Map<string, string[]>()
  for (const id of ids) clusters.set(root(id), [...(clusters.get(root(id)) ?? []), id])
  const out = new Map<string, Pt>()
  for (const members of clusters.values()) {
    if (members.length === 1) {
      out.set(members[0], points.get(members[0])!)
      continue
    }
    const n = members.length
    const c = members.reduce((s, id) => ({ x: s.x + points.get(id)!.x / n, y: s.y + points.get(id)!.y / n }), { x: 0, y: 0 })
    // Each member's own direction from the centroid (left to right by id when they coincide).
    const angle = (id: string, k: number) => {
      const p = points.get(id)!
      return Math.hypot(p.x - c.x, p.y - c.y) > 0.5 ? Math.atan2(p.y - c.y, p.x - c.x) : Math.PI + (2 * Math.PI * k) / n
    }
    const sorted = members.map((id, k) => ({ id, a: angle(id, k) })).sort((p, q) => p.a - q.a)
    const radius = gap / (2 * Math.sin(Math.PI / n))
    sorted.forEach(({ id }, k) => {
      const a = sorted[0].a + (2 * Math.PI * k) / n
      out.set(id, { x: c.x + radius * Math.cos(a), y: c.y + radius * Math.sin(a) })
    })
  }
  return out
}

export type LabelIn = { id: string; at: Pt; r: number; w: number; h: number; away?: Pt }
export type Box = { x: number; y: number; w: number; h: number }

const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y))

/** The places around a marker a label may take, nearest first: right, left, above, below, the corners; then a step further out. */
function candidates(l: LabelIn): Box[] {
  return [...ring(l, 3), ...ring(l, 12)]
}

function ring({ at, r, w, h }: LabelIn, g: number): Box[] {
  const d = r * 0.7 + g
  return [
    { x: at.x + r + g, y: at.y - h / 2, w, h },
    { x: at.x - r - g - w, y: at.y - h / 2, w, h },
    { x: at.x - w / 2, y: at.y - r - g - h, w, h },
    { x: at.x - w / 2, y: at.y + r + g, w, h },
    { x: at.x + d, y: at.y - d - h, w, h },
    { x: at.x + d, y: at.y + d, w, h },
    { x: at.x - d - w, y: at.y - d - h, w, h },
    { x: at.x - d - w, y: at.y + d, w, h },
  ]
}

/**
 * Greedy label placement, in the given order (most important first): each label takes the first place
 * that overlaps no marker and no label already placed; where there is none it is left out (null: the
 * marker's popup still names the site, and zooming in makes room). A label
 * with `away` (the centre of its spread cluster) tries the side facing away from it first. With `view`
 * (the visible map), places that stick out of it count as covered.
 */
export function placeLabels(labels: LabelIn[], view?: Box): Map<string, Box | null> {
  // A label cut off by the map's edge counts as covered where it sticks out.
  const outside = (b: Box) => (view ? b.w * b.h - overlap(b, view) : 0)
  const markers: (Box & { id: string })[] = labels.map((l) => ({ id: l.id, x: l.at.x - l.r, y: l.at.y - l.r, w: 2 * l.r, h: 2 * l.r }))
  const placed: Box[] = []
  const out = new Map<string, Box | null>()
  for (const l of labels) {
    let boxes = candidates(l)
    if (l.away) {
      const dx = l.at.x - l.away.x,
        dy = l.at.y - l.away.y
      const centre = (b: Box) => ({ x: b.x + b.w / 2 - l.at.x, y: b.y + b.h / 2 - l.at.y })
      const facing = (b: Box) => {
        const c = centre(b)
        return (c.x * dx + c.y * dy) / (Math.hypot(c.x, c.y) * Math.hypot(dx, dy) || 1)
      }
      boxes = [...boxes].sort((a, b) => facing(b) - facing(a))
    }
    // Covering a marker or a label rules a place out; sticking out of the view only makes it worse.
    let best: Box | null = null,
      bestCost = Infinity
    for (const b of boxes) {
      const covers = placed.some((p) => overlap(b, p) > 0) || markers.some((m) => m.id !== l.id && overlap(b, m) > 0)
      if (covers) continue
      const cost = outside(b)
      if (cost < bestCost) [best, bestCost] = [b, cost]
      if (cost === 0) break
    }
    if (best) placed.push(best)
    out.set(l.id, best)
  }
  return out
}
