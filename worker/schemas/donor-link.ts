import { z } from '@hono/zod-openapi'
import { Abo, ComponentCode, Rhd, Urgency } from './common'
import { DonorAntigens, DonorCode, PeerDonor, PeerSearch } from './donor'
export { PeerDonor, PeerSearch }
export type { PeerDonorT, PeerSearchT } from './donor'

/** What another province asks of this one's pool (signed GET /api/link/donors): the match, and who asks (for the audit). */
export const PeerDonorQuery = z.object({
  antigens: DonorAntigens.optional(),
  abo: Abo.optional(),
  rhd: Rhd.optional(),
  component: ComponentCode.default('RBC'),
  allowRhPositive: z.enum(['true', 'false']).optional(),
  eligible: z.enum(['true', 'false']).optional(),
  by: z.string().max(100).optional().openapi({ description: "the asking user's name, recorded in this province's audit of the read" }),
})
export type PeerDonorQueryT = z.infer<typeof PeerDonorQuery>

const Station = z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string() })

export const CallupLink = z
  .object({
    id: z.string(),
    direction: z.enum(['out', 'in']).openapi({ description: "out: asked by this province; in: this province's donors asked for" }),
    province: z.string().openapi({ description: "the donors' province (out) or the asking one (in)" }),
    requestId: z.string().openapi({ description: 'the aid request in the asking province' }),
    requestSite: Station,
    component: ComponentCode,
    abo: Abo,
    rhd: Rhd,
    antigens: z.string(),
    urgency: Urgency,
    neededBy: z.string().nullable(),
    donorCodes: z.array(z.string()),
    note: z.string(),
    askedBy: z.string(),
    status: z.enum(['pending', 'issued', 'declined']),
    localRequest: z.string().nullable().openapi({ description: 'in, issued: the aid request recorded here for the call-ups' }),
    callups: z
      .array(z.object({ donorCode: z.string(), callupId: z.string(), status: z.string().optional() }))
      .openapi({ description: "the call-ups issued, with each one's last status reported back (asked until the first report)" }),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string(),
    createdAt: z.string(),
  })
  .openapi('CallupLink')
export type CallupLinkT = z.infer<typeof CallupLink>

export const CallupLinkCreate = z
  .object({
    requestId: z.string().min(1).max(64).openapi({ description: "this province's aid request the donors are for" }),
    province: z.string().min(1).max(40).openapi({ description: "the donors' province (a linked one)" }),
    donorCodes: z.array(DonorCode).min(1).max(20),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .openapi('CallupLinkCreate')
export type CallupLinkCreateT = z.infer<typeof CallupLinkCreate>

export const CallupLinkDecision = z
  .object({ note: z.string().trim().max(500).optional() })
  .strict()
  .openapi('CallupLinkDecision')
export type CallupLinkDecisionT = z.infer<typeof CallupLinkDecision>

export const CallupLinkQuery = z.object({
  direction: z.enum(['out', 'in']).optional(),
  status: z.enum(['pending', 'issued', 'declined']).optional(),
  request: z.string().max(64).optional(),
})
