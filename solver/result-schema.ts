// zod 4 schema of the solver's result: the one description of it. The API publishes it in OpenAPI
// (worker/schemas/plan.ts) and the Workers tests check every response against that, so the schema must be
// exactly types.ts's PlanResult: the type check at the bottom fails typecheck when either drifts.
import { z } from 'zod'
import { ABOS, COMPONENTS, RHDS } from './types'
import type { PlanResult } from './types'

const component = z.enum(COMPONENTS)
const abo = z.enum(ABOS)
const rhd = z.enum(RHDS)
const units = z.number().int().nonnegative()
const UNMET_REASONS = [
  'no_compatible_stock',
  'route_too_long',
  'none_in_time',
  'insufficient_shelf_life',
  'held_by_reserves',
  'used_by_higher_priority',
  'insufficient_stock',
] as const
const unmetReason = z.enum(UNMET_REASONS)
const urgencyCounts = z.object({ emergency: units, urgent: units, routine: units }).meta({ description: 'units per urgency' })

export const AllocationSchema = z.object({
  need: z.string().meta({ description: 'the need served' }),
  fromSite: z.string().meta({ description: "the donor site; equal to the need's site for local use" }),
  abo,
  rhd,
  qty: units,
  lots: z.array(z.object({ id: z.string(), qty: units })),
  substitution: z.boolean().meta({ description: "true when the donor group differs from the need's group" }),
  preferenceRank: z.number().int().nonnegative().meta({ description: '0 = identical group; higher = later in the clinical preference order' }),
  travelHours: z.number().nonnegative().meta({ description: "road hours from fromSite to the need's site (0 for local use)" }),
  frozen: z.literal(true).optional().meta({ description: 'the units are frozen red cells, thawed before dispatch' }),
})

export const ResultTransferSchema = z.object({
  from: z.string(),
  to: z.string(),
  component,
  abo,
  rhd,
  qty: units,
  etaHours: z.number().nonnegative().meta({ description: 'hours to arrival: road hours, plus thawHours for frozen units' }),
  needs: z.array(z.string()).meta({ description: 'ids of the needs this transfer serves' }),
  frozen: z
    .literal(true)
    .optional()
    .meta({ description: 'frozen red cells, thawed and deglycerolised before dispatch (a transfer apart from liquid units of the route)' }),
  thawHours: z.number().nonnegative().optional().meta({ description: 'hours of thawing included in etaHours (frozen transfers only)' }),
})

export const UnmetSchema = z.object({
  need: z.string(),
  qty: units,
  reason: unmetReason.optional(),
  message: z.string().optional(),
})

export const ResultSummarySchema = z.object({
  demandUnits: urgencyCounts,
  unmetUnits: urgencyCounts,
  unmetByReason: z.partialRecord(unmetReason, units).meta({ description: 'unmet units per reason code' }),
  allocatedUnits: units,
  transferredUnits: units,
  substitutedUnits: units,
  fairness: z
    .array(
      z.object({
        component,
        maxShare: z.number().meta({ description: "largest share (0–1) of a donor station's stock sent out" }),
        method: z.enum(['parametric-max-flow', 'not-needed']),
      }),
    )
    .meta({ description: 'fairness stage, per component solved' }),
  exact: z.boolean().meta({
    description:
      'true when the unmet units are proven lexicographically optimal; false only in disaster mode when the lock search stood in for the exact stage (see `notes`)',
  }),
  notes: z.array(z.string()).optional().meta({ description: 'why `exact` is false, per component' }),
})

export const PlanResultSchema = z
  .object({
    status: z.literal('optimal'),
    allocations: z.array(AllocationSchema),
    transfers: z.array(ResultTransferSchema),
    unmet: z.array(UnmetSchema),
    objective: z.number().meta({ description: 'preference-tier cost of the plan, after the lexicographic unmet totals' }),
    summary: ResultSummarySchema,
  })
  .meta({ description: "The solver's result (docs/plan-instance.md)" })

// Compile-time: the schema's type is exactly PlanResult (a field added to, removed from or retyped in either fails).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const sameAsTypes: Equal<z.infer<typeof PlanResultSchema>, PlanResult> = true
void sameAsTypes
