import L from 'leaflet'
import { useEffect } from 'preact/hooks'
import { siteName } from '../../lib/format'
import type { Incident } from '../../lib/incident-types'
import type { Site } from '../../lib/types'
import { useMap } from '../../map/map-context'
import { RegionMap } from '../../map/region-map'
import type { Lang } from '../../state'

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** The incident (a red marker), its receiving points (blue rings) and its live transfers (lines from each donor). */
function IncidentLayer({ incident, sites, lang }: { incident: Incident; sites: Site[]; lang: Lang }) {
  const map = useMap()
  useEffect(() => {
    if (!map) return
    const group = L.layerGroup().addTo(map)
    const at: [number, number] = [incident.lat, incident.lng]
    const byId = new Map(sites.map((s) => [s.id, s]))
    const bounds = L.latLngBounds([at])
    for (const tr of incident.transfers.filter((x) => x.status !== 'rejected' && x.status !== 'cancelled')) {
      const from = byId.get(tr.fromSite)
      const to = incident.points.find((p) => p.siteId === tr.toSite) ?? byId.get(tr.toSite)
      if (!from || !to) continue
      L.polyline([[from.lat, from.lng], [to.lat, to.lng]], { color: tr.status === 'dispatched' ? '#1565c0' : tr.status === 'received' ? '#2e7d32' : '#90a4ae', weight: 3, dashArray: tr.status === 'committed' ? '6 6' : undefined })
        .bindTooltip(`${tr.fromSite} → ${tr.toSite}: ${tr.component} ${tr.abo}${tr.rhd} × ${tr.qty}`).addTo(group)
      bounds.extend([from.lat, from.lng])
    }
    for (const p of incident.points) {
      L.circleMarker([p.lat, p.lng], { radius: 9, color: '#1565c0', weight: 3, fillColor: '#fff', fillOpacity: 1 })
        .bindTooltip(escape(siteName(p, lang)), { permanent: !p.external, direction: 'right', className: 'incident-point-label' })
        .addTo(group)
      if (!p.external) bounds.extend([p.lat, p.lng])
    }
    L.circleMarker(at, { radius: 11, color: '#b71c1c', weight: 3, fillColor: '#e53935', fillOpacity: 0.9 })
      .bindTooltip(escape(incident.name), { permanent: true, direction: 'top', className: 'incident-label' })
      .addTo(group)
    map.fitBounds(bounds.pad(0.3), { maxZoom: 9 })
    return () => void group.remove()
  }, [map, incident, sites, lang])
  return null
}

export function IncidentMap({ incident, sites, lang }: { incident: Incident; sites: Site[]; lang: Lang }) {
  return (
    <RegionMap class="incident-map">
      <IncidentLayer incident={incident} sites={sites} lang={lang} />
    </RegionMap>
  )
}

/** Click the map to put the incident there: a marker follows the point. */
function PickLayer({ point, onPick }: { point: { lat: number; lng: number } | null; onPick: (p: { lat: number; lng: number }) => void }) {
  const map = useMap()
  useEffect(() => {
    if (!map) return
    const click = (e: L.LeafletMouseEvent) => onPick({ lat: Math.round(e.latlng.lat * 1000) / 1000, lng: Math.round(e.latlng.lng * 1000) / 1000 })
    map.on('click', click)
    return () => void map.off('click', click)
  }, [map, onPick])
  useEffect(() => {
    if (!map || !point) return
    const m = L.circleMarker([point.lat, point.lng], { radius: 10, color: '#b71c1c', weight: 3, fillColor: '#e53935', fillOpacity: 0.9 }).addTo(map)
    return () => void m.remove()
  }, [map, point?.lat, point?.lng])
  return null
}

export function PickMap({ point, onPick }: { point: { lat: number; lng: number } | null; onPick: (p: { lat: number; lng: number }) => void }) {
  return (
    <RegionMap class="incident-map pick-map">
      <PickLayer point={point} onPick={onPick} />
    </RegionMap>
  )
}
