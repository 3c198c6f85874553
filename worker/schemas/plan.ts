import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, Rhd } from './common'
import { Transfer } from './transfer'
import { DonorSuggestion } from './donor'

/** The solver's result (docs/plan-instance.md), as documented in OpenAPI. */
export const PlanResult = z
  .object({
    status: z.string().openapi({ example: 'optimal' }),
    allocations: z.array(
      z.object({
        need: z.string(),
        fromSite: z.string().openapi({ description: "equal to the need's site for local use" }),
        abo: Abo,
        rhd: Rhd,
        qty: z.number().int(),
        lots: z.array(z.object({ id: z.string(), qty: z.number().int() })),
      }),
    ),
    transfers: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        component: ComponentCode,
        abo: Abo,
        rhd: Rhd,
        qty: z.number().int(),
        etaHours: z.number(),
        needs: z.array(z.string()).optional(),
      }),
    ),
    unmet: z.array(
      z.object({
        need: z.string(),
        qty: z.number().int(),
        reason: z.string().optional().openapi({ description: 'no_compatible_stock, none_in_time, insufficient_shelf_life, held_by_reserves, used_by_higher_priority, insufficient_stock' }),
        message: z.string().optional(),
      }),
    ),
    objective: z.number(),
  })
  .openapi('PlanResult')

export const PlanCreate = z
  .object({
    mode: z.enum(['routine', 'disaster']).optional().openapi({ description: 'disaster mode is passed to the solver as options.mode' }),
    requestIds: z.array(z.string().min(1).max(64)).min(1).max(500).optional()
      .openapi({ description: 'plan only these aid requests (default: every open request, and planned ones not yet covered)' }),
    incidentId: z.string().min(1).max(64).optional()
      .openapi({ description: 'plan an incident (docs/incidents.md): its estimate becomes aid requests, planned with every open request in disaster mode' }),
  })
  .strict()
  .openapi('PlanCreate')

export const PlanStatus = z.enum(['review', 'committed', 'closed'])

export const PlanSummary = z
  .object({
    id: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    mode: z.enum(['routine', 'disaster']),
    status: PlanStatus,
    transferCount: z.number().int(),
    unmetUnits: z.number().int(),
    incidentId: z.string().nullable().optional().openapi({ description: 'the incident this plan responds to' }),
  })
  .openapi('PlanSummary')

export const PlanDetail = PlanSummary.extend({
  instance: z.unknown().openapi({
    description:
      'The plan instance built from live data (docs/plan-instance.md). `reserves` hold each station\'s red-level floor: ' +
      'ceil(average daily issue over 14 days × the province\'s red_days) per site × component × group; transfers never take a station below it.',
  }),
  result: PlanResult,
  transfers: z.array(Transfer),
  unmet: z.array(
    z.object({
      need: z.string().openapi({ description: 'the aid request id' }),
      qty: z.number().int(),
      reason: z.string().optional(),
      message: z.string().optional(),
      donors: z.array(DonorSuggestion).optional().openapi({ description: 'for a rare or RhD-negative need unmet for want of compatible stock: stations with callable matching pool donors, nearest by road first, with the time a called donor\'s unit would be ready and arrive' }),
    }),
  ).openapi({ description: 'needs left (partly) unmet, with the solver\'s explanation' }),
  greenChannel: z.object({ approved: z.array(z.string()), committed: z.array(z.string()), note: z.string().optional() }).nullable().optional()
    .openapi({ description: 'for an incident with its green channel open: the emergency transfers approved and committed at planning' }),
  roadTimes: z.object({ pairs: z.number().int(), fromTable: z.number().int(), estimated: z.number().int() })
    .openapi({ description: 'Ordered pairs of sites in the instance; how many had a road time (road_time table), how many were estimated' }),
  estimatedRoutes: z.array(z.object({ from: z.string(), to: z.string(), hours: z.number() }))
    .openapi({ description: "The plan's transfer routes with no road time in the table: their ETA is the great-circle estimate (km × 1.3 ÷ 60 km/h)" }),
  oldestStockReport: z.object({ siteId: z.string(), at: z.string(), hours: z.number() }).nullable().optional()
    .openapi({ description: 'The site whose last stock report was oldest when the plan was made, when, and how many hours old: the plan planned on stock that old' }),
}).openapi('PlanDetail')

export const PlanQuery = z.object({
  status: PlanStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export type PlanResultT = z.infer<typeof PlanResult>
export type PlanCreateT = z.infer<typeof PlanCreate>
export type PlanSummaryT = z.infer<typeof PlanSummary>
export type PlanDetailT = z.infer<typeof PlanDetail>
