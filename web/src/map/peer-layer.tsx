import L from 'leaflet'
import { useEffect, useRef } from 'preact/hooks'
import { escapeHtml, siteName } from '../lib/format'
import { t } from '../lib/i18n'
import type { Component, Level } from '../lib/types'
import type { Lang } from '../state'
import { useMap } from './map-context'
import { LEVEL_COLOURS } from './site-layer'

type Peer = import('../../../worker/schemas/province').PeerProvinceT

/**
 * The linked provinces' stations (issue 24), drawn from each peer's summary: not in this system's database, so
 * hollow and dashed (read-only: another province's system), coloured by their level for the chosen component, and
 * a popup naming the province. On first data the map also fits them in, so a one-station province sees its neighbours.
 */
export function PeerLayer({ peers, component, lang, own }: { peers: Peer[]; component: Component; lang: Lang; own: { lat: number; lng: number }[] }) {
  const map = useMap()
  const fitted = useRef(false)
  useEffect(() => {
    if (!map) return
    const group = L.layerGroup().addTo(map)
    const points: [number, number][] = own.map((s) => [s.lat, s.lng])
    for (const p of peers) {
      const province = t(`link.province.${p.province}`, {}, lang)
      for (const s of p.summary?.stations ?? []) {
        if (s.kind === 'storage') continue
        const level: Level | 'none' = (s.levels[component] as Level | undefined) ?? 'none'
        const marker = L.circleMarker([s.lat, s.lng], {
          radius: 9,
          color: LEVEL_COLOURS[level],
          weight: 3,
          dashArray: '4 3',
          fillColor: '#ffffff',
          fillOpacity: 0.8,
          className: `peer-marker level-${level}`,
        })
        marker.bindTooltip(escapeHtml(`${province} · ${siteName(s, lang, s.id)}`), { direction: 'top', className: 'site-label peer-label' })
        marker.bindPopup(
          `<strong>${escapeHtml(siteName(s, lang, s.id))}</strong><br>${escapeHtml(t('link.peer', { province }, lang))}<br>` +
            `${escapeHtml(t(`component.${component}`, {}, lang))}: ${escapeHtml(t(`level.${level}`, {}, lang))}`,
        )
        marker.addTo(group)
        const path = marker.getElement()
        path?.setAttribute('data-peer-site', s.id)
        path?.setAttribute('data-level', level)
        points.push([s.lat, s.lng])
      }
    }
    if (!fitted.current && points.length > own.length && points.length > 1) {
      fitted.current = true
      map.fitBounds(L.latLngBounds(points), { padding: [30, 30], animate: false })
    }
    return () => void group.remove()
  }, [map, peers, component, lang, own])
  return null
}
