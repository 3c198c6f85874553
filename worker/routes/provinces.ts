import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { json } from '../schemas/common'
import { Provinces } from '../schemas/province'
import { provincesView, sendNotice } from '../services/provinces'
import { errors as baseErrors, security } from './responses'

export const provinces = new OpenAPIHono<AppEnv>()

provinces.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['provinces'],
    security,
    description: "This province's summary and each linked province's (read over the link; `unreachableSince` when it does not answer).",
    responses: { 200: json(Provinces, 'Own and peer provinces'), ...baseErrors },
  }),
  async (c) => c.json(await provincesView(c.env), 200),
)

const NoticeInput = z
  .object({
    text: z.string().trim().min(1).max(1000).openapi({ example: '万州突发事故，可能需要O型RhD阴性红细胞' }),
    urgent: z.boolean().default(false),
  })
  .strict()

const NoticeSent = z
  .object({ id: z.string(), to: z.string(), kind: z.literal('province.notice'), status: z.literal('pending'), at: z.string() })
  .openapi('NoticeSent')

provinces.openapi(
  createRoute({
    method: 'post',
    path: '/{province}/notices',
    tags: ['provinces'],
    security,
    request: {
      params: z.object({ province: z.string().min(1).max(64).openapi({ example: 'Chongqing' }) }),
      body: { content: { 'application/json': { schema: NoticeInput } }, required: true },
    },
    description:
      "A notice to another province's coordinators (an alert in their GET /api/events). Written to the outbox with its audit row and delivered by the link's courier until acknowledged. Coordinators and admins.",
    responses: {
      202: json(NoticeSent, 'Written to the outbox; delivery follows'),
      ...baseErrors,
      403: json(ErrorBody, 'Not a coordinator or admin'),
      404: json(ErrorBody, 'No linked province of that name (field `province`)'),
      409: json(ErrorBody, 'not_province_mode: this system serves the whole region'),
    },
  }),
  async (c) => {
    // the courier is poked after the write (worker/middleware/link-poke.ts)
    return c.json(await sendNotice(c.env, c.var.actor, c.req.valid('param').province, c.req.valid('json')), 202)
  },
)
