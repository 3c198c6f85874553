import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, Level, Rhd, SiteId } from './common'
import { Antigen } from './movement'

/** Where a stock figure is: the site (with its names) and the component and group. */
const AtSiteGroup = {
  siteId: z.string(),
  siteNameZh: z.string(),
  siteNameEn: z.string(),
  province: z.string(),
  component: z.string(),
  abo: z.string(),
  rhd: z.string(),
}

export const StockRow = z
  .object({
    ...AtSiteGroup,
    onHand: z.number().int().openapi({ description: 'Usable liquid units: lots not expired now (frozen red cells apart, in frozenOnHand)' }),
    frozenOnHand: z
      .number()
      .int()
      .openapi({ description: 'Frozen red cells (≤ −65 °C, kept up to 10 years): not in onHand nor in days of supply; thawed for use, then 24 h' }),
    inTransit: z.number().int().openapi({ description: 'Units on committed or dispatched transfers to this site' }),
    expiring72h: z.number().int().openapi({ description: 'Usable units expiring within 72 hours' }),
    avgDailyIssue: z.number().openapi({ description: 'Units issued to hospitals per day over the last 14 days' }),
    daysOfSupply: z.number().nullable().openapi({ description: 'onHand ÷ avgDailyIssue; null when there is no use' }),
    hospitalsOnHand: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'on a station with hospitals (issue 23): usable liquid units of the group at its hospitals' }),
    daysOfSupplyWithHospitals: z.number().nullable().optional().openapi({
      description: "on a station with hospitals: (onHand + hospitalsOnHand) ÷ avgDailyIssue. daysOfSupply and the level stay the station's own",
    }),
    level: Level,
    unitZh: z.string(),
    unitEn: z.string(),
    componentNameZh: z.string(),
    componentNameEn: z.string(),
  })
  .openapi('StockRow')
export type StockRowT = z.infer<typeof StockRow>

export const StockQuery = z.object({
  site: SiteId.optional(),
  component: ComponentCode.optional(),
  abo: Abo.optional(),
  rhd: Rhd.optional(),
  level: Level.optional(),
  province: z.string().max(50).optional(),
})
export type StockQueryT = z.infer<typeof StockQuery>

export const StockSummary = z
  .object({
    at: z.string(),
    components: z
      .array(
        z.object({
          component: z.string(),
          unitEn: z.string(),
          unitZh: z.string(),
          onHand: z.number().int(),
          frozenOnHand: z.number().int(),
          inTransit: z.number().int(),
          expiring72h: z.number().int(),
          avgDailyIssue: z.number(),
          daysOfSupply: z.number().nullable(),
        }),
      )
      .openapi({
        description:
          'Per component, every group together; daysOfSupply = onHand / avgDailyIssue (null: no recent issue); frozen red cells apart (frozenOnHand)',
      }),
    groups: z.array(
      z.object({
        component: z.string(),
        abo: z.string(),
        rhd: z.string(),
        unitEn: z.string(),
        unitZh: z.string(),
        onHand: z.number().int(),
        frozenOnHand: z.number().int(),
        inTransit: z.number().int(),
        expiring72h: z.number().int(),
        avgDailyIssue: z.number(),
        daysOfSupply: z.number().nullable(),
      }),
    ),
    levels: z
      .array(z.object({ component: z.string(), normal: z.number().int(), yellow: z.number().int(), orange: z.number().int(), red: z.number().int() }))
      .openapi({ description: 'Per component, how many sites stand at each level (component as a whole)' }),
  })
  .openapi('StockSummary')

export const SummaryQuery = z.object({ province: z.string().max(50).optional() })

export const Lot = z
  .object({
    id: z.string(),
    ...AtSiteGroup,
    antigens: z.array(z.string()),
    collectedAt: z.string(),
    expiresAt: z.string(),
    qty: z.number().int(),
    hoursToExpiry: z.number(),
    frozen: z.boolean().openapi({ description: 'frozen red cells (≤ −65 °C): thawed before use, then 24 h' }),
    thawedAt: z.string().nullable().openapi({ description: 'units of a thawed lot: when they were thawed (expiry 24 h later)' }),
  })
  .openapi('Lot')

const flag = z.enum(['true', 'false']).transform((v) => v === 'true')

export const LotQuery = z.object({
  site: SiteId.optional(),
  component: ComponentCode.optional(),
  abo: Abo.optional(),
  rhd: Rhd.optional(),
  expiringWithinHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 400)
    .optional(),
  includeEmpty: flag.optional().openapi({ type: 'boolean', description: 'Include lots with qty 0' }),
  includeExpired: flag.optional().openapi({ type: 'boolean', description: 'Include expired lots' }),
  frozen: flag.optional().openapi({ type: 'boolean', description: 'true: frozen red cells only; false: liquid only; absent: both' }),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
})
export type LotQueryT = z.infer<typeof LotQuery>

export const RareQuery = z
  .object({
    antigen: Antigen.optional(),
    rhd: Rhd.optional(),
    component: ComponentCode.optional(),
    abo: Abo.optional(),
    frozen: flag.optional().openapi({ type: 'boolean', description: 'true: frozen units only; false: liquid only; absent: both' }),
  })
  .refine((q) => q.antigen !== undefined || q.rhd !== undefined, { message: 'Search by antigen or rhd (or both)', path: ['antigen'] })
