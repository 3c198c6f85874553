import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, IsoDateTime, Level, Rhd, SiteId } from './common'

export const GroupAbo = z.union([Abo, z.literal('*')]).openapi({ description: "ABO group, or '*' for the component as a whole" })
export const GroupRhd = z.union([Rhd, z.literal('*')]).openapi({ description: "RhD, or '*' for the component as a whole" })

export const WarningState = z
  .object({
    siteId: z.string(),
    province: z.string(),
    component: z.string(),
    abo: z.string(),
    rhd: z.string(),
    level: Level,
    daysOfSupply: z.number().nullable(),
    since: z.string(),
  })
  .openapi('WarningState')

export const WarningQuery = z.object({
  site: SiteId.optional(),
  province: z.string().max(50).optional(),
  component: ComponentCode.optional(),
  level: Level.optional(),
  abo: GroupAbo.optional(),
  rhd: GroupRhd.optional(),
  minLevel: Level.optional().openapi({ description: 'Only this level or worse' }),
})
export type WarningQueryT = z.infer<typeof WarningQuery>

export const WarningEvent = z
  .object({
    id: z.number().int(),
    siteId: z.string(),
    component: z.string(),
    abo: z.string(),
    rhd: z.string(),
    fromLevel: Level.nullable(),
    toLevel: Level,
    daysOfSupply: z.number().nullable(),
    at: z.string(),
  })
  .openapi('WarningEvent')

export const WarningEventQuery = z.object({
  site: SiteId.optional(),
  component: ComponentCode.optional(),
  since: IsoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
export type WarningEventQueryT = z.infer<typeof WarningEventQuery>

export const Policy = z
  .object({
    province: z.string(),
    component: z.string(),
    yellowDays: z.number(),
    orangeDays: z.number(),
    redDays: z.number(),
    consecutiveDays: z.number().int(),
    cutYellowPct: z.number().int(),
    cutOrangePct: z.number().int(),
    cutRedPct: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi('WarningPolicy')
export type PolicyT = z.infer<typeof Policy>

/** A threshold in days of supply: half a day to a year, in half days (a level cannot turn on a fraction of an hour). */
const Days = z
  .number()
  .min(0.5, 'A threshold is at least 0.5 days of supply')
  .max(365, 'A threshold is at most 365 days of supply')
  .multipleOf(0.5, 'A threshold is given in half days (e.g. 2 or 2.5)')

export const PolicyPut = z
  .object({
    province: z.string().trim().min(1).max(50).openapi({ description: 'A province that has at least one site', example: 'Sichuan' }),
    component: ComponentCode,
    yellowDays: Days,
    orangeDays: Days,
    redDays: Days,
    consecutiveDays: z.number().int().min(1).max(14).default(1),
    cutYellowPct: z.number().int().min(0).max(100).default(30),
    cutOrangePct: z.number().int().min(0).max(100).default(50),
    cutRedPct: z.number().int().min(0).max(100).default(70),
  })
  .strict()
  .refine((p) => p.orangeDays > p.redDays, { message: 'orangeDays must be above redDays', path: ['orangeDays'] })
  .refine((p) => p.yellowDays > p.orangeDays, { message: 'yellowDays must be above orangeDays', path: ['yellowDays'] })
  .openapi('WarningPolicyPut')
export type PolicyPutT = z.infer<typeof PolicyPut>

export const PolicyQuery = z.object({ province: z.string().max(50).optional(), component: ComponentCode.optional() })

export const RefreshResult = z.object({ evaluated: z.number().int(), changes: z.number().int(), at: z.string() }).openapi('WarningRefresh')

export const RoutineCap = z
  .object({
    component: z.string(),
    level: Level,
    cutPct: z.number().int().openapi({ description: "the policy's cut at this level (cut_yellow_pct / cut_orange_pct / cut_red_pct)" }),
    avgDailyIssue: z
      .number()
      .openapi({ description: 'U/day: under a warning, the 14-day average before the warning began (capped issues do not lower it); else the last 14 days' }),
    warningSince: z.string().nullable().openapi({ description: 'when the current warning began (the baseline is the 14 days before it); null at normal' }),
    cap: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'routine units the station may issue today (floor of avgDailyIssue × (1 − cutPct/100)); null at normal' }),
    routineIssuedToday: z.number().int().openapi({ description: 'routine units issued since local (UTC+8) midnight' }),
    remaining: z.number().int().nullable(),
  })
  .openapi('RoutineCap')

export const CapQuery = z.object({ site: SiteId })

export const LevelPeriod = z
  .object({
    component: z.string(),
    abo: z.string(),
    rhd: z.string(),
    level: Level,
    from: z.string().nullable().openapi({ description: 'when the level began (null: before the first recorded change)' }),
    to: z.string().nullable().openapi({ description: 'when it ended (null: it lasts)' }),
    daysOfSupply: z.number().nullable(),
  })
  .openapi('LevelPeriod')

export const HistoryQuery = z.object({
  site: SiteId,
  component: ComponentCode.optional(),
  abo: GroupAbo.optional().openapi({ description: "default '*': the component as a whole" }),
  rhd: GroupRhd.optional(),
})
