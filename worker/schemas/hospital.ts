import { z } from '@hono/zod-openapi'
import { ComponentCode, Level, SiteId } from './common'
import { LotId } from './movement'

// The station's view of its hospitals (issue 23): every hospital's stock and days of supply beside the station's
// own and its storage points', hospitals sorted by risk (lowest red-cell days first).
//
// Routes (role hospital = a blood-bank user bound to one hospital site; its own hospital only, else 403):
//   GET  /api/hospitals?station=ID          → HospitalsView (director: own station, default; coordinator/admin/planner: any)
//   POST /api/hospitals/{id}/returns        HospitalReturn + Idempotency-Key → 201 LocalTransfer (hospital → its station)
//   GET  /api/stock?site=<hospital>         stock rows like a station's; GET /api/stock/lots?site=<hospital> the lots
//   POST /api/movements {siteId:<hospital>, kind:'issue', reason:'transfusion' | 'discard' …} the hospital's ledger
//   GET  /api/sites?kind=hospital[&parent=ID] hospital sites (left out of GET /api/sites otherwise)
//   Orders (worker/schemas/order.ts):
//   POST /api/orders                        OrderCreate + Idempotency-Key → 201 HospitalOrder (hospital user, coordinator/admin)
//   GET  /api/orders?hospital=&station=&status= → {orders: HospitalOrder[]} newest first
//   GET  /api/orders/{id}                   → HospitalOrder
//   POST /api/orders/{id}/fill              OrderFill + Idempotency-Key → HospitalOrder (station director, coordinator/admin)
//   POST /api/orders/{id}/decline           OrderDecline → HospitalOrder (station director, coordinator/admin)
//   POST /api/orders/{id}/cancel            OrderCancel → HospitalOrder (the hospital, while open)
//   POST /api/orders/{id}/receive           OrderReceive (= TransferReceive) + Idempotency-Key → HospitalOrder (the hospital)
//   GET  /api/events                        an order's changes are events of entity 'hospital_order' (urgency 'emergency' for a call)

export const HospitalsQuery = z.object({
  station: SiteId.optional().openapi({ description: 'the station (a director: only their own, the default; coordinator/admin: any)' }),
})

export const SiteComponentFigures = z
  .object({
    component: ComponentCode,
    onHand: z.number().int().openapi({ description: 'usable units (unexpired, liquid)' }),
    expiring72h: z.number().int().openapi({ description: 'of them, units expiring within 72 h' }),
    avgDailyIssue: z.number().openapi({ description: 'units issued (transfused) per day over the last 14 days' }),
    daysOfSupply: z.number().nullable().openapi({ description: 'onHand ÷ avgDailyIssue, in days; null when there was no use' }),
    level: Level.openapi({ description: "by the province's warning_policy thresholds for this component" }),
  })
  .openapi('SiteComponentFigures')

export const SiteFigures = z
  .object({
    siteId: z.string(),
    kind: z.enum(['center', 'station', 'storage', 'hospital']),
    nameZh: z.string(),
    nameEn: z.string(),
    components: z.array(SiteComponentFigures).openapi({ description: 'one row per component the site holds or used' }),
    level: Level.openapi({ description: 'the worst level over its components' }),
    rbcDays: z.number().nullable().openapi({ description: 'red-cell days of supply (the sort key); null when no red cells were used' }),
    openOrders: z.number().int().openapi({ description: 'orders open or filled and not yet received (hospitals; 0 for others)' }),
    lastReportAt: z.string().nullable().openapi({ description: 'the last ledger entry written at the site' }),
  })
  .openapi('SiteFigures')
export type SiteFiguresT = z.infer<typeof SiteFigures>

export const HospitalsView = z
  .object({
    stationId: z.string(),
    days: z.number().int().openapi({ description: 'the window, in days, that average daily use is taken over' }),
    station: SiteFigures,
    storagePoints: z.array(SiteFigures),
    hospitals: z.array(SiteFigures).openapi({ description: 'sorted by risk: lowest red-cell days of supply first (no use last)' }),
  })
  .openapi('HospitalsView')
export type HospitalsViewT = z.infer<typeof HospitalsView>

/** Units a hospital sends back to its station: a local transfer hospital → station, received at once. */
export const HospitalReturn = z
  .object({
    lotId: LotId,
    qty: z.number().int().min(1).max(1000),
    note: z.string().trim().max(200).default(''),
  })
  .strict()
  .openapi('HospitalReturn')
export type HospitalReturnT = z.infer<typeof HospitalReturn>
