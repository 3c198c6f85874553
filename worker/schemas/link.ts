import { z } from '@hono/zod-openapi'

export const LinkOutcome = z
  .object({
    outcome: z.enum(['applied', 'replay', 'rejected']).openapi({ description: 'replay: this id was applied (or kept) before; nothing applied again' }),
    error: z.string().optional().openapi({ description: 'why a rejected message was refused; it is kept in link_inbox' }),
  })
  .openapi('LinkOutcome')

export const LinkMessage = z
  .object({
    direction: z.enum(['out', 'in']),
    id: z.string(),
    province: z.string().openapi({ description: 'the peer: where it goes (out) or where it came from (in)' }),
    kind: z.string(),
    body: z.unknown(),
    at: z.string().openapi({ description: 'written (out) or received (in)' }),
    status: z.enum(['pending', 'applied', 'replay', 'rejected']),
    error: z.string().nullable().openapi({ description: "a rejection's reason, or a pending message's last delivery error" }),
    attempts: z.number().int().nullable().openapi({ description: 'delivery attempts so far (out only)' }),
    deliveredAt: z.string().nullable(),
  })
  .openapi('LinkMessage')

export const LinkMessagesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) })

export type LinkMessageT = z.infer<typeof LinkMessage>
