import L from 'leaflet'
import { useEffect, useMemo } from 'preact/hooks'
import { escapeHtml, siteName } from '../../lib/format'
import { t } from '../../lib/i18n'
import type { Incident } from '../../lib/incident-types'
import type { Site } from '../../lib/types'
import { useMap } from '../../map/map-context'
import { RegionMap } from '../../map/region-map'
import { TransferLayer } from '../../map/transfer-layer'
import type { Lang } from '../../state'

const DONOR = { color: '#37474f', fillColor: '#cfd8dc' }
const POINT = { color: '#1565c0', fillColor: '#fff' }
const INCIDENT = { color: '#b71c1c', fillColor: '#e53935' }

/** What the map shows besides the transfers (whose arrows have the region map's legend). */
function markerLegend(lang: Lang): L.Control {
  const control = new L.Control({ position: 'bottomleft' })
  control.onAdd = () => {
    const box = L.DomUtil.create('div', 'incident-legend leaflet-bar')
    for (const [key, style, r] of [
      ['incident', INCIDENT, 7],
      ['point', POINT, 6],
      ['donor', DONOR, 5],
    ] as const) {
      const row = L.DomUtil.create('div', 'transfer-legend-item', box)
      row.setAttribute('data-marker', key)
      row.innerHTML = `<svg width="18" height="18" aria-hidden="true"><circle cx="9" cy="9" r="${r}" stroke="${style.color}" stroke-width="3" fill="${style.fillColor}"/></svg>`
      const label = document.createElement('span')
      label.textContent = t(`incident.legend.${key}`, {}, lang)
      row.appendChild(label)
    }
    return box
  }
  return control
}

/**
 * The incident (red), its receiving points (blue rings) and the donor stations (grey) with every live transfer as an
 * arrow from donor to receiver, styled and explained as on the region map; the view fits all of them.
 */
function IncidentLayer({ incident, sites, lang }: { incident: Incident; sites: Site[]; lang: Lang }) {
  const map = useMap()
  useEffect(() => {
    if (!map) return
    const group = L.layerGroup().addTo(map)
    const at: [number, number] = [incident.lat, incident.lng]
    const byId = new Map(sites.map((s) => [s.id, s]))
    const bounds = L.latLngBounds([at])
    const receiving = new Set(incident.points.map((p) => p.siteId))
    const donors = [...new Set(incident.transfers.filter((x) => x.status !== 'rejected' && x.status !== 'cancelled').map((x) => x.fromSite))]
      .filter((id) => !receiving.has(id))
      .map((id) => byId.get(id))
      .filter((s): s is Site => !!s)
    for (const s of donors) {
      L.circleMarker([s.lat, s.lng], { radius: 7, weight: 3, fillOpacity: 1, ...DONOR, className: 'incident-donor' })
        .bindTooltip(escapeHtml(siteName(s, lang)), { direction: 'left', className: 'incident-donor-label' })
        .addTo(group)
      bounds.extend([s.lat, s.lng])
    }
    for (const p of incident.points) {
      L.circleMarker([p.lat, p.lng], { radius: 9, weight: 3, fillOpacity: 1, ...POINT, className: 'incident-point' })
        .bindTooltip(escapeHtml(siteName(p, lang)), { permanent: !p.external, direction: 'right', className: 'incident-point-label' })
        .addTo(group)
      bounds.extend([p.lat, p.lng])
    }
    L.circleMarker(at, { radius: 11, weight: 3, fillOpacity: 0.9, ...INCIDENT, className: 'incident-marker' })
      .bindTooltip(escapeHtml(incident.name), { permanent: true, direction: 'top', className: 'incident-label' })
      .addTo(group)
    map.fitBounds(bounds.pad(0.15), { maxZoom: 9 })
    const legend = markerLegend(lang).addTo(map)
    return () => {
      legend.remove()
      group.remove()
    }
  }, [map, incident, sites, lang])
  return null
}

/** The sites the arrows join: region stations, and the incident's external destinations as centres. */
function transferSites(incident: Incident, sites: Site[]): Site[] {
  const known = new Set(sites.map((s) => s.id))
  const external = incident.points
    .filter((p) => !known.has(p.siteId))
    .map(
      (p) =>
        ({
          id: p.siteId,
          nameZh: p.nameZh,
          nameEn: p.nameEn,
          kind: 'center',
          province: '',
          city: '',
          lat: p.lat,
          lng: p.lng,
          parentId: null,
          createdAt: '',
          updatedAt: '',
        }) as Site,
    )
  const used = new Set(incident.transfers.flatMap((x) => [x.fromSite, x.toSite]))
  return [...sites, ...external].filter((s) => used.has(s.id))
}

type Tr = Incident['transfers'][number]
/**
 * One arrow per route and status (a response sends dozens of boxes along the same road): its tooltip lists what the
 * boxes carry, each quantity with its unit.
 */
function routes(incident: Incident, sites: Site[], lang: Lang): { lines: Tr[]; tooltip: (tr: Tr) => string } {
  const byId = new Map(sites.map((s) => [s.id, s]))
  const name = (id: string) => siteName(byId.get(id) ?? incident.points.find((p) => p.siteId === id), lang, id)
  const groups = new Map<string, Tr[]>()
  for (const tr of incident.transfers) {
    const k = `${tr.fromSite}>${tr.toSite}|${tr.status}`
    groups.set(k, [...(groups.get(k) ?? []), tr])
  }
  const members = new Map<string, Tr[]>()
  const lines = [...groups].map(([k, trs]) => {
    members.set(k, trs)
    return { ...trs[0], id: k, qty: trs.reduce((s, x) => s + x.qty, 0) }
  })
  const tooltip = (line: Tr) => {
    const trs = members.get(line.id) ?? []
    const what = trs.map((x) => `${t(`component.${x.component}`, {}, lang)} ${x.abo}${x.rhd} ${x.qty} ${t(`unit.${x.component}`, {}, lang)}`).join('<br>')
    return `${escapeHtml(name(line.fromSite))} → ${escapeHtml(name(line.toSite))} (${t(`status.${line.status}`, {}, lang)}, ${t('incident.boxes', { n: trs.length }, lang)})<br>${what}`
  }
  return { lines, tooltip }
}

export function IncidentMap({ incident, sites, lang }: { incident: Incident; sites: Site[]; lang: Lang }) {
  const joined = useMemo(() => transferSites(incident, sites), [incident, sites])
  const { lines, tooltip } = useMemo(() => routes(incident, sites, lang), [incident, sites, lang])
  return (
    <RegionMap class="incident-map">
      <TransferLayer transfers={lines} sites={joined} lang={lang} tooltip={tooltip} />
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
