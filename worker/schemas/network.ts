import { z } from '@hono/zod-openapi'
import { LotId } from './movement'
import { SiteId } from './common'

export const Hospital = z
  .object({ id: z.string(), siteId: z.string(), nameZh: z.string(), nameEn: z.string(), county: z.string(), createdAt: z.string() })
  .openapi('Hospital')
export type HospitalT = z.infer<typeof Hospital>

export const HospitalCreate = z
  .object({
    nameZh: z.string().trim().min(1).max(100).openapi({ example: '宜宾市第一人民医院' }),
    nameEn: z.string().trim().max(100).default(''),
    county: z.string().trim().max(50).default(''),
  })
  .strict()
  .openapi('HospitalCreate')

export const NetworkStock = z.object({
  component: z.string(),
  abo: z.string(),
  rhd: z.string(),
  station: z.number().int(),
  storagePoints: z.number().int(),
  total: z.number().int(),
})

const SupplyFigures = {
  avgDailyIssue: z
    .number()
    .openapi({ description: "units a day: the station's and its storage points' average daily issue over 14 days (uncapped under a warning)" }),
  units: z
    .object({ station: z.number().int(), hospitals: z.number().int(), prefecture: z.number().int() })
    .openapi({ description: 'usable liquid units: the station with its storage points, its hospitals, and all of them' }),
  daysOfSupply: z
    .object({ station: z.number().nullable(), hospitals: z.number().nullable(), prefecture: z.number().nullable() })
    .openapi({ description: 'days: each of `units` ÷ avgDailyIssue (null: no issue to divide by)' }),
}

export const PrefectureSupply = z
  .object({
    hospitalIds: z.array(z.string()).openapi({ description: 'the hospitals (sites of kind hospital) whose stock is counted' }),
    components: z.array(z.object({ component: z.string(), ...SupplyFigures })),
    groups: z.array(z.object({ component: z.string(), abo: z.string(), rhd: z.string(), ...SupplyFigures })),
  })
  .openapi('PrefectureSupply', {
    description:
      "Days of supply of the prefecture (issue 23): its hospitals' stock counted with the station's over the same demand, and shown apart. " +
      "The warning level stays the station's own (GET /api/stock).",
  })

export const Network = z
  .object({
    stationId: z.string(),
    storagePoints: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string(), city: z.string(), lat: z.number(), lng: z.number() })),
    hospitals: z.array(Hospital),
    totals: z.array(NetworkStock).openapi({ description: "usable stock per component × group: the station's own, its storage points', and the two together" }),
    supply: PrefectureSupply,
  })
  .openapi('StationNetwork')

export const HospitalDemand = z
  .object({
    stationId: z.string(),
    days: z.number().int(),
    demand: z.array(
      z.object({
        hospitalId: z.string().nullable().openapi({ description: 'null: issues that named no hospital' }),
        hospitalName: z.string().nullable(),
        component: z.string(),
        units: z.number().int(),
        avgDailyIssue: z.number(),
        share: z.number().openapi({ description: "this hospital's share of the component's issue at the station and its storage points" }),
      }),
    ),
  })
  .openapi('HospitalDemand')

export const LocalTransferIn = z
  .object({
    fromSite: SiteId,
    toSite: SiteId,
    lotId: LotId,
    qty: z.number().int().min(1).max(100_000),
    note: z.string().trim().max(200).default(''),
  })
  .strict()
  .openapi('LocalTransferIn', { description: 'Units moved between a station and one of its storage points (储血点): no plan and no coordinator' })

export const LocalTransfer = z
  .object({
    id: z.string(),
    fromSite: z.string(),
    toSite: z.string(),
    component: z.string(),
    abo: z.string(),
    rhd: z.string(),
    qty: z.number().int(),
    etaHours: z.number(),
    lotId: z.string(),
    newLotId: z.string().openapi({ description: 'the lot the units now make at the destination' }),
    at: z.string(),
  })
  .openapi('LocalTransfer')
