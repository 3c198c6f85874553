/** The hospital side's shapes, inferred from the API's zod schemas (type-only: nothing of the worker is bundled). */
import type { Component } from './types'

type Infer<T> = import('zod').infer<T>
type Schemas = {
  stock: typeof import('../../../worker/schemas/stock')
  order: typeof import('../../../worker/schemas/order')
  hospital: typeof import('../../../worker/schemas/hospital')
}

/** A lot of GET /api/stock/lots, its component narrowed for the UI's lookups. */
export type Lot = Omit<Infer<Schemas['stock']['Lot']>, 'component'> & { component: Component }
/** A hospital's order to its station (GET /api/orders). */
export type Order = Infer<Schemas['order']['Order']>
export type OrderStatus = Infer<Schemas['order']['OrderStatus']>
/** GET /api/hospitals?station=…: the station, its storage points and its hospitals, with their figures. */
export type HospitalsView = Infer<Schemas['hospital']['HospitalsView']>
export type SiteFigures = Infer<Schemas['hospital']['SiteFigures']>
