import { z } from '@hono/zod-openapi'
import { SiteId } from './common'

const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date is YYYY-MM-DD')

export const SupplyReportQuery = z.object({
  site: SiteId.openapi({ description: 'The station or centre' }),
  from: DateOnly.optional().openapi({
    description: 'First day, China time (default: the first day of the last full quarter, or of the quarter `to` falls in)',
    example: '2026-07-01',
  }),
  to: DateOnly.optional().openapi({
    description: 'Last day, inclusive (default: the last day of the last full quarter, or today when `from` is given)',
    example: '2026-09-30',
  }),
  format: z.enum(['json', 'csv']).default('json'),
  lang: z.enum(['zh', 'en']).default('zh').openapi({ description: "The CSV's names and units" }),
})
export type SupplyReportQueryT = z.infer<typeof SupplyReportQuery>

const n = z.number().int()
/** A quantity per component, each in the component's own unit (U, therapeutic dose, 100 mL). */
export const ByComponent = z.object({ WB: n, RBC: n, PLT: n, FFP: n, CRYO: n }).openapi('ByComponent')
export type ByComponentT = z.infer<typeof ByComponent>

const Days = z.number().openapi({ description: 'days, one decimal' })

export const SupplyReport = z
  .object({
    site: z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string(), kind: z.string() }),
    period: z.object({
      from: z.string(),
      to: z.string(),
      days: n.openapi({ description: 'days in the period' }),
      timeZone: z.string(),
      fromAt: z.string().openapi({ description: 'first instant, UTC' }),
      toAt: z.string().openapi({ description: 'end instant (exclusive), UTC' }),
    }),
    units: z.array(z.object({ component: z.string(), nameZh: z.string(), nameEn: z.string(), unitZh: z.string(), unitEn: z.string() })),
    donations: z.object({
      receipts: ByComponent.openapi({ description: "Units received at the station by receipt (its collections), each in its component's unit" }),
      wholeBloodUnits: n.openapi({ description: 'U: whole blood and red cells received' }),
      wholeBloodDonations: n.openapi({ description: 'donations, estimated: U ÷ uPerDonation' }),
      plateletDoses: n.openapi({ description: 'therapeutic doses of apheresis platelets received' }),
      plateletDonations: n.openapi({ description: 'donations, estimated: doses ÷ dosesPerDonation' }),
      uPerDonation: z.number(),
      dosesPerDonation: z.number(),
      pool: z.object({ wholeBlood: n, platelets: n }).openapi({ description: "Donations recorded one by one in the rare-donor pool by the station's donors" }),
    }),
    rate: z.object({
      population: n.nullable().openapi({ description: 'people served' }),
      populationYear: n.nullable(),
      populationSource: z.string().nullable(),
      populationSourceZh: z.string().nullable(),
      per1000: z.number().nullable().openapi({ description: 'estimated donations per 1,000 people in the period (two decimals)' }),
      per1000Annual: z.number().nullable().openapi({ description: 'the same, per year (× 365 ÷ days)' }),
    }),
    hospitals: z.array(
      z.object({
        id: z.string(),
        nameZh: z.string(),
        nameEn: z.string(),
        supplied: ByComponent,
        returned: ByComponent,
        discarded: ByComponent,
        expired: ByComponent.openapi({ description: 'of the discarded, those expired' }),
      }),
    ),
    totals: z.object({ supplied: ByComponent, returned: ByComponent, discarded: ByComponent, expired: ByComponent }),
    station: z.object({ discarded: ByComponent, expired: ByComponent }).openapi({ description: "The station's own discards" }),
    warningDays: z.array(
      z.object({
        component: z.string(),
        normal: Days,
        yellow: Days,
        orange: Days,
        red: Days,
        unrecorded: Days.openapi({ description: 'days with no recorded level' }),
      }),
    ),
  })
  .openapi('SupplyReport')
export type SupplyReportT = z.infer<typeof SupplyReport>
