import { z } from '@hono/zod-openapi'
import { SiteId, Urgency } from './common'

export const Event = z
  .object({
    id: z.number().int().openapi({ description: 'the cursor: pass the last id seen as `since`' }),
    at: z.string(),
    actorId: z.string(),
    action: z.string().openapi({ example: 'request.create' }),
    entity: z.enum(['aid_request', 'transfer', 'plan', 'incident', 'callup', 'notice', 'callup_link', 'hospital_order']),
    entityId: z.string(),
    sites: z.array(SiteId).openapi({
      description:
        "the sites it concerns: the requesting station, a transfer's donor and receiver, a call-up's collecting and requesting stations, or an order's hospital and station",
    }),
    urgency: Urgency.nullable().openapi({
      description: "for a request, its urgency; for a transfer, the most urgent request it serves; for a hospital's order, emergency (a call) or routine",
    }),
    notice: z
      .object({ fromProvince: z.string(), text: z.string(), byName: z.string(), urgent: z.boolean(), sentAt: z.string() })
      .optional()
      .openapi({ description: "a notice from another province's coordinator (entity 'notice', issue 24): shown as an alert" }),
  })
  .openapi('Event')

export const EventQuery = z.object({
  since: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: 'events after this cursor; without it, none (just the current cursor to poll from)' }),
  limit: z.coerce.number().int().min(1).max(500).default(200),
})

export const EventPage = z
  .object({
    events: z.array(Event),
    cursor: z.number().int().openapi({ description: 'pass as `since` next time' }),
  })
  .openapi('EventPage')

export type EventT = z.infer<typeof Event>
export type EventPageT = z.infer<typeof EventPage>
