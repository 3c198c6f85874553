import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, IdempotencyHeader, IdParam, json, OptionalIdempotencyHeader } from '../schemas/common'
import { PlanDetail } from '../schemas/plan'
import { ProvinceAid, ProvinceAidCreate, ProvinceAidOffer, ProvinceAidReason } from '../schemas/province-aid'
import { CommitResult } from '../schemas/transfer'
import { isReplay } from '../services/idempotency'
import { acceptAid, commitAid, createAid, declineAid, getAid, listAids, offerAid, planAid, refuseAid, type Here } from '../services/province-aid'
import { errors as baseErrors, security } from './responses'

/** Aid across the border (issue 24, docs/province-aid.md). */
export const provinceAid = new OpenAPIHono<AppEnv>()
const errors = {
  ...baseErrors,
  403: json(ErrorBody, "Not allowed for this role, or another province's station or step"),
  404: json(ErrorBody, 'No such aid in this province'),
  409: json(ErrorBody, 'aid_state: the aid is not in a state for this step; not_province_mode: PROVINCE is not set'),
}

/** Which province this system is, and its linked peers (wrangler.toml: PROVINCE, LINK_PEERS = JSON {province: url}). */
function here(env: AppEnv['Bindings']): Here {
  const e = env as { PROVINCE?: string; LINK_PEERS?: string }
  let peers: string[] = []
  try {
    peers = e.LINK_PEERS ? Object.keys(JSON.parse(e.LINK_PEERS) as Record<string, string>) : []
  } catch {
    peers = []
  }
  return { province: e.PROVINCE || undefined, peers }
}

const stepRoute = (path: string, summary: string, description: string) => ({
  method: 'post' as const,
  path,
  tags: ['province-aid'],
  security,
  summary,
  description,
  responses: { 200: json(ProvinceAid, 'The aid as it now stands'), ...errors },
})
const step = (path: string, summary: string, description: string) => createRoute({ ...stepRoute(path, summary, description), request: { params: IdParam } })
const stepWith = <B extends z.ZodType>(path: string, summary: string, description: string, b: B) =>
  createRoute({ ...stepRoute(path, summary, description), request: { params: IdParam, body: body(b) } })

provinceAid.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['province-aid'],
    security,
    description: "This province's aids: those it asked another province for (side asker) and those it was asked (side giver), newest first.",
    responses: {
      200: json(
        z.object({ province: z.string(), peers: z.array(z.string()).openapi({ description: 'the provinces this one may ask' }), aids: z.array(ProvinceAid) }),
        'Aids',
      ),
      ...errors,
    },
  }),
  async (c) => {
    const h = here(c.env)
    return c.json({ province: h.province ?? '', peers: h.peers, aids: await listAids(c.env.DB, c.var.actor, h) }, 200)
  },
)

provinceAid.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['province-aid'],
    security,
    request: { params: IdParam },
    responses: { 200: json(ProvinceAid, 'The aid'), ...errors },
  }),
  async (c) => c.json(await getAid(c.env.DB, c.var.actor, here(c.env), c.req.valid('param').id), 200),
)

provinceAid.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['province-aid'],
    security,
    summary: 'Ask another province for blood for one of your stations (coordinator or admin)',
    description:
      "Writes the aid and its 'aid.request' link message in one batch. The receiving station must be your own province's (403 otherwise). " +
      'With an Idempotency-Key a retry answers the same aid (200, Idempotent-Replayed: true).',
    request: { headers: OptionalIdempotencyHeader, body: body(ProvinceAidCreate) },
    responses: {
      201: json(ProvinceAid, 'Asked'),
      200: json(ProvinceAid, 'Already asked under this Idempotency-Key'),
      ...errors,
    },
  }),
  async (c) => {
    const { aid, created } = await createAid(c.env.DB, c.var.actor, here(c.env), c.req.valid('json'), c.req.valid('header')['idempotency-key'])
    if (created) return c.json(aid, 201)
    c.header('Idempotent-Replayed', 'true')
    return c.json(aid, 200)
  },
)

provinceAid.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/plan',
    tags: ['province-aid'],
    security,
    summary: 'The province asked plans the aid with its own planner',
    description:
      'The aid becomes an aid request at an external site standing for the receiving station, and a plan is made for it alone (review it on the plan page; ' +
      'offer its lines here). Planning again supersedes the older plan.',
    request: { params: IdParam },
    responses: { 201: json(z.object({ aid: ProvinceAid, plan: PlanDetail }), 'The aid and its plan'), ...errors },
  }),
  async (c) => c.json(await planAid(c.env.DB, c.var.actor, here(c.env), c.req.valid('param').id), 201),
)

provinceAid.openapi(
  stepWith(
    '/{id}/offer',
    'Offer (or counter) lines of the plan',
    "Each line a transfer of the aid's plan from one of your own stations (403 otherwise), at most its planned quantity. Fewer units than asked, or " +
      "later than needed, is a counter-offer and needs a note. Writes the 'aid.offer' message in the same batch.",
    ProvinceAidOffer,
  ),
  async (c) => c.json(await offerAid(c.env.DB, c.var.actor, here(c.env), c.req.valid('param').id, c.req.valid('json')), 200),
)

provinceAid.openapi(
  stepWith('/{id}/decline', 'The province asked declines the request, with a reason', "Writes 'aid.decline' (stage request).", ProvinceAidReason),
  async (c) => c.json(await declineAid(c.env.DB, c.var.actor, here(c.env), c.req.valid('param').id, c.req.valid('json').reason), 200),
)

provinceAid.openapi(step('/{id}/accept', 'The asking province accepts the offer', "Once only (409 after). Writes 'aid.accept'."), async (c) =>
  c.json(await acceptAid(c.env.DB, c.var.actor, here(c.env), c.req.valid('param').id), 200),
)

provinceAid.openapi(
  stepWith('/{id}/refuse', 'The asking province declines the offer, with a reason', "Writes 'aid.decline' (stage offer).", ProvinceAidReason),
  async (c) => c.json(await refuseAid(c.env.DB, c.var.actor, here(c.env), c.req.valid('param').id, c.req.valid('json').reason), 200),
)

provinceAid.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/commit',
    tags: ['province-aid'],
    security,
    summary: 'The province asked commits what it offered, once accepted',
    description:
      "Approves each offered transfer at the offered quantity and commits the aid's plan (the plan commit's rules and 409s). Then its stations dispatch as usual; " +
      "each dispatch writes 'aid.dispatch'.",
    request: { params: IdParam, headers: IdempotencyHeader },
    responses: { 200: json(CommitResult, 'Committed'), ...errors },
  }),
  async (c) => {
    const result = await commitAid(c.env.DB, c.var.actor, here(c.env), c.req.valid('param').id, c.req.valid('header')['idempotency-key'])
    if (isReplay(result)) c.header('Idempotent-Replayed', 'true')
    return c.json(result, 200)
  },
)
