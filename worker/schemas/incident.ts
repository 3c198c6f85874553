import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, IsoDateTime, Level, Rhd, SiteId, Urgency } from './common'
import { Transfer } from './transfer'
import { INCIDENT_KINDS } from '../../solver/incident-demand'

const Count = z.number().int().min(0).max(100_000)
export const Casualties = z
  .object({
    critical: Count.default(0).openapi({ description: 'immediate (red) casualties', example: 12 }),
    severe: Count.default(0).openapi({ description: 'urgent (yellow) casualties', example: 30 }),
    moderate: Count.default(0).openapi({ description: 'delayed (green) casualties', example: 60 }),
  })
  .strict()
  .openapi('Casualties')

export const IncidentKind = z.enum(INCIDENT_KINDS).openapi({
  description: 'earthquake (and building collapse), crash (road or rail), explosion (and burns), flood (and landslides), relief (a call from another province)',
  example: 'earthquake',
})
const Known = {
  injured: Count.optional().openapi({ description: "the injured, as reported (the estimate uses the kind's hospital admission rate)", example: 420 }),
  hospitalised: Count.optional().openapi({ description: 'those admitted to hospital', example: 120 }),
}
const Picks = z
  .object(Object.fromEntries(['RBC', 'WB', 'PLT', 'FFP', 'CRYO'].map((c) => [c, z.number().int().min(0).max(1_000_000).optional()])))
  .strict()
  .openapi({
    description: "the figure the plan uses per component (total units), inside the estimate's range; leave a component out for the middle figure",
    example: { RBC: 60 },
  })

const Lat = z.number().min(-90).max(90).openapi({ example: 29.914 })
const Lng = z.number().min(-180).max(180).openapi({ example: 102.235 })

export const NeedIn = z
  .object({
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    qty: z.number().int().positive().max(100_000),
    urgency: Urgency,
    neededBy: IsoDateTime.optional().openapi({ description: "default: the incident time + the urgency's triage deadline" }),
    siteId: SiteId.optional().openapi({ description: 'receiving point; default the nearest one' }),
  })
  .strict()

export const DestinationIn = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: 'Wuhan Blood Center' }),
    nameZh: z.string().trim().min(1).max(100).optional().openapi({ example: '武汉血液中心' }),
    province: z.string().trim().min(1).max(40).openapi({ example: 'Hubei' }),
    lat: Lat,
    lng: Lng,
    component: ComponentCode.default('RBC'),
    ml: z.number().int().positive().max(10_000_000).optional().openapi({ description: 'quota in mL (converted to units of the component)', example: 100000 }),
    units: z.number().int().positive().max(100_000).optional().openapi({ description: 'quota in units' }),
    antigens: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(20)
          .regex(/^[^,]+$/),
      )
      .max(10)
      .optional()
      .openapi({ description: 'rare units only: each unit must carry every one of these antigens', example: ['Fy(a-)'] }),
  })
  .strict()
  .refine((d) => (d.ml === undefined) !== (d.units === undefined), { message: 'Give the quota as ml or as units (one of them)', path: ['units'] })

export const IncidentCreate = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: '泸定地震' }),
    kind: IncidentKind.default('crash').openapi({
      description: 'the kind of incident, which sets the demand factors (default crash: the 0030 trauma factors)',
    }),
    lat: Lat.optional(),
    lng: Lng.optional(),
    siteId: SiteId.optional().openapi({ description: 'a site as the place (instead of lat/lng)' }),
    at: IsoDateTime.optional().openapi({ description: 'when it happened; default now' }),
    casualties: Casualties.optional(),
    ...Known,
    confirmOutsideRegion: z.boolean().optional().openapi({ description: 'true to declare a place far outside the region (else 400 naming lat)' }),
    needs: z.array(NeedIn).max(200).optional().openapi({ description: 'needs given directly (added to any estimate from casualties)' }),
    receivingSites: z
      .array(SiteId)
      .min(1)
      .max(10)
      .optional()
      .openapi({ description: 'receiving stations, first = where the estimate goes; default the nearest by road' }),
    destinations: z
      .array(DestinationIn)
      .max(5)
      .optional()
      .openapi({ description: "destinations outside the region with a quota shared among the region's stations" }),
    durationHours: z
      .number()
      .positive()
      .max(24 * 90)
      .optional()
      .openapi({ description: 'expected duration; a quota is due by its end (default 72 h)' }),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.siteId === undefined && (d.lat === undefined || d.lng === undefined))
      ctx.addIssue({ code: 'custom', message: 'Give lat and lng, or a siteId', path: [d.lat === undefined ? 'lat' : 'lng'] })
    const any = (d.casualties && d.casualties.critical + d.casualties.severe + d.casualties.moderate > 0) || (d.injured ?? 0) > 0 || (d.hospitalised ?? 0) > 0
    if (!any && !d.needs?.length && !d.destinations?.length)
      ctx.addIssue({ code: 'custom', message: 'Give casualties (triaged, hospitalised or injured), needs or a destination with a quota', path: ['casualties'] })
    if (any && d.kind === 'relief')
      ctx.addIssue({
        code: 'custom',
        message: 'A relief call is estimated from its destination quota, not from casualties: give destinations, or another kind',
        path: ['kind'],
      })
  })
  .openapi('IncidentCreate')

export const IncidentPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    casualties: Casualties.optional().openapi({ description: 'the numbers as they come in; the estimate is recomputed from them' }),
    ...Known,
    kind: IncidentKind.optional(),
    picks: Picks.optional(),
    durationHours: z
      .number()
      .positive()
      .max(24 * 90)
      .optional(),
  })
  .strict()
  .refine((d) => Object.keys(d).length > 0, { message: 'Nothing to change', path: ['casualties'] })
  .openapi('IncidentPatch')

export const EstimateLine = z
  .object({
    siteId: SiteId,
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    urgency: Urgency,
    qty: z.number().int().positive().max(100_000),
    neededBy: IsoDateTime,
    category: z.enum(['critical', 'severe', 'moderate', 'direct', 'quota']).optional(),
  })
  .strict()
  .openapi('EstimateLine')

export const EstimatePut = z
  .object({ lines: z.array(EstimateLine).max(500) })
  .strict()
  .openapi('EstimatePut')

export const GreenChannelOpen = z
  .object({
    transferIds: z
      .array(z.string().min(1).max(64))
      .max(1000)
      .optional()
      .openapi({ description: 'the transfers the confirmation showed: exactly these are committed, or 409' }),
  })
  .strict()
  .openapi('GreenChannelOpen')

export const IncidentClose = z.object({ note: z.string().trim().max(500).optional() }).strict()

const Point = z.object({
  siteId: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  lat: z.number(),
  lng: z.number(),
  rank: z.number().int(),
  roadHours: z.number().nullable(),
  external: z.boolean(),
  quota: z.object({ component: ComponentCode, units: z.number().int(), ml: z.number().int().nullable(), antigens: z.string().optional() }).nullable(),
})

const StationOutlook = z.object({
  siteId: z.string(),
  component: ComponentCode,
  before: z.number().int(),
  sends: z.number().int(),
  after: z.number().int(),
  avgDailyIssue: z.number(),
  daysBefore: z.number().nullable(),
  daysAfter: z.number().nullable(),
  levelBefore: Level,
  levelAfter: Level,
  share: z.number().openapi({ description: 'sends ÷ before: the share of its usable stock this station gives' }),
})

export const IncidentResponse = z
  .object({
    planId: z.string(),
    planStatus: z.string(),
    mode: z.string(),
    stations: z.array(StationOutlook).openapi({
      description: 'each donor station per component: usable stock before the plan, what it sends, and its days of supply and warning level after',
    }),
    fairness: z.array(z.object({ component: ComponentCode, maxShare: z.number(), method: z.string() })).openapi({
      description:
        "the planner's fair-shares stage: the largest share of a donor station's stock sent, per component (no station gives more while another gives nothing)",
    }),
    destinations: z.array(
      z.object({
        siteId: z.string(),
        component: ComponentCode,
        quota: z.number().int(),
        planned: z.number().int(),
        bySource: z.array(z.object({ siteId: z.string(), qty: z.number().int() })),
      }),
    ),
    unmet: z.array(
      z.object({
        requestId: z.string(),
        siteId: z.string(),
        component: z.string(),
        abo: z.string(),
        rhd: z.string(),
        urgency: z.string(),
        incident: z.boolean(),
        qty: z.number().int(),
        reason: z.string().optional(),
        message: z.string().optional(),
      }),
    ),
  })
  .openapi('IncidentResponse')

export const Incident = z
  .object({
    id: z.string(),
    name: z.string(),
    lat: z.number(),
    lng: z.number(),
    siteId: z.string().nullable(),
    occurredAt: z.string(),
    durationHours: z.number().nullable(),
    casualties: z.object({ critical: z.number().int(), severe: z.number().int(), moderate: z.number().int() }),
    kind: IncidentKind,
    injured: z.number().int().nullable(),
    hospitalised: z.number().int().nullable(),
    estimateSource: z.enum(['casualties', 'needs', 'edited']),
    status: z.enum(['active', 'closed']),
    greenChannel: z.boolean(),
    greenChannelAt: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    points: z.array(Point),
    estimate: z.object({
      // not EstimateLine.extend(): EstimateLine is strict, and an allOf of it with `category` matched no line at all
      lines: z.array(z.object({ ...EstimateLine.shape, category: z.string() })),
      basis: z
        .enum(['triaged', 'hospitalised', 'injured'])
        .nullable()
        .openapi({ description: 'which count the estimate used: triaged counts, else hospitalised, else injured' }),
      totals: z
        .array(z.object({ component: ComponentCode, urgency: Urgency, qty: z.number().int(), low: z.number().int(), high: z.number().int() }))
        .openapi({ description: 'per component and urgency: the units the plan uses (qty) and the range (low, high)' }),
      components: z
        .array(
          z.object({
            component: ComponentCode,
            qty: z.number().int(),
            low: z.number().int(),
            mid: z.number().int(),
            high: z.number().int(),
            picked: z.boolean(),
          }),
        )
        .openapi({ description: 'the estimate from casualties per component: its range, and the figure the plan uses (mid unless picked)' }),
      kindFactors: z
        .object({
          kind: IncidentKind,
          admission: z.object({ low: z.number(), mid: z.number(), high: z.number() }),
          rbcPerAdmitted: z.object({ low: z.number(), mid: z.number(), high: z.number() }),
          sources: z.array(z.string()),
        })
        .nullable(),
      factors: z.array(z.object({ category: z.string(), component: z.string(), shareTransfused: z.number(), unitsPerPatient: z.number(), source: z.string() })),
      triage: z.array(z.object({ category: z.string(), urgency: z.string(), deadlineHours: z.number(), source: z.string() })),
    }),
    requests: z.array(
      z.object({
        id: z.string(),
        siteId: z.string(),
        component: z.string(),
        abo: z.string(),
        rhd: z.string(),
        urgency: z.string(),
        qty: z.number().int(),
        fulfilledQty: z.number().int(),
        onTheWayQty: z.number().int(),
        status: z.string(),
        neededBy: z.string().nullable(),
      }),
    ),
    plans: z.array(z.object({ id: z.string(), status: z.string(), createdAt: z.string() })),
    transfers: z.array(Transfer).openapi({ description: 'transfers serving the incident (a director sees those from or to their station)' }),
    response: IncidentResponse.nullable().openapi({ description: 'the latest plan for the incident: the split, the unmet needs and the stations after it' }),
  })
  .openapi('Incident')

export const IncidentSummary = Incident.pick({
  id: true,
  name: true,
  kind: true,
  lat: true,
  lng: true,
  siteId: true,
  occurredAt: true,
  casualties: true,
  status: true,
  greenChannel: true,
  createdAt: true,
}).openapi('IncidentSummary')

export const IncidentQuery = z.object({ status: z.enum(['active', 'closed']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) })

export const TimelineEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  detail: z.unknown(),
})

export const IncidentReport = z
  .object({
    incidentId: z.string(),
    name: z.string(),
    status: z.enum(['active', 'closed']),
    occurredAt: z.string(),
    closedAt: z.string().nullable(),
    totals: z
      .array(
        z.object({
          component: ComponentCode,
          requested: z.number().int(),
          sent: z.number().int(),
          received: z.number().int(),
          rejected: z.number().int(),
          lost: z.number().int(),
          onTheWay: z.number().int(),
          unmet: z.number().int(),
        }),
      )
      .openapi({
        description:
          "per component: requested (the incident's requests), sent (dispatched or received), received (accepted into stock), rejected on arrival, lost on the way, still on the way, and left unmet",
      }),
    transfers: z.array(
      z.object({
        id: z.string(),
        fromSite: z.string(),
        toSite: z.string(),
        component: z.string(),
        abo: z.string(),
        rhd: z.string(),
        qty: z.number().int(),
        status: z.string(),
        receivedQty: z.number().int().nullable(),
        lostQty: z.number().int().nullable(),
        rejectedQty: z.number().int(),
      }),
    ),
    levels: z
      .array(z.object({ siteId: z.string(), component: z.string(), now: z.string().nullable(), worst: z.string(), changes: z.number().int() }))
      .openapi({ description: 'stations involved: their level now and the worst level they fell to since the incident' }),
  })
  .openapi('IncidentReport')

export type IncidentCreateT = z.infer<typeof IncidentCreate>
export type IncidentPatchT = z.infer<typeof IncidentPatch>
export type IncidentT = z.infer<typeof Incident>
export type IncidentSummaryT = z.infer<typeof IncidentSummary>
export type IncidentResponseT = z.infer<typeof IncidentResponse>
export type IncidentReportT = z.infer<typeof IncidentReport>
export type EstimateLineT = z.infer<typeof EstimateLine>
