import { z } from '@hono/zod-openapi'
import { PlanInstanceSchema } from '../../solver/instance-schema'
import { PlanResultSchema, UnmetSchema } from '../../solver/result-schema'
import { Abo, ComponentCode, Rhd } from './common'
import { Transfer } from './transfer'
import { DonorSuggestion } from './donor'

/** The solver's result (docs/plan-instance.md): solver/result-schema.ts, the one schema of it, named for OpenAPI. */
export const PlanResult = PlanResultSchema.openapi('PlanResult')

export const HospitalFloor = z
  .object({
    site: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    onHand: z.number().int().openapi({ description: 'ordinary liquid units on hand at planning (no antigen profile, not frozen)' }),
    floor: z.number().int().openapi({ description: 'units the hospital keeps: ceil(avgDailyUse × days); no plan or commit takes it below' }),
    offered: z.number().int().openapi({ description: 'onHand − floor: the units the plan could take' }),
    avgDailyUse: z.number().openapi({ description: 'units a day over 14 days: the larger of what its station issued to it and what it issued' }),
    days: z.number().openapi({ description: "its province's red-level days for the component (warning_policy.red_days)" }),
  })
  .openapi('HospitalFloor')

/** A stored plan's instance: the instance solved, with the rare-antigen rounds' instances and an incident's quota split. */
export const StoredInstance = PlanInstanceSchema.safeExtend({
  antigenRounds: z
    .array(z.object({ antigens: z.string(), instance: PlanInstanceSchema }))
    .optional()
    .openapi({
      description:
        'plans made before antigens were in the contract: the rare-antigen rounds, solved first on the lots carrying each profile (now one instance, its lots and needs carrying `antigens`)',
    }),
  quotaSplit: z
    .array(z.object({ site: z.string(), component: ComponentCode, before: z.number().int(), sends: z.number().int() }))
    .optional()
    .openapi({ description: "an incident's quota to a destination outside the region: each station's spare units (before) and what it sends" }),
  drawOnHospitals: z.literal(true).optional().openapi({ description: 'the coordinator let this plan draw on hospitals’ surplus (PlanCreate.drawOnHospitals)' }),
  hospitalRound: z
    .object({ floors: z.array(HospitalFloor), instance: PlanInstanceSchema })
    .optional()
    .openapi({
      description:
        'with drawOnHospitals, when the stations left emergency or urgent units unmet: each hospital’s floor and surplus, and the instance solved on ' +
        'that surplus for what was left (the plan’s result merges both solves)',
    }),
}).openapi('StoredInstance')

export const PlanCreate = z
  .object({
    mode: z.enum(['routine', 'disaster']).optional().openapi({ description: 'disaster mode is passed to the solver as options.mode' }),
    requestIds: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: 'plan only these aid requests (default: every open request, and planned ones not yet covered)' }),
    incidentId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: 'plan an incident (docs/incidents.md): its estimate becomes aid requests, planned with every open request in disaster mode' }),
    drawOnHospitals: z
      .boolean()
      .optional()
      .openapi({
        description:
          'issue 23: after the stations, plan the emergency and urgent units still unmet on hospitals’ stock above their floor (N days of their own use, ' +
          "N = the province's red-level days). Hospital transfers carry `fromHospital`. Not with incidentId.",
      }),
  })
  .strict()
  .openapi('PlanCreate')

export const PlanStatus = z
  .enum(['review', 'committed', 'closed', 'superseded'])
  .openapi({ description: 'superseded: a newer plan covers the same requests (supersededBy); its proposals were closed and it cannot be committed' })

export const PlanSummary = z
  .object({
    id: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    mode: z.enum(['routine', 'disaster']),
    status: PlanStatus,
    transferCount: z.number().int(),
    approvedCount: z.number().int().openapi({ description: 'transfers approved and not yet committed: the review work a newer plan would close' }),
    unmetUnits: z.number().int(),
    incidentId: z.string().nullable().optional().openapi({ description: 'the incident this plan responds to' }),
    supersededBy: z.string().optional().openapi({ description: 'on a superseded plan: the newer plan that replaced it' }),
    supersededAt: z.string().optional(),
  })
  .openapi('PlanSummary')

export const PlanDetail = PlanSummary.extend({
  instance: StoredInstance.openapi({
    description:
      "The plan instance built from live data (docs/plan-instance.md). `reserves` hold each station's red-level floor: " +
      "ceil(average daily issue over 14 days × the province's red_days) per site × component × group; transfers never take a station below it.",
  }),
  result: PlanResult,
  transfers: z.array(Transfer),
  unmet: z
    .array(
      UnmetSchema.extend({
        need: z.string().openapi({ description: 'the aid request id' }),
        donors: z.array(DonorSuggestion).optional().openapi({
          description:
            "for a rare or RhD-negative need unmet for want of compatible stock: stations with callable matching pool donors, nearest by road first, with the time a called donor's unit would be ready and arrive",
        }),
      }),
    )
    .openapi({ description: "needs left (partly) unmet, with the solver's explanation" }),
  greenChannel: z
    .object({ approved: z.array(z.string()), committed: z.array(z.string()), note: z.string().optional() })
    .nullable()
    .optional()
    .openapi({ description: 'for an incident with its green channel open: the emergency transfers approved and committed at planning' }),
  roadTimes: z
    .object({ pairs: z.number().int(), fromTable: z.number().int(), estimated: z.number().int() })
    .openapi({ description: 'Ordered pairs of sites in the instance; how many had a road time (road_time table), how many were estimated' }),
  estimatedRoutes: z
    .array(z.object({ from: z.string(), to: z.string(), hours: z.number() }))
    .openapi({ description: "The plan's transfer routes with no road time in the table: their ETA is the great-circle estimate (km × 1.3 ÷ 60 km/h)" }),
  oldestStockReport: z.object({ siteId: z.string(), at: z.string(), hours: z.number() }).nullable().optional().openapi({
    description: 'The site whose last stock report was oldest when the plan was made, when, and how many hours old: the plan planned on stock that old',
  }),
}).openapi('PlanDetail')

export const PlanQuery = z.object({
  status: PlanStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export type PlanResultT = z.infer<typeof PlanResult>
export type PlanCreateT = z.infer<typeof PlanCreate>
export type PlanSummaryT = z.infer<typeof PlanSummary>
export type PlanDetailT = z.infer<typeof PlanDetail>
