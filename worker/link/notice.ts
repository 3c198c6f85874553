import { z } from '@hono/zod-openapi'
import { insertAuditStmt } from '../db/audit'
import type { LinkMessage } from './outbox'

/**
 * province.notice: a coordinator's notice to another province's coordinators (issue 24), the link's own first
 * kind. Applied as an audit row of entity 'notice', which GET /api/events shows the receiving coordinators as an alert.
 */
export const NoticeBody = z
  .object({
    text: z.string().trim().min(1).max(1000),
    byName: z.string().max(100).openapi({ description: 'who sent it, as their province knows them' }),
    urgent: z.boolean().default(false),
  })
  .strict()

export const noticeHandler = {
  body: NoticeBody,
  apply: async (db: D1Database, msg: LinkMessage & { body: z.infer<typeof NoticeBody> }) => [
    insertAuditStmt(db, {
      actorId: `link:${msg.from}`,
      action: 'notice.receive',
      entity: 'notice',
      entityId: msg.id,
      detail: { fromProvince: msg.from, text: msg.body.text, byName: msg.body.byName, urgent: msg.body.urgent, sentAt: msg.at },
      at: new Date().toISOString(),
    }),
  ],
}
