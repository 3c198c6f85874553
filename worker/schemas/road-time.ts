import { z } from '@hono/zod-openapi'
import { SiteId } from './common'

export const Hours = z.number().positive().max(72).openapi({ description: 'Hours by road, by car with a transport box', example: 3.5 })

export const RoadTime = z
  .object({
    from: z.string(),
    to: z.string(),
    hours: z.number(),
    note: z.string().openapi({ description: 'e.g. the route, or a mountain pass closed in winter' }),
    updatedBy: z.string(),
    updatedAt: z.string(),
  })
  .openapi('RoadTime')
export type RoadTimeT = z.infer<typeof RoadTime>

export const RoadTimePut = z
  .object({
    from: SiteId,
    to: SiteId,
    hours: Hours,
    note: z.string().trim().max(300).default(''),
    bothWays: z.boolean().default(true).openapi({ description: 'Also set to → from (default true)' }),
  })
  .strict()
  .refine((r) => r.from !== r.to, { message: 'from and to must differ', path: ['to'] })
  .openapi('RoadTimePut')
export type RoadTimePutT = z.infer<typeof RoadTimePut>

export const RoadTimeQuery = z.object({ site: SiteId.optional().openapi({ description: 'Only pairs from or to this site' }) })
export const RoadTimeKey = z.object({
  from: SiteId,
  to: SiteId,
  bothWays: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
})

export const RoadTimeList = z
  .object({
    roadTimes: z.array(RoadTime),
    missing: z
      .array(z.object({ from: z.string(), to: z.string(), estimatedHours: z.number() }))
      .openapi({ description: 'Pairs of sites with no road time: plans use the great-circle estimate (km × 1.3 ÷ 60 km/h) for them' }),
  })
  .openapi('RoadTimeList')

export const RoadTimeImportResult = z.object({ rows: z.number().int(), upserted: z.number().int() }).openapi('RoadTimeImportResult')

export const ROAD_TIME_COLUMNS = ['from_site', 'to_site', 'hours', 'note'] as const
