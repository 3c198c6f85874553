import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, IsoDateTime, Rhd, SiteId } from './common'
import { Antigens } from './request'
import { CALLUP_STATUSES, DEFERRAL_REASONS } from '../../solver/domain'

export const DonorCode = z
  .string()
  .regex(/^[A-Z0-9]+-[A-Z0-9]+$/, 'A donor code is the station code, a dash and capital letters or digits, e.g. CQ-R0012')
  .min(4)
  .max(32)
  .openapi({ description: "The station's own code for the donor; the app stores no name or phone", example: 'CQ-R0012' })
export const CodeParam = z.object({ code: DonorCode.openapi({ param: { name: 'code', in: 'path' } }) })

export const DonorAntigens = Antigens.openapi({ description: 'Red-cell antigens and HLA/HPA types, comma-separated', example: 'Fy(a-),HLA-A2' })

export const Donor = z
  .object({
    code: DonorCode,
    siteId: SiteId,
    province: z.string(),
    abo: Abo,
    rhd: Rhd,
    antigens: z.string(),
    consent: z.boolean().openapi({ description: 'agrees to be called' }),
    lastWholeBloodAt: z.string().nullable(),
    lastPlateletsAt: z.string().nullable(),
    plateletsLastYear: z.number().int().openapi({ description: 'apheresis platelet donations in the last 365 days (at most 24)' }),
    deferred: z.boolean().openapi({ description: 'a deferral of the joint list is in force' }),
    deferredUntil: z.string().nullable().openapi({ description: 'end of the deferral; null with deferred = permanent' }),
    eligibleFrom: z.object({ WB: z.string().nullable(), PLT: z.string().nullable() }).openapi({
      description: 'When the donor may give whole blood / apheresis platelets (GB 18467-2011 intervals and deferrals); null: never (permanent deferral)',
    }),
    eligibleNow: z.boolean().openapi({ description: 'callable now for the searched component: consent, no deferral, interval met, no live call-up' }),
    callupId: z.string().nullable().openapi({ description: 'a live call-up (asked, scheduled or donated)' }),
    roadHours: z.number().nullable().openapi({ description: 'road hours from the `near` station' }),
  })
  .openapi('Donor')

export const DonorSearchQuery = z.object({
  antigens: DonorAntigens.optional().openapi({ description: "every antigen listed must be in the donor's profile" }),
  abo: Abo.optional().openapi({ description: "the patient's ABO group: donors compatible with it for `component`" }),
  rhd: Rhd.optional().openapi({ description: "the patient's RhD" }),
  component: ComponentCode.default('RBC').openapi({ description: 'what the donor would give (PLT: apheresis; else whole blood)' }),
  eligible: z.enum(['true', 'false']).optional().openapi({ description: 'true: only donors callable now' }),
  near: SiteId.optional().openapi({ description: 'sort by road time from this station' }),
  site: SiteId.optional().openapi({ description: 'only donors of this home station' }),
  request: z.string().min(1).max(64).optional().openapi({ description: 'an aid request: its group, component and antigens, nearest to its station' }),
  all: z.enum(['true', 'false']).optional().openapi({ description: 'true: include deferred and non-consenting donors (station lists)' }),
})

export const SiteCount = z.object({
  siteId: SiteId,
  province: z.string(),
  donors: z.number().int(),
  eligibleNow: z.number().int(),
  roadHours: z.number().nullable(),
})
/** A donor as the other province sees it: only what the pool needs — no name, phone, donation history or call-ups. */
export const PeerDonor = z
  .object({
    code: DonorCode,
    abo: Abo,
    rhd: Rhd,
    antigens: z.string(),
    consent: z.boolean(),
    station: z.object({ id: SiteId, nameZh: z.string(), nameEn: z.string(), city: z.string() }),
    eligibleFrom: z.string().nullable().openapi({ description: 'when the donor may give for the component searched (GB 18467-2011)' }),
    eligibleNow: z.boolean(),
  })
  .openapi('PeerDonor')
export type PeerDonorT = z.infer<typeof PeerDonor>

export const PeerPool = z.object({ province: z.string(), donors: z.array(PeerDonor) }).openapi('PeerPool')

/** The linked provinces' part of a donor search: each says whether it answered. */
export const PeerSearch = z
  .object({
    province: z.string(),
    reachable: z.boolean(),
    error: z.string().nullable().openapi({ description: 'why the province did not answer (unreachable, refused, timed out)' }),
    total: z.number().int().nullable(),
    eligibleNow: z.number().int().nullable(),
    donors: z.array(PeerDonor).nullable().openapi({ description: 'null for planners (counts only) and when unreachable' }),
  })
  .openapi('PeerSearch')
export type PeerSearchT = z.infer<typeof PeerSearch>

export const DonorSearchResult = z
  .object({
    total: z.number().int(),
    eligibleNow: z.number().int(),
    bySite: z.array(SiteCount).openapi({ description: 'nearest first when `near` or `request` is given' }),
    donors: z.array(Donor).nullable().openapi({ description: 'null for planners, who see counts only' }),
    peers: z.array(PeerSearch).openapi({ description: "in province mode, each linked province's matching donors, or why it did not answer" }),
  })
  .openapi('DonorSearchResult')

export const DonationDates = z.object({
  lastWholeBloodAt: IsoDateTime.nullable().optional(),
  lastPlateletsAt: IsoDateTime.nullable().optional(),
})
export const DonorCreate = z
  .object({
    code: DonorCode,
    siteId: SiteId,
    abo: Abo,
    rhd: Rhd,
    antigens: DonorAntigens.refine((s) => s.length > 0, 'A pool donor has at least one typed antigen (e.g. Fy(a-), RhD-, HLA-A2)').optional(),
    consent: z.boolean().default(true),
    ...DonationDates.shape,
  })
  .strict()
  .openapi('DonorCreate')
export const DonorPatch = z
  .object({
    abo: Abo.optional(),
    rhd: Rhd.optional(),
    antigens: DonorAntigens.optional(),
    consent: z.boolean().optional(),
    ...DonationDates.shape,
  })
  .strict()
  .openapi('DonorPatch')

export const DeferralReason = z.enum(DEFERRAL_REASONS).openapi({ description: 'reason category (the station keeps the details)' })
export const Deferral = z
  .object({
    id: z.string(),
    donorCode: z.string(),
    siteId: SiteId.nullable().openapi({ description: 'the recording station; null for a deferral received from another province' }),
    reason: DeferralReason,
    from: z.string(),
    until: z.string().nullable(),
    note: z.string(),
    createdBy: z.string().nullable().openapi({ description: 'null for a deferral received from another province' }),
    createdAt: z.string(),
    active: z.boolean(),
    fromProvince: z.string().nullable().openapi({ description: 'the province that recorded it, when received over the link' }),
    sourceSite: z.string().nullable().openapi({ description: "the recording station's id in that province" }),
    sourceSiteNameZh: z.string().nullable(),
    sourceSiteNameEn: z.string().nullable(),
  })
  .openapi('Deferral')
export const DeferralCreate = z
  .object({
    donorCode: DonorCode,
    siteId: SiteId.openapi({ description: 'the recording station' }),
    reason: DeferralReason,
    from: IsoDateTime,
    until: IsoDateTime.nullable().openapi({ description: 'null: permanent' }),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.until && Date.parse(d.until) <= Date.parse(d.from)) ctx.addIssue({ code: 'custom', path: ['until'], message: 'until must be after from' })
  })
  .openapi('DeferralCreate')
export const DeferralQuery = z.object({ donor: DonorCode.optional(), site: SiteId.optional(), active: z.enum(['true', 'false']).optional() })

export const CallupStatus = z.enum(CALLUP_STATUSES)
export const Callup = z
  .object({
    id: z.string(),
    donorCode: z.string(),
    requestId: z.string(),
    siteId: SiteId.openapi({ description: 'the collecting station' }),
    requestSiteId: SiteId,
    component: ComponentCode,
    status: CallupStatus,
    scheduledAt: z.string().nullable(),
    donatedAt: z.string().nullable(),
    lotId: z.string().nullable().openapi({ description: 'the released unit, a lot at the collecting station' }),
    readyAt: z.string().nullable().openapi({ description: 'when the unit would be released at the collecting station' }),
    arrivesAt: z.string().nullable().openapi({ description: 'readyAt plus road time to the requesting station' }),
    meetsDeadline: z.boolean().nullable(),
    note: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Callup')
export const CallupCreate = z
  .object({
    requestId: z.string().min(1).max(64),
    donorCodes: z.array(DonorCode).min(1).max(10),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .openapi('CallupCreate')
export const CallupMove = z
  .object({
    status: CallupStatus.exclude(['asked']),
    scheduledAt: IsoDateTime.optional().openapi({ description: 'scheduled: when the donor comes' }),
    donatedAt: IsoDateTime.optional().openapi({ description: 'donated: when (default now)' }),
    qty: z
      .number()
      .int()
      .min(1)
      .max(4)
      .optional()
      .openapi({ description: 'released: units (default 2 U red cells / whole blood from 400 mL, 1 platelet dose)' }),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .openapi('CallupMove')
export const CallupQuery = z.object({ request: z.string().max(64).optional(), site: SiteId.optional(), status: CallupStatus.optional() })

export const Screening = z
  .object({
    id: z.string(),
    siteId: SiteId,
    antigen: z.string(),
    screened: z.number().int(),
    found: z.number().int(),
    periodFrom: z.string(),
    periodTo: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('Screening')
export const ScreeningCreate = z
  .object({
    siteId: SiteId,
    antigen: z.string().regex(/^[A-Za-z0-9()+\-]{2,24}$/, 'One antigen such as Fy(a-) or HPA-1a-'),
    screened: z.number().int().min(1).max(10_000_000),
    found: z.number().int().min(0),
    periodFrom: IsoDateTime,
    periodTo: IsoDateTime,
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.found > s.screened) ctx.addIssue({ code: 'custom', path: ['found'], message: 'found cannot exceed screened' })
    if (Date.parse(s.periodTo) < Date.parse(s.periodFrom))
      ctx.addIssue({ code: 'custom', path: ['periodTo'], message: 'periodTo must not be before periodFrom' })
  })
  .openapi('ScreeningCreate')

export const PoolSummary = z
  .object({
    total: z.number().int(),
    eligibleNow: z.number().int(),
    byAntigen: z.array(
      z.object({ antigen: z.string(), donors: z.number().int(), eligibleNow: z.number().int(), Sichuan: z.number().int(), Chongqing: z.number().int() }),
    ),
    bySite: z.array(z.object({ siteId: SiteId, donors: z.number().int() })),
    screening: z.array(z.object({ siteId: SiteId, antigen: z.string(), screened: z.number().int(), found: z.number().int() })),
    deferralsActive: z.number().int(),
  })
  .openapi('PoolSummary')

export const DonorSuggestion = z
  .object({
    siteId: SiteId,
    roadHours: z.number(),
    donors: z.number().int(),
    eligibleNow: z.number().int(),
    readyAt: z
      .string()
      .openapi({ description: "earliest release at the donor's station: eligible date (or now) + the component's collection, testing and processing hours" }),
    arrivesAt: z.string(),
    meetsDeadline: z.boolean(),
  })
  .openapi('DonorSuggestion')

export type DonorT = z.infer<typeof Donor>
export type DonorSearchQueryT = z.infer<typeof DonorSearchQuery>
export type DonorCreateT = z.infer<typeof DonorCreate>
export type DonorPatchT = z.infer<typeof DonorPatch>
export type DeferralCreateT = z.infer<typeof DeferralCreate>
export type CallupT = z.infer<typeof Callup>
export type CallupCreateT = z.infer<typeof CallupCreate>
export type CallupMoveT = z.infer<typeof CallupMove>
export type ScreeningCreateT = z.infer<typeof ScreeningCreate>
export type DonorSuggestionT = z.infer<typeof DonorSuggestion>
