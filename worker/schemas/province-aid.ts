import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, IsoDateTime, Rhd, SiteId, Urgency } from './common'
import { Antigens } from './request'

/**
 * Aid across the border (issue 24): the API's bodies and answers, and the link messages' bodies (aid.*). Each side
 * keeps its own row of an aid: the asking province ('asker') and the province asked ('giver').
 */

const Province = z.string().trim().min(2).max(40).openapi({ example: 'Sichuan' })
const Reason = z.string().trim().min(1, 'Say why').max(500)
const Note = z.string().trim().min(1).max(500)

export const ProvinceAidCreate = z
  .object({
    giver: Province.openapi({ description: 'the province asked' }),
    siteId: SiteId.openapi({ description: 'the receiving station, one of your own province' }),
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    antigens: Antigens.optional(),
    qty: z.number().int().min(1).max(10_000),
    urgency: Urgency,
    neededBy: IsoDateTime,
    reason: Reason,
    requestId: z.string().min(1).max(64).optional().openapi({ description: "your own aid request this serves (a plan's unmet need): the units arrive for it" }),
  })
  .strict()
  .openapi('ProvinceAidCreate')

export const ProvinceAidOffer = z
  .object({
    lines: z
      .array(z.object({ transferId: z.string().min(1).max(64), qty: z.number().int().min(1) }).strict())
      .min(1, 'Offer at least one line')
      .max(50),
    dispatchAt: IsoDateTime.optional().openapi({
      description: 'when the boxes leave, if later than now (a counter on time): each line arrives its ETA after it',
    }),
    note: Note.optional().openapi({ description: 'required for a counter-offer (fewer units, or later than needed)' }),
  })
  .strict()
  .openapi('ProvinceAidOffer')

export const ProvinceAidReason = z.object({ reason: Reason }).strict().openapi('ProvinceAidReason')

export const ProvinceAidSide = z.enum(['asker', 'giver'])
export const ProvinceAidStatus = z.enum(['requested', 'offered', 'declined', 'accepted', 'refused']).openapi({
  description: 'requested → offered (an offer or a counter) or declined by the giver; offered → accepted or refused by the asker',
})

const By = z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(200) }).strict()
const SiteRef = z
  .object({
    id: SiteId,
    nameZh: z.string().min(1).max(200),
    nameEn: z.string().min(1).max(200),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
  })
  .strict()

export const OfferLine = z
  .object({
    transferId: z.string().min(1).max(64),
    fromSite: SiteId,
    fromNameZh: z.string(),
    fromNameEn: z.string(),
    qty: z.number().int().min(1),
    etaHours: z.number().min(0),
  })
  .strict()
export const Offer = z
  .object({
    lines: z.array(OfferLine).min(1),
    qty: z.number().int().min(1).openapi({ description: 'units offered in all' }),
    dispatchAt: z.string().openapi({ description: 'when the boxes leave (the offer time, or later in a counter on time)' }),
    arriveBy: z.string().openapi({ description: 'when the last line arrives, dispatched at dispatchAt' }),
    counter: z.boolean().openapi({ description: 'fewer units than asked, or later than needed' }),
    note: z.string().nullable(),
    by: By,
    at: z.string(),
  })
  .strict()
  .openapi('ProvinceAidOfferRecord')

export const Unit = z
  .object({
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    antigens: z.string().max(200),
    collectedAt: z.string().min(1).max(40),
    expiresAt: z.string().min(1).max(40),
    qty: z.number().int().min(1),
  })
  .strict()
export const DispatchRecord = z
  .object({
    temperatureC: z.number().min(-90).max(60),
    carrier: z.string().max(200).nullable(),
    packedAt: z.string().max(40).nullable(),
    sealedAt: z.string().max(40).nullable(),
    etaHours: z.number().min(0),
    by: By,
    at: z.string(),
  })
  .strict()
export const ReceiptRecord = z
  .object({
    receivedQty: z.number().int().min(0),
    acceptedQty: z.number().int().min(0),
    rejectedQty: z.number().int().min(0),
    rejectReason: z.string().max(600).nullable(),
    temperatureC: z.number().min(-90).max(60),
    inRange: z.boolean(),
    by: By,
    at: z.string(),
  })
  .strict()

export const Shipment = z
  .object({
    transferId: z.string().openapi({ description: "the giving province's transfer" }),
    localTransfer: z.string().openapi({ description: "this province's transfer: the giver's own, or the asker's incoming one" }),
    fromSite: z.string(),
    fromNameZh: z.string(),
    fromNameEn: z.string(),
    qty: z.number().int(),
    units: z.array(Unit),
    dispatch: DispatchRecord,
    receipt: ReceiptRecord.nullable(),
    status: z.enum(['dispatched', 'received']),
  })
  .openapi('ProvinceAidShipment')

export const ProvinceAid = z
  .object({
    id: z.string().openapi({ example: 'aid_0123456789abcdef' }),
    side: ProvinceAidSide.openapi({ description: 'asker: this province asked; giver: this province was asked' }),
    asker: z.string(),
    giver: z.string(),
    site: SiteRef.openapi({ description: 'the receiving station, as the asking province names it' }),
    destSite: z.string().nullable().openapi({ description: 'giver: the external site standing for the receiving station, once planned' }),
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    antigens: z.string(),
    qty: z.number().int(),
    urgency: Urgency,
    neededBy: z.string(),
    reason: z.string(),
    requestId: z.string().nullable().openapi({ description: 'asker: its own request this serves; giver: the need its planner plans' }),
    planId: z.string().nullable(),
    status: ProvinceAidStatus,
    offer: Offer.nullable(),
    declineReason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    shipments: z.array(Shipment),
  })
  .openapi('ProvinceAid')

/** The link messages' bodies: strict, so a message carrying anything else is kept as rejected by the inbox. */
export const AidRequestMsg = z
  .object({
    aidId: z.string().min(5).max(64),
    site: SiteRef,
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    antigens: z.string().max(200),
    qty: z.number().int().min(1).max(10_000),
    urgency: Urgency,
    neededBy: IsoDateTime,
    reason: z.string().min(1).max(500),
    by: By,
    at: IsoDateTime,
  })
  .strict()
export const AidOfferMsg = z.object({ aidId: z.string().min(5).max(64), offer: Offer }).strict()
export const AidDeclineMsg = z
  .object({
    aidId: z.string().min(5).max(64),
    stage: z.enum(['request', 'offer']).openapi({ description: 'request: the giver declines the request; offer: the asker declines the offer' }),
    reason: z.string().min(1).max(500),
    by: By,
    at: IsoDateTime,
  })
  .strict()
export const AidAcceptMsg = z.object({ aidId: z.string().min(5).max(64), by: By, at: IsoDateTime }).strict()
export const AidDispatchMsg = z
  .object({
    aidId: z.string().min(5).max(64),
    transferId: z.string().min(1).max(64),
    from: SiteRef,
    qty: z.number().int().min(1),
    units: z.array(Unit).min(1),
    dispatch: DispatchRecord,
  })
  .strict()
  .refine((m) => m.units.reduce((s, u) => s + u.qty, 0) === m.qty, { message: 'The units add up to qty', path: ['units'] })
export const AidReceiptMsg = z.object({ aidId: z.string().min(5).max(64), transferId: z.string().min(1).max(64), receipt: ReceiptRecord }).strict()

export type ProvinceAidCreateT = z.infer<typeof ProvinceAidCreate>
export type ProvinceAidOfferT = z.infer<typeof ProvinceAidOffer>
export type ProvinceAidT = z.infer<typeof ProvinceAid>
export type OfferT = z.infer<typeof Offer>
export type ShipmentT = z.infer<typeof Shipment>
export type UnitT = z.infer<typeof Unit>
export type ByT = z.infer<typeof By>
export type AidSide = z.infer<typeof ProvinceAidSide>
