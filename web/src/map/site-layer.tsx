import L from 'leaflet'
import { useEffect, useRef } from 'preact/hooks'
import { days, num, siteName } from '../lib/format'
import { t } from '../lib/i18n'
import type { Component, Level, Site } from '../lib/types'
import type { Lang } from '../state'
import { useMap } from './region-map'

export type SiteStatus = { level: Level | null; daysOfSupply: number | null; onHand: number | null }

export const LEVEL_COLOURS: Record<Level | 'none', string> = {
  normal: '#2e7d32',
  yellow: '#f9a825',
  orange: '#ef6c00',
  red: '#c62828',
  none: '#78909c',
}

type Props = { sites: Site[]; status: Record<string, SiteStatus>; component: Component; lang: Lang; onOpen: (id: string) => void; small?: boolean }

/** 宜宾市中心血站 → 宜宾; in English the city. */
const shortName = (s: Site, lang: Lang) => (lang === 'zh' ? s.nameZh.replace(/(市|州|地区)?(中心血站|血液中心|中心血库|储血点).*$/, '') || s.nameZh : s.city)

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** One circle marker per site, coloured by its worst level for the chosen component. */
export function SiteLayer({ sites, status, component, lang, onOpen, small = false }: Props) {
  const map = useMap()
  const fitted = useRef(false)
  // Zoom to the sites once, when they first arrive; later the user's view is kept.
  useEffect(() => {
    if (!map || fitted.current || sites.length === 0) return
    fitted.current = true
    map.fitBounds(L.latLngBounds(sites.map((s) => [s.lat, s.lng] as [number, number])), { padding: [30, 30] })
  }, [map, sites])
  useEffect(() => {
    if (!map) return
    const group = L.layerGroup().addTo(map)
    for (const s of sites) {
      const st = status[s.id] ?? { level: null, daysOfSupply: null, onHand: null }
      const level = st.level ?? 'none'
      const marker = L.circleMarker([s.lat, s.lng], {
        radius: small ? 5 : s.kind === 'storage' ? 7 : 10,
        color: '#263238',
        weight: 1.5,
        fillColor: LEVEL_COLOURS[level],
        fillOpacity: 0.9,
        className: `site-marker level-${level}`,
      })
      const name = escape(siteName(s, lang, s.id))
      // No base map offline: a permanent short label says which dot is which.
      if (!small) marker.bindTooltip(escape(shortName(s, lang)), { permanent: true, direction: 'right', offset: [8, 0], className: 'site-label' })
      const popup = document.createElement('div')
      popup.className = 'site-popup'
      popup.innerHTML =
        `<strong>${name}</strong><br>${escape(t(`component.${component}`, {}, lang))}: ${escape(t(`level.${level}`, {}, lang))}` +
        `<br>${escape(t('map.days', {}, lang))}: ${days(st.daysOfSupply, lang)}` +
        `<br>${escape(t('map.onHand', {}, lang))}: ${num(st.onHand, lang)} ${escape(t(`unit.${component}`, {}, lang))}<br>`
      const link = document.createElement('a')
      link.href = `/sites/${s.id}`
      link.textContent = t('map.openStock', {}, lang)
      link.addEventListener('click', (e) => {
        e.preventDefault()
        onOpen(s.id)
      })
      popup.appendChild(link)
      marker.bindPopup(popup)
      marker.addTo(group)
      const path = marker.getElement()
      path?.setAttribute('data-site', s.id)
      path?.setAttribute('data-level', level)
    }
    return () => void group.remove()
  }, [map, sites, status, component, lang, onOpen, small])
  return null
}
