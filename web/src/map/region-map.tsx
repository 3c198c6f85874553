import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { MapContext } from './map-context'
import { OutlineLayer } from './outline-layer'

// Sichuan–Chongqing: roughly 26–34.5° N, 97–110.5° E.
const REGION: L.LatLngBoundsExpression = [
  [26, 97.3],
  [34.4, 110.3],
]
const TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'

type Props = { tiles?: boolean; class?: string; children?: ComponentChildren }

/**
 * Preact owns the <div>, Leaflet owns what is inside it. The province and prefecture outlines are
 * bundled, so the map reads the same with no network; online tiles are optional, underneath them.
 */
export function RegionMap({ tiles = false, class: cls = '', children }: Props) {
  const el = useRef<HTMLDivElement>(null)
  const [map, setMap] = useState<L.Map | null>(null)

  useEffect(() => {
    const m = L.map(el.current!, { zoomSnap: 0.25, preferCanvas: false, attributionControl: true })
    m.fitBounds(REGION)
    L.control.scale({ imperial: false }).addTo(m)
    setMap(m)
    return () => {
      setMap(null)
      // A zoom animation still running (a fitBounds, a wheel zoom) ends on a 250 ms timer that moves
      // the map pane, which remove() has deleted: "Cannot read properties of undefined (reading
      // '_leaflet_pos')". Stop it first; Leaflet 1.9 offers no public way to cancel that timer.
      m.stop()
      ;(m as unknown as { _animatingZoom: boolean })._animatingZoom = false
      m.remove()
    }
  }, [])

  useEffect(() => {
    if (!map || !tiles) return
    const layer = L.tileLayer(TILE_URL, { maxZoom: 12, attribution: '&copy; OpenStreetMap contributors' })
    // A failed tile just stays blank; nothing else depends on the tiles.
    layer.addTo(map)
    return () => void layer.remove()
  }, [map, tiles])

  return (
    <div class={`region-map ${cls}`} ref={el} data-ready={map ? 'true' : 'false'}>
      {map && (
        <MapContext.Provider value={map}>
          <OutlineLayer tiles={tiles} />
          {children}
        </MapContext.Provider>
      )}
    </div>
  )
}
