import { z } from '@hono/zod-openapi'
import { Level, SiteId } from './common'

/** What one province shows the others (GET /api/link/summary): stations with levels, stock totals; no lots, donors or users. */
export const ProvinceStation = z
  .object({
    id: SiteId,
    nameZh: z.string(),
    nameEn: z.string(),
    kind: z.string().openapi({ description: 'center, station or storage' }),
    city: z.string(),
    lat: z.number(),
    lng: z.number(),
    levels: z.record(z.string(), Level).openapi({ description: 'warning level per component (the component as a whole), e.g. {"RBC": "red"}' }),
  })
  .openapi('ProvinceStation')

export const ProvinceSummary = z
  .object({
    province: z.string().nullable().openapi({ description: 'null in the one-region mode (no PROVINCE set)' }),
    at: z.string(),
    stations: z.array(ProvinceStation),
    components: z.array(
      z.object({
        component: z.string(),
        unitZh: z.string(),
        unitEn: z.string(),
        onHand: z.number().openapi({ description: 'units on hand in the province (liquid and frozen)' }),
        inTransit: z.number().openapi({ description: 'units on the road to its stations' }),
        daysOfSupply: z.number().nullable(),
      }),
    ),
    groups: z.array(
      z.object({ component: z.string(), abo: z.string(), rhd: z.string(), onHand: z.number(), inTransit: z.number() }).openapi({
        description: 'units per component and ABO/RhD group',
      }),
    ),
  })
  .openapi('ProvinceSummary')

/** A peer as GET /api/provinces shows it: its summary when it answered, else since when it has not. */
export const PeerProvince = z
  .object({
    province: z.string(),
    reachable: z.boolean(),
    summary: z.union([ProvinceSummary, z.null()]),
    unreachableSince: z.string().nullable().openapi({ description: 'the first failure after the last answer; null while it answers' }),
    lastOkAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi('PeerProvince')

export const Provinces = z.object({ own: ProvinceSummary, peers: z.array(PeerProvince) }).openapi('Provinces')

export type ProvinceSummaryT = z.infer<typeof ProvinceSummary>
export type PeerProvinceT = z.infer<typeof PeerProvince>
