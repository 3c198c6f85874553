import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, IsoDateTime, Rhd, SiteId, Urgency } from './common'

export const RequestStatus = z.enum(['open', 'planned', 'partly_fulfilled', 'fulfilled', 'cancelled']).openapi({
  description:
    'open → planned (committed transfers cover it) → partly_fulfilled / fulfilled as transfers arrive; cancelled by its station or a coordinator. See `coverage` for what a station can count on.',
  example: 'open',
})

/** A comma-separated rare-antigen profile, e.g. `Fy(a-),Jk(a-b-)`; stored normalised (trimmed, no empties). */
export const Antigens = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9()+\-,\s]*$/, 'Antigens are a comma-separated list such as Fy(a-),Jk(a-b-)')
  .transform((s) =>
    s
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean)
      .join(','),
  )
  .openapi({ description: 'Required rare antigen profile, comma-separated', example: 'Fy(a-)' })

/** The record behind RhD-positive red cells for an RhD-negative patient (issue 20 §6). */
export const RhPositiveConsent = z
  .object({
    consentBy: z
      .string()
      .trim()
      .min(1, 'Say who gave consent (the patient or their representative)')
      .max(200)
      .openapi({ description: 'who gave consent: the patient, or their representative and relation', example: '患者之子 王某（代理人）' }),
    consentAt: IsoDateTime.refine((v) => Date.parse(v) <= Date.now() + 5 * 60_000, 'consentAt cannot be in the future').openapi({
      description: 'when consent was given',
      example: '2026-12-01T06:10:00.000Z',
    }),
    antiDScreen: z
      .literal('negative', { error: 'RhD-positive units only when the antibody screen shows no anti-D (antiDScreen: negative)' })
      .openapi({ description: "the patient's antibody screen shows no anti-D" }),
    patientNote: z
      .string()
      .trim()
      .min(1, 'Describe the patient (age, sex, condition)')
      .max(500)
      .openapi({ description: 'who the patient is and why (age, sex, condition)', example: '男，68岁，消化道大出血，失血性休克' }),
  })
  .strict()
  .openapi('RhPositiveConsent')

export const AidRequest = z
  .object({
    id: z.string().openapi({ example: 'req_0123456789abcdef' }),
    siteId: SiteId,
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    antigens: z.string().openapi({ description: "'' when none", example: '' }),
    qty: z.number().int().openapi({ example: 20 }),
    fulfilledQty: z.number().int().openapi({ example: 0 }),
    urgency: Urgency,
    neededBy: z.string().nullable().openapi({ example: '2026-11-24T08:00:00.000Z' }),
    allowRhPositive: z.boolean().openapi({ description: 'For an RhD-negative emergency need: RhD-positive units accepted (consent given)' }),
    rhPositiveConsent: RhPositiveConsent.nullable().openapi({
      description: 'the consent record when allowRhPositive (null on requests closed before it was recorded)',
    }),
    reason: z.string(),
    status: RequestStatus,
    coverage: z.enum(['open', 'partly_covered', 'covered', 'received', 'cancelled']).openapi({
      description:
        'What the request can count on: open (nothing committed), partly_covered (onTheWayQty + fulfilledQty < qty), ' +
        'covered (committed or on the way for all of it), received (all arrived), cancelled. Proposals under review cover nothing.',
    }),
    onTheWayQty: z.number().int().openapi({ description: 'units in committed or dispatched transfers serving it' }),
    inReviewQty: z.number().int().openapi({ description: 'units proposed or approved for it in plans not yet committed' }),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AidRequest')

/** An aid request is for a need in the coming weeks; further ahead is a slip (e.g. 9999-12-31). */
export const NEEDED_BY_MAX_DAYS = 90

export const AidRequestCreate = z
  .object({
    siteId: SiteId,
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    qty: z.number().int('qty must be a whole number of units').positive('qty must be at least 1').max(100_000).openapi({ example: 20 }),
    urgency: Urgency,
    neededBy: IsoDateTime.refine((v) => Date.parse(v) > Date.now(), 'neededBy must be in the future')
      .refine((v) => Date.parse(v) <= Date.now() + NEEDED_BY_MAX_DAYS * 86_400_000, `neededBy is at most ${NEEDED_BY_MAX_DAYS} days ahead`)
      .openapi({ description: `When the units are needed: in the future, at most ${NEEDED_BY_MAX_DAYS} days ahead` }),
    reason: z.string().trim().min(1, 'Give a reason').max(1000).openapi({ example: '宫外孕大出血，O型红细胞告急' }),
    allowRhPositive: z.boolean().optional().openapi({ description: 'Only for an RhD-negative emergency need, with rhPositiveConsent' }),
    rhPositiveConsent: RhPositiveConsent.optional().openapi({ description: 'required with allowRhPositive, refused without it' }),
    antigens: Antigens.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.allowRhPositive && r.rhd !== '-')
      ctx.addIssue({ code: 'custom', path: ['allowRhPositive'], message: 'allowRhPositive only applies to an RhD-negative need' })
    else if (r.allowRhPositive && r.urgency !== 'emergency')
      ctx.addIssue({ code: 'custom', path: ['allowRhPositive'], message: 'RhD-positive units for an RhD-negative patient only in an emergency' })
    else if (r.allowRhPositive && !r.rhPositiveConsent)
      ctx.addIssue({
        code: 'custom',
        path: ['rhPositiveConsent'],
        message: 'RhD-positive units for an RhD-negative patient need the consent record: who, when, anti-D screen, patient',
      })
    else if (!r.allowRhPositive && r.rhPositiveConsent)
      ctx.addIssue({ code: 'custom', path: ['rhPositiveConsent'], message: 'A consent record goes with allowRhPositive: true' })
  })
  .openapi('AidRequestCreate')

export const AidRequestCancel = z
  .object({ reason: z.string().trim().max(1000).optional() })
  .strict()
  .openapi('AidRequestCancel')

export const AidRequestQuery = z.object({
  site: SiteId.optional(),
  status: RequestStatus.optional(),
  urgency: Urgency.optional(),
  component: ComponentCode.optional(),
  since: IsoDateTime.optional().openapi({ description: 'Only requests filed at or after this time' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})

export type AidRequestT = z.infer<typeof AidRequest>
export type RhPositiveConsentT = z.infer<typeof RhPositiveConsent>
export type AidRequestCreateT = z.infer<typeof AidRequestCreate>
export type AidRequestQueryT = z.infer<typeof AidRequestQuery>
export type RequestStatusT = z.infer<typeof RequestStatus>
