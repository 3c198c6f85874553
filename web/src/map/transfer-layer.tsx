import L from 'leaflet'
import { useEffect } from 'preact/hooks'
import { group, siteName } from '../lib/format'
import { t } from '../lib/i18n'
import type { Site, Transfer } from '../lib/types'
import type { Lang } from '../state'
import type { Pt } from './placement'
import { useMap } from './map-context'
import { displayPoints } from './site-layer'

/** Committed (stock reserved, not yet sent) and dispatched (on the way) differ in colour and dash, not only in one. */
export const STATUS_STYLE: Record<string, L.PathOptions> = {
  proposed: { color: '#1565c0', dashArray: '6 6', weight: 2 },
  approved: { color: '#1565c0', weight: 3 },
  committed: { color: '#6a1b9a', weight: 4 },
  dispatched: { color: '#00838f', weight: 4, dashArray: '10 6' },
  received: { color: '#2e7d32', weight: 3 },
}
/** The legend always shows these two; other statuses only when drawn (the plan page draws proposals). */
const LEGEND_ALWAYS = ['committed', 'dispatched']
const LEGEND_ORDER = ['proposed', 'approved', 'committed', 'dispatched', 'received']

const SVG = 'http://www.w3.org/2000/svg'

/** One arrowhead <marker> per status colour in the map's SVG, created once. */
function arrowId(svg: SVGSVGElement, status: string): string {
  const id = `bd-arrow-${status}`
  if (svg.querySelector(`#${id}`)) return id
  let defs = svg.querySelector('defs')
  if (!defs) defs = svg.insertBefore(document.createElementNS(SVG, 'defs'), svg.firstChild)
  const marker = document.createElementNS(SVG, 'marker')
  // userSpaceOnUse: the same 12 px head at any zoom and stroke width; the tip is the line's end.
  for (const [k, v] of Object.entries({
    id,
    class: 'transfer-arrow',
    viewBox: '0 0 10 10',
    refX: '10',
    refY: '5',
    markerWidth: '12',
    markerHeight: '12',
    markerUnits: 'userSpaceOnUse',
    orient: 'auto',
  }))
    marker.setAttribute(k, v)
  const head = document.createElementNS(SVG, 'path')
  head.setAttribute('d', 'M0,0 L10,5 L0,10 z')
  head.setAttribute('fill', String(STATUS_STYLE[status]?.color ?? '#555'))
  marker.appendChild(head)
  defs.appendChild(marker)
  return id
}

/** The line from donor to receiver in layer pixels: off its own side (so A→B and B→A don't overlap), short of both markers. */
function ends(from: Pt, to: Pt, rFrom: number, rTo: number, lane: number): [Pt, Pt] | null {
  const dx = to.x - from.x,
    dy = to.y - from.y
  const len = Math.hypot(dx, dy)
  if (len < rFrom + rTo + 8) return null
  const ux = dx / len,
    uy = dy / len
  const off = 3 + 5 * lane // to the left of travel
  const nx = uy * off,
    ny = -ux * off
  return [
    { x: from.x + ux * rFrom + nx, y: from.y + uy * rFrom + ny },
    { x: to.x - ux * (rTo + 2) + nx, y: to.y - uy * (rTo + 2) + ny },
  ]
}

const radius = (s: Site) => (s.kind === 'storage' ? 7 : 10)

function legendControl(statuses: string[], lang: Lang): L.Control {
  const control = new L.Control({ position: 'topright' })
  control.onAdd = () => {
    // A <details>: open on wide screens, folded to its title on a phone so it covers no stations.
    const box = L.DomUtil.create('details', 'transfer-legend leaflet-bar') as HTMLDetailsElement
    box.open = !window.matchMedia('(max-width: 699.98px)').matches
    L.DomEvent.disableClickPropagation(box)
    const title = L.DomUtil.create('summary', '', box)
    title.textContent = t('map.legend.transfers', {}, lang)
    for (const status of statuses) {
      const style = STATUS_STYLE[status]
      const row = L.DomUtil.create('div', 'transfer-legend-item', box)
      row.setAttribute('data-status', status)
      row.innerHTML =
        `<svg width="34" height="12" aria-hidden="true"><line x1="1" y1="6" x2="25" y2="6" stroke="${style.color}" stroke-width="${style.weight}"` +
        `${style.dashArray ? ` stroke-dasharray="${style.dashArray}"` : ''}/><path d="M24,1 L33,6 L24,11 z" fill="${style.color}"/></svg>`
      const label = document.createElement('span')
      label.textContent = t(`map.legend.${status}`, {}, lang)
      row.appendChild(label)
    }
    return box
  }
  return control
}

/**
 * A line per live transfer with an arrowhead at the receiver, styled by status, and a legend;
 * rejected and cancelled ones are not drawn. Ends follow the markers as they are spread at each zoom.
 */
export function TransferLayer({ transfers, sites, lang, tooltip }: { transfers: Transfer[]; sites: Site[]; lang: Lang; tooltip?: (tr: Transfer) => string }) {
  const map = useMap()
  useEffect(() => {
    if (!map) return
    const byId = new Map(sites.map((s) => [s.id, s]))
    const layer = L.layerGroup().addTo(map)
    const drawn = transfers.filter((tr) => STATUS_STYLE[tr.status] && byId.has(tr.fromSite) && byId.has(tr.toSite))
    // Transfers along the same direction take lanes side by side.
    const lanes = new Map<string, number>()
    const lines = drawn.map((tr) => {
      const from = byId.get(tr.fromSite)!
      const to = byId.get(tr.toSite)!
      const key = `${tr.fromSite}>${tr.toSite}`
      const lane = lanes.get(key) ?? 0
      lanes.set(key, lane + 1)
      const line = L.polyline(
        [
          [from.lat, from.lng],
          [to.lat, to.lng],
        ],
        { ...STATUS_STYLE[tr.status], opacity: 0.9, className: `transfer-line status-${tr.status}` },
      )
      line.bindTooltip(
        tooltip?.(tr) ??
          `${siteName(from, lang, from.id)} → ${siteName(to, lang, to.id)}: ${t(`component.${tr.component}`, {}, lang)} ${group(tr.abo, tr.rhd)} × ${tr.qty} (${t(`status.${tr.status}`, {}, lang)})`,
        { sticky: true },
      )
      line.addTo(layer)
      const el = line.getElement() as SVGPathElement | undefined
      el?.setAttribute('data-transfer', tr.id)
      el?.setAttribute('data-from', tr.fromSite)
      el?.setAttribute('data-to', tr.toSite)
      if (el?.ownerSVGElement) el.setAttribute('marker-end', `url(#${arrowId(el.ownerSVGElement, tr.status)})`)
      return { line, from, to, lane }
    })
    const layout = () => {
      const shown = displayPoints(map, sites)
      for (const { line, from, to, lane } of lines) {
        const e = ends(shown.get(from.id)!, shown.get(to.id)!, radius(from), radius(to), lane)
        if (e) line.setLatLngs(e.map((p) => map.layerPointToLatLng(L.point(p.x, p.y))))
      }
    }
    layout()
    map.on('zoomend', layout)
    const present = new Set(drawn.map((tr) => tr.status))
    const legend = drawn.length
      ? legendControl(
          LEGEND_ORDER.filter((s) => LEGEND_ALWAYS.includes(s) || present.has(s as Transfer['status'])),
          lang,
        ).addTo(map)
      : null
    return () => {
      map.off('zoomend', layout)
      legend?.remove()
      layer.remove()
    }
  }, [map, transfers, sites, lang, tooltip])
  return null
}
