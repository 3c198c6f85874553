import { z } from '@hono/zod-openapi'
import { SCENARIOS } from '../../solver/domain'
import { ComponentCode, SiteId } from './common'

export const ScenarioName = z.enum(SCENARIOS).openapi({
  description:
    'spring-festival: collection 60–75 % for 3 weeks from day 3, demand 0.9; summer: collection 0.4–0.5 in student-heavy cities (Chengdu, Chongqing, Mianyang, Nanchong), 0.75–0.85 elsewhere; epidemic: collection 15–30 % from day 3, demand 0.9; year: each shock on its calendar dates from the start date (Spring Festival ±10 days by the lunar calendar, summer vacation July 1–August 31, flu season December 1–February 28: collection 0.85–0.95, demand 1.05; overlapping factors multiply); custom: the factors in `custom` (default 1, the baseline)',
  example: 'spring-festival',
})

export const SimPolicy = z
  .object({
    name: z.string().trim().min(1).max(40).openapi({ example: 'planner, red floor' }),
    dispatch: z.enum(['none', 'planner']).openapi({ description: 'none: no transfers; planner: solve() plans transfers on planning days' }),
    reserveDays: z.number().min(0).max(60).openapi({
      description: 'reserve floor in red-cell days of supply that transfers may not take a donor below (other components scaled by their red threshold)',
      example: 3,
    }),
    triggerDays: z
      .number()
      .gt(0)
      .max(60)
      .openapi({ description: 'a station asks for aid when its days of supply (stock + in transit) falls below this; it asks up to this level', example: 5 }),
    mode: z.enum(['routine', 'disaster']).optional().openapi({ description: 'passed to the solver as options.mode' }),
    planEveryDays: z.number().int().min(1).max(30).optional().openapi({ description: 'plan every N days (default 1)' }),
  })
  .strict()
  .openapi('SimulationPolicy')

export const SimulationCreate = z
  .object({
    scenario: ScenarioName,
    days: z.number().int().min(1).max(366).openapi({ description: 'days to simulate, up to a year (366)', example: 30 }),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2_147_483_647)
      .optional()
      .openapi({ description: 'PRNG seed (default 1); the same seed gives the same result on the same data', example: 7 }),
    routineShare: z.number().min(0).max(1).optional().openapi({
      description:
        "share of hospital demand that is routine and so cut at yellow, orange and red by the policy's % (default 0.3, an assumption; 0 turns the cut off)",
    }),
    policies: z.array(SimPolicy).min(1).max(4),
    sites: z.array(SiteId).min(1).max(200).optional().openapi({ description: 'simulate only these sites (default: all)' }),
    components: z
      .array(ComponentCode)
      .min(1)
      .max(5)
      .optional()
      .openapi({ description: 'simulate only these components (default: every component with stock or use)' }),
    custom: z
      .object({
        collectionFactor: z.number().min(0).max(3).optional(),
        demandFactor: z.number().min(0).max(3).optional(),
        fromDay: z.number().int().min(0).max(59).optional(),
        toDay: z.number().int().min(0).max(59).optional(),
      })
      .strict()
      .optional()
      .openapi({ description: 'factors of the custom scenario inside days fromDay..toDay (default the whole run)' }),
  })
  .strict()
  .openapi('SimulationCreate')
export type SimulationCreateT = z.infer<typeof SimulationCreate>

const ByComponent = z.record(z.string(), z.number()).openapi({ description: 'per component code' })

export const SimulationPolicyResult = z
  .object({
    policy: SimPolicy,
    demandUnits: z.number().int(),
    shortageUnits: z.number().int().openapi({ description: 'demanded units no local stock could meet' }),
    shortageByComponent: ByComponent,
    deferredUnits: z
      .number()
      .int()
      .openapi({ description: "routine demand postponed by the warning levels' cuts: demandUnits = issued + shortageUnits + deferredUnits" }),
    deferredByComponent: ByComponent,
    shortageBySite: z.array(z.object({ site: z.string(), units: z.number().int(), byComponent: ByComponent })),
    fillRate: z.number(),
    redDays: z.number().int().openapi({ description: "days on which at least one station's red cells were below its red threshold" }),
    redSiteDays: ByComponent,
    transferredUnits: z.number().int(),
    transferCount: z.number().int(),
    unitHours: z.number().openapi({ description: 'units × road hours of the planned transfers' }),
    wastageUnits: z.number().int().openapi({ description: 'units discarded at expiry' }),
    wastageByComponent: ByComponent,
    balance: z
      .array(
        z.object({
          component: ComponentCode,
          start: z.number().int(),
          collected: z.number().int(),
          issued: z.number().int(),
          expired: z.number().int(),
          end: z.number().int(),
          inTransit: z.number().int(),
        }),
      )
      .openapi({ description: 'per component: start + collected = issued + expired + end + inTransit' }),
    series: z.array(
      z.object({
        day: z.number().int(),
        date: z.string(),
        collectionFactor: z.number(),
        demandFactor: z.number(),
        demandUnits: z.number().int(),
        shortageUnits: z.number().int(),
        collectedUnits: z.number().int(),
        transferredUnits: z.number().int(),
        rbcDaysOfSupply: z.number().nullable(),
        stationsRed: z.number().int(),
      }),
    ),
    plans: z.number().int().openapi({ description: 'planning rounds that called the solver' }),
    solveMs: z.number(),
  })
  .openapi('SimulationPolicyResult')

export const SimulationResult = z
  .object({
    at: z.string().openapi({ description: 'the moment the starting region was read' }),
    scenario: ScenarioName,
    start: z.string(),
    days: z.number().int(),
    seed: z.number().int(),
    sites: z.number().int(),
    components: z.array(ComponentCode),
    baseline: z
      .array(z.object({ component: ComponentCode, stockUnits: z.number().int(), dailyIssue: z.number(), floored: z.number().int() }))
      .openapi({ description: 'the starting region per component: units on hand, baseline daily issue, site × group rates raised to the floor' }),
    assumptions: z.array(z.string()),
    policies: z.array(SimulationPolicyResult),
    elapsedMs: z.number(),
  })
  .openapi('SimulationResult')
