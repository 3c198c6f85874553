import { z } from '@hono/zod-openapi'

const LevelCounts = z
  .object({ normal: z.number(), yellow: z.number(), orange: z.number(), red: z.number() })
  .openapi({ description: 'stations at each warning level for the component (the component as a whole)' })
const ComponentTotal = z.object({
  component: z.string(),
  unitZh: z.string(),
  unitEn: z.string(),
  onHand: z.number().openapi({ description: 'units on hand (liquid and frozen)' }),
  inTransit: z.number().openapi({ description: 'units on the road' }),
  daysOfSupply: z.number().nullable().openapi({ description: 'on hand ÷ average daily issue; null without issue' }),
  levels: LevelCounts,
})

/** One province as the national view read it from its own database. */
export const NationalProvince = z
  .object({
    code: z.string().openapi({ example: 'GD', description: 'the binding DB_<code> it was read through' }),
    province: z.string().openapi({ example: 'Guangdong' }),
    ok: z.boolean(),
    error: z.string().nullable().openapi({ description: 'why it could not be read (the others are still answered)' }),
    readMs: z.number().openapi({ description: 'milliseconds to read its summary' }),
    stations: z.number().openapi({ description: 'centres and stations (not storage points or hospitals)' }),
    components: z.array(ComponentTotal),
  })
  .openapi('NationalProvince')

export const NationalSummary = z
  .object({
    at: z.string(),
    readMs: z.number().openapi({ description: 'milliseconds to read every province, in parallel' }),
    provinces: z.array(NationalProvince),
    national: z.object({
      provinces: z.number().openapi({ description: 'provinces read' }),
      unreadable: z.number().openapi({ description: 'provinces that could not be read' }),
      stations: z.number(),
      components: z.array(ComponentTotal),
      groups: z.array(z.object({ component: z.string(), abo: z.string(), rhd: z.string(), onHand: z.number(), inTransit: z.number() })),
    }),
  })
  .openapi('NationalSummary')

export type NationalSummaryT = z.infer<typeof NationalSummary>
export type NationalProvinceT = z.infer<typeof NationalProvince>
