import { z } from '@hono/zod-openapi'

export const AuditEntry = z
  .object({
    id: z.number().int(),
    actorId: z.string(),
    action: z.string().openapi({ example: 'transfer.approve' }),
    entity: z.string(),
    entityId: z.string(),
    detail: z.unknown(),
    at: z.string(),
  })
  .openapi('AuditEntry')

export const AuditQuery = z.object({
  entity: z.string().max(40).optional(),
  entityId: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})

export type AuditQueryT = z.infer<typeof AuditQuery>
