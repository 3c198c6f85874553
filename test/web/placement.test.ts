import { describe, expect, it } from 'vitest'
import { MIN_GAP, placeLabels, spread, type Box, type LabelIn } from '../../web/src/map/placement'

// Pure geometry, no browser: where the map puts markers and labels.
const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y))
const dist = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y)

describe('spread', () => {
  it('leaves distant sites where they are and sets close ones at least the gap apart, around their centroid', () => {
    const points = new Map([
      ['CD', { x: 100, y: 100 }],
      ['SC', { x: 99, y: 101 }],
      ['CQ', { x: 300, y: 200 }],
    ])
    const out = spread(points)
    expect(out.get('CQ')).toEqual({ x: 300, y: 200 })
    expect(dist(out.get('CD')!, out.get('SC')!)).toBeGreaterThanOrEqual(MIN_GAP - 1e-9)
    expect((out.get('CD')!.x + out.get('SC')!.x) / 2).toBeCloseTo(99.5)
    // SC is to the lower left of CD, and stays so.
    expect(out.get('SC')!.x).toBeLessThan(out.get('CD')!.x)
  })

  it('spreads three sites at one spot on a circle, each pair at least the gap apart', () => {
    const out = spread(new Map(['A', 'B', 'C'].map((id) => [id, { x: 50, y: 50 }])))
    for (const [a, b] of [
      ['A', 'B'],
      ['B', 'C'],
      ['A', 'C'],
    ])
      expect(dist(out.get(a)!, out.get(b)!)).toBeGreaterThanOrEqual(MIN_GAP - 1e-9)
  })
})

describe('placeLabels', () => {
  const label = (id: string, x: number, y: number, w = 30): LabelIn => ({ id, at: { x, y }, r: 10, w, h: 16 })

  it('places each label clear of every marker and every other label, or leaves it out', () => {
    // A crowded cluster: six sites within 60 px.
    const labels = [label('A', 100, 100), label('B', 130, 100), label('C', 115, 125), label('D', 100, 150), label('E', 140, 140), label('F', 160, 110)]
    const boxes = placeLabels(labels)
    const shown = [...boxes].filter(([, b]) => b) as [string, Box][]
    expect(shown.length).toBeGreaterThanOrEqual(3)
    for (let i = 0; i < shown.length; i++) {
      for (let j = i + 1; j < shown.length; j++) expect(overlap(shown[i][1], shown[j][1]), `${shown[i][0]}/${shown[j][0]}`).toBe(0)
      for (const l of labels)
        if (l.id !== shown[i][0])
          expect(overlap(shown[i][1], { x: l.at.x - l.r, y: l.at.y - l.r, w: 2 * l.r, h: 2 * l.r }), `${shown[i][0]} over ${l.id}`).toBe(0)
    }
    // The first (most severe) takes its first free place: B's marker is on its right, so to its left.
    expect(boxes.get('A')).toEqual({ x: 57, y: 92, w: 30, h: 16 })
  })

  it('prefers the side away from its cluster, and a place inside the view', () => {
    const away = placeLabels([{ ...label('SC', 90, 100), away: { x: 100, y: 100 } }]).get('SC')!
    expect(away.x + away.w).toBeLessThanOrEqual(90)
    const edge = placeLabels([label('E', 390, 50)], { x: 0, y: 0, w: 400, h: 400 }).get('E')!
    expect(edge.x + edge.w).toBeLessThanOrEqual(400)
  })
})
