import L from 'leaflet'
import { useEffect } from 'preact/hooks'
import { group, siteName } from '../lib/format'
import { t } from '../lib/i18n'
import type { Site, Transfer } from '../lib/types'
import type { Lang } from '../state'
import { useMap } from './region-map'

const STATUS_STYLE: Record<string, L.PathOptions> = {
  proposed: { color: '#1565c0', dashArray: '6 6', weight: 2 },
  approved: { color: '#1565c0', weight: 3 },
  committed: { color: '#6a1b9a', weight: 4 },
  dispatched: { color: '#6a1b9a', weight: 4, dashArray: '2 6' },
  received: { color: '#2e7d32', weight: 3 },
}

/** A line per live transfer from its source to its destination; rejected and cancelled ones are not drawn. */
export function TransferLayer({ transfers, sites, lang }: { transfers: Transfer[]; sites: Site[]; lang: Lang }) {
  const map = useMap()
  useEffect(() => {
    if (!map) return
    const byId = new Map(sites.map((s) => [s.id, s]))
    const layer = L.layerGroup().addTo(map)
    for (const tr of transfers) {
      const style = STATUS_STYLE[tr.status]
      const from = byId.get(tr.fromSite)
      const to = byId.get(tr.toSite)
      if (!style || !from || !to) continue
      const line = L.polyline([[from.lat, from.lng], [to.lat, to.lng]], { ...style, opacity: 0.85, className: `transfer-line status-${tr.status}` })
      line.bindTooltip(
        `${siteName(from, lang, from.id)} → ${siteName(to, lang, to.id)}: ${t(`component.${tr.component}`, {}, lang)} ${group(tr.abo, tr.rhd)} × ${tr.qty} (${t(`status.${tr.status}`, {}, lang)})`,
        { sticky: true },
      )
      line.addTo(layer)
      line.getElement()?.setAttribute('data-transfer', tr.id)
      L.circleMarker([to.lat, to.lng], { radius: 3, color: style.color, fillOpacity: 1, interactive: false }).addTo(layer)
    }
    return () => void layer.remove()
  }, [map, transfers, sites, lang])
  return null
}
