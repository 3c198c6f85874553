import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { provinceOf } from '../link/config'
import { requireSignedGet } from '../link/donors'
import { json } from '../schemas/common'
import { PeerDonorQuery } from '../schemas/donor-link'
import { PeerPool } from '../schemas/donor'
import { peerPool } from '../services/donors/link'

/** This province's rare-donor pool as a linked province searches it (signed GET; the fused pool of issue 24). */
export const linkDonors = new OpenAPIHono<AppEnv>()

linkDonors.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['link'],
    security: [{ link: [] }],
    request: { query: PeerDonorQuery },
    description:
      "This province's callable donors matching a linked province's search, signed like the inbox with the path and query as the body " +
      '(X-Link-From, X-Link-Timestamp, X-Link-Signature). Only what the pool needs: code, group, antigens, consent, home station and city, ' +
      'when they may give; no name, phone, history or call-ups. Each donor returned is audited as read by that province.',
    responses: {
      200: json(PeerPool, "This province's matching donors"),
      401: json(ErrorBody, 'link_refused: unknown sender, bad signature, or a timestamp more than 5 minutes off'),
    },
  }),
  async (c) => {
    const url = new URL(c.req.url)
    const headers = { from: c.req.header('x-link-from'), timestamp: c.req.header('x-link-timestamp'), signature: c.req.header('x-link-signature') }
    const from = await requireSignedGet(c.env, headers, url.pathname + url.search)
    return c.json(await peerPool(c.env.DB, from, provinceOf(c.env)!, c.req.valid('query')), 200)
  },
)
