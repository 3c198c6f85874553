import L from 'leaflet'
import { useEffect, useRef } from 'preact/hooks'
import { dateTime, days, escapeHtml, num, severity, siteName } from '../lib/format'
import { t } from '../lib/i18n'
import type { Component, Level, Site } from '../lib/types'
import type { Lang } from '../state'
import { MIN_GAP, placeLabels, spread, type Pt } from './placement'
import { ageText } from '../offline/freshness'
import type { SiteContact } from '../offline/site-contact'
import { useMap } from './map-context'

export type SiteStatus = { level: Level | null; daysOfSupply: number | null; onHand: number | null }

export const LEVEL_COLOURS: Record<Level | 'none', string> = {
  normal: '#2e7d32',
  yellow: '#f9a825',
  orange: '#ef6c00',
  red: '#c62828',
  none: '#78909c',
}

type Props = {
  sites: Site[]
  status: Record<string, SiteStatus>
  component: Component
  lang: Lang
  onOpen: (id: string) => void
  small?: boolean
  contact?: Record<string, SiteContact>
}

const NO_CONTACT: Record<string, SiteContact> = {}

/** 宜宾市中心血站 → 宜宾, Yibin Central Blood Station → Yibin; 四川省血液中心 → 四川省, Sichuan Provincial (not a second "Chengdu"). */
const shortName = (s: Site, lang: Lang) =>
  lang === 'zh'
    ? s.nameZh.replace(/(市|州|地区)?(中心血站|血液中心|中心血库|储血点).*$/, '') || s.nameZh
    : s.nameEn.replace(/( Prefecture)?( Central)? Blood (Station|Center|Bank).*$/, '') || s.city

/** The popup's contact lines: silent and for how long, last contact and last stock report. */
function contactLines(c: SiteContact, lang: Lang): string {
  const tr = (k: string, v: Record<string, string | number> = {}) => t(k, v, lang)
  const head = c.silent
    ? `<strong class="silent-badge">${escapeHtml(tr('offline.silent'))}</strong> ${escapeHtml(c.lastContactAt ? tr('offline.silentFor', { age: ageText(c.lastContactAt, tr), limit: c.limitHours }) : tr('offline.neverHeard'))}<br>`
    : ''
  return (
    head +
    `${escapeHtml(tr('offline.lastContact'))}: ${dateTime(c.lastContactAt)}<br>${escapeHtml(tr('offline.lastReport'))}: ${dateTime(c.lastStockReportAt)}<br>`
  )
}

const radiusOf = (s: Site, small: boolean) => (small ? 5 : s.kind === 'storage' ? 7 : 10)

/** Where each site is drawn at the map's current zoom (layer pixels): sites too close together are spread apart. */
export function displayPoints(map: L.Map, sites: Site[]): Map<string, Pt> {
  return spread(new Map(sites.map((s) => [s.id, map.latLngToLayerPoint([s.lat, s.lng])])), MIN_GAP)
}

/**
 * One circle marker per site, coloured by its worst level for the chosen component. At each zoom, sites
 * that would overlap (a province centre and its city's station) are spread apart with a thin leader to
 * where they really are, and the labels are placed so that none covers another label or a marker.
 */
export function SiteLayer({ sites, status, component, lang, onOpen, small = false, contact = NO_CONTACT }: Props) {
  const map = useMap()
  const fitted = useRef(false)
  // Zoom to the sites once, when they first arrive; later the user's view is kept.
  useEffect(() => {
    if (!map || fitted.current || sites.length === 0) return
    fitted.current = true
    // on the stations and centres: a storage point far out in a county (Shiqu, 98° E) need not shrink the whole region
    const main = sites.some((s) => s.kind !== 'storage') ? sites.filter((s) => s.kind !== 'storage') : sites
    map.fitBounds(L.latLngBounds(main.map((s) => [s.lat, s.lng] as [number, number])), { padding: [30, 30], animate: false })
  }, [map, sites])
  useEffect(() => {
    if (!map) return
    const group = L.layerGroup().addTo(map)
    const leaders = L.layerGroup().addTo(group)
    const markers = new Map<string, L.CircleMarker>()
    for (const s of sites) {
      const st = status[s.id] ?? { level: null, daysOfSupply: null, onHand: null }
      const level = st.level ?? 'none'
      // silent past its limit (issue 25): a thick dashed ring, and the popup says since when
      const heard = contact[s.id]
      const silent = heard?.silent === true
      const marker = L.circleMarker([s.lat, s.lng], {
        radius: radiusOf(s, small),
        color: '#263238',
        weight: 1.5,
        fillColor: LEVEL_COLOURS[level],
        fillOpacity: 0.9,
        className: `site-marker level-${level}${silent ? ' silent' : ''}`,
      })
      const name = escapeHtml(siteName(s, lang, s.id))
      // No base map offline: a permanent short label says which dot is which.
      // Storage points (储血点) are drawn smaller and named on hover only: their station's label says whose they are.
      if (!small)
        marker.bindTooltip(
          escapeHtml(shortName(s, lang)),
          s.kind === 'storage'
            ? { direction: 'top', className: 'site-label storage-label' }
            : { permanent: true, direction: 'center', className: 'site-label' },
        )
      const popup = document.createElement('div')
      popup.className = 'site-popup'
      popup.innerHTML =
        `<strong>${name}</strong><br>${escapeHtml(t(`component.${component}`, {}, lang))}: ${escapeHtml(t(`level.${level}`, {}, lang))}` +
        `<br>${escapeHtml(t('map.days', {}, lang))}: ${days(st.daysOfSupply, lang)}` +
        `<br>${escapeHtml(t('map.onHand', {}, lang))}: ${num(st.onHand, lang)} ${escapeHtml(t(`unit.${component}`, {}, lang))}<br>` +
        (heard ? contactLines(heard, lang) : '')
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
      if (heard) path?.setAttribute('data-silent', silent ? 'yes' : 'no')
      marker.getTooltip()?.getElement()?.setAttribute('data-site', s.id)
      markers.set(s.id, marker)
    }
    let live = true
    const layout = () => {
      if (!live) return
      const shown = displayPoints(map, sites)
      leaders.clearLayers()
      for (const s of sites) {
        const at = shown.get(s.id)!
        const marker = markers.get(s.id)!
        const real = map.latLngToLayerPoint([s.lat, s.lng])
        marker.setLatLng(map.layerPointToLatLng(L.point(at.x, at.y)))
        if (Math.hypot(real.x - at.x, real.y - at.y) > 1)
          L.polyline([[s.lat, s.lng], marker.getLatLng()], { color: '#263238', weight: 1, opacity: 0.7, interactive: false, className: 'site-leader' }).addTo(
            leaders,
          )
      }
      if (small) return
      // Most severe first, so the labels of the sites that matter most get the best places.
      const order = sites
        .filter((s) => s.kind !== 'storage')
        .sort((a, b) => severity(status[b.id]?.level) - severity(status[a.id]?.level) || a.id.localeCompare(b.id))
      const centroid = (s: Site): Pt | undefined => {
        const real = map.latLngToLayerPoint([s.lat, s.lng])
        const at = shown.get(s.id)!
        return Math.hypot(real.x - at.x, real.y - at.y) > 1 ? real : undefined
      }
      // Measured at each layout (all sizes read before any label moves): the font may arrive after the first one.
      const sizes = new Map(
        sites.map((s) => {
          const el = markers.get(s.id)!.getTooltip()?.getElement()
          return [s.id, el && el.offsetWidth > 0 ? { w: el.offsetWidth, h: el.offsetHeight } : { w: 40, h: 16 }]
        }),
      )
      const boxes = placeLabels(
        order.map((s) => {
          const size = sizes.get(s.id)!
          return { id: s.id, at: shown.get(s.id)!, r: radiusOf(s, small), w: size.w, h: size.h, away: centroid(s) }
        }),
        { ...map.containerPointToLayerPoint([0, 0]), w: map.getSize().x, h: map.getSize().y },
      )
      for (const s of sites) {
        if (s.kind === 'storage') continue
        const tip = markers.get(s.id)!.getTooltip()
        const box = boxes.get(s.id)
        const at = shown.get(s.id)!
        if (!tip) continue
        tip.getElement()?.classList.toggle('label-hidden', !box)
        if (!box) continue
        tip.options.offset = L.point(box.x + box.w / 2 - at.x, box.y + box.h / 2 - at.y)
        tip.update()
      }
    }
    layout()
    void document.fonts?.ready.then(layout)
    // After a pan too: a label may now fit better inside the visible map.
    map.on('moveend', layout)
    return () => {
      live = false
      map.off('moveend', layout)
      group.remove()
    }
  }, [map, sites, status, component, lang, onOpen, small, contact])
  return null
}
