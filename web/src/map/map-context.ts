import type L from 'leaflet'
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'

/** The Leaflet map the layer components draw on; RegionMap provides it (its own module, so layers need not import RegionMap). */
export const MapContext = createContext<L.Map | null>(null)
export const useMap = (): L.Map | null => useContext(MapContext)
