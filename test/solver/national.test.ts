// The national region's generator (seed/national.ts): 31 provinces, ~450 stations each inside its province's
// outline, realistic volumes, the same region for the same seed.
import { describe, expect, it } from 'vitest'
import { nationalStations, PROVINCES, provinceOutline, provinceRegion } from '../../seed/national'
import { basisRbcPerDay } from '../../seed/volumes'

/** Ray casting over a polygon's rings (even-odd: a hole's ring flips it back out). */
function inRings(rings: number[][][], lng: number, lat: number): boolean {
  let inside = false
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!,
        [xj, yj] = ring[j]!
      if (yi! > lat !== yj! > lat && lng < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) inside = !inside
    }
  return inside
}
function inOutline(g: ReturnType<typeof provinceOutline>, lng: number, lat: number): boolean {
  return g.type === 'Polygon' ? inRings(g.coordinates, lng, lat) : g.coordinates.some((p) => inRings(p, lng, lat))
}

describe('national region', () => {
  const all = nationalStations()

  it('has the 31 provinces, ~450 stations, one centre each, unique ids', () => {
    expect(all.map((p) => p.province.code).sort()).toEqual(PROVINCES.map((p) => p.code).sort())
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(31)
    const stations = all.flatMap((p) => p.stations)
    expect(stations.length).toBeGreaterThanOrEqual(420)
    expect(stations.length).toBeLessThanOrEqual(480)
    expect(new Set(stations.map((s) => s.id)).size).toBe(stations.length)
    for (const { province, stations: ss } of all) {
      expect(ss.length, province.code).toBeGreaterThanOrEqual(5)
      expect(ss.filter((s) => s.kind === 'center').map((s) => s.id)).toEqual([`${province.code}00`])
      expect(ss.every((s) => s.id.startsWith(province.code) && /^[A-Z0-9]{2,12}$/.test(s.id))).toBe(true)
    }
  })

  it("places every station inside its province's outline", () => {
    const outside: string[] = []
    let checked = 0
    for (const { province, stations } of all) {
      const outline = provinceOutline(province)
      for (const s of stations) {
        checked++
        if (!inOutline(outline, s.lng, s.lat)) outside.push(`${s.id} ${s.city} (${s.lat}, ${s.lng})`)
      }
    }
    expect(checked).toBeGreaterThan(400)
    expect(outside).toEqual([])
  })

  it("shares each province's census population among its stations", () => {
    for (const { province, stations } of all) {
      const sum = stations.reduce((a, s) => a + s.populationM, 0)
      expect(Math.abs(sum - province.populationM), province.code).toBeLessThan(0.05)
    }
    const total = all.reduce((a, p) => a + p.province.populationM, 0)
    expect(total).toBeGreaterThan(1400)
    expect(total).toBeLessThan(1420)
  })

  it('is deterministic: the same seed and time give the same region, another seed another', async () => {
    const now = new Date('2026-12-06T08:00:00Z')
    const ningxia = PROVINCES.find((p) => p.code === 'NX')!
    const a = await provinceRegion(ningxia, { now, days: 14 })
    const b = await provinceRegion(ningxia, { now, days: 14 })
    const c = await provinceRegion(ningxia, { now, days: 14, seed: 7 })
    expect(a.movements.length).toBeGreaterThan(1000)
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    expect(JSON.stringify(c.movements)).not.toBe(JSON.stringify(a.movements))
  })

  it('issues red cells at the documented basis rate, never more than a lot holds', async () => {
    const now = new Date('2026-12-06T08:00:00Z')
    const ningxia = PROVINCES.find((p) => p.code === 'NX')!
    const r = await provinceRegion(ningxia, { now, days: 14 })
    const expected = basisRbcPerDay(ningxia.populationM) * 14 // every station's basis together
    const issued = -r.movements.filter((m) => m.kind === 'issue' && m.lotId.includes('-RBC-')).reduce((a, m) => a + m.delta, 0)
    expect(issued / expected).toBeGreaterThan(0.85)
    expect(issued / expected).toBeLessThan(1.15)
    const qty = new Map<string, number>()
    for (const m of r.movements) {
      const q = (qty.get(m.lotId) ?? 0) + m.delta
      expect(q, m.lotId).toBeGreaterThanOrEqual(0)
      qty.set(m.lotId, q)
    }
    expect(r.requests.length).toBeGreaterThan(0)
    expect(r.sites.length).toBe(5)
  })

  it('caps a province at maxStations, keeping its centre', () => {
    const cq = PROVINCES.find((p) => p.code === 'CQ')!
    const ss = nationalStations().find((p) => p.province.code === 'CQ')!.stations
    expect(ss.length).toBeGreaterThan(30)
    const capped = provinceRegion(cq, { maxStations: 30, days: 1, now: new Date('2026-12-06T08:00:00Z') })
    return capped.then((r) => {
      expect(r.sites.length).toBe(30)
      expect(r.sites[0]!.id).toBe('CQ00')
    })
  })
})
