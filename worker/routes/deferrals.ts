import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, json, SiteId } from '../schemas/common'
import { CsvInvalid } from '../schemas/csv'
import { Deferral, DeferralCreate, DeferralQuery } from '../schemas/donor'
import { CsvError } from '../services/csv'
import { createDeferral, exportDeferralsCsv, importDeferralsCsv, listDeferrals } from '../services/donors/deferrals'
import { linkCtx } from '../link/donors'
import { errors as baseErrors, security } from './responses'

export const deferrals = new OpenAPIHono<AppEnv>()
const errors = { ...baseErrors, 403: json(ErrorBody, 'Not allowed for this role or station') }
const csvText = (description: string) => ({ description, content: { 'text/csv': { schema: z.string() } } })

deferrals.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['deferrals'],
    security,
    request: { query: DeferralQuery },
    description: 'The joint deferral list (联合屏蔽) of the whole region: a deferral recorded at any station blocks a call-up everywhere. Not for planners.',
    responses: { 200: json(z.object({ deferrals: z.array(Deferral) }), 'Deferrals, newest first'), ...errors },
  }),
  async (c) => c.json({ deferrals: await listDeferrals(c.env.DB, c.var.actor, c.req.valid('query')) }, 200),
)

deferrals.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['deferrals'],
    security,
    request: { body: body(DeferralCreate) },
    description:
      'Records a deferral at a station (its own director, or a coordinator): reason category, from, until or null for permanent. Audited. ' +
      'In province mode it is announced to every linked province in the same batch (a donor.deferral link message).',
    responses: {
      201: json(Deferral, 'Recorded'),
      404: json(ErrorBody, 'No such donor in the pool (field donorCode)'),
      409: json(ErrorBody, 'Already on the list'),
      ...errors,
    },
  }),
  async (c) => c.json(await createDeferral(c.env.DB, c.var.actor, c.req.valid('json'), linkCtx(c.env)), 201),
)

deferrals.openapi(
  createRoute({
    method: 'get',
    path: '/csv',
    tags: ['deferrals'],
    security,
    request: { query: z.object({ site: SiteId.optional() }) },
    description: "The joint list (or one recording station's part) as CSV: donor_code, site_id, reason, from, until (empty: permanent), note.",
    responses: { 200: csvText('Deferrals'), ...errors },
  }),
  async (c) => c.body(await exportDeferralsCsv(c.env.DB, c.var.actor, c.req.valid('query').site), 200, { 'content-type': 'text/csv; charset=utf-8' }),
)

deferrals.openapi(
  createRoute({
    method: 'post',
    path: '/csv',
    tags: ['deferrals'],
    security,
    request: { query: z.object({ site: SiteId }), body: { required: true, ...csvText('donor_code, reason, from, until[, note]') } },
    description:
      'Loads the list a station already keeps, as deferrals recorded there. Rows already on the list are skipped; any bad row: 400 invalid_csv, nothing applied.',
    responses: {
      200: json(z.object({ added: z.number().int(), skipped: z.number().int() }), 'Loaded'),
      ...baseErrors,
      400: json(CsvInvalid.or(ErrorBody), 'invalid_csv with rows[]'),
      403: json(ErrorBody, "Not this station's director"),
    },
  }),
  async (c) => {
    try {
      return c.json(await importDeferralsCsv(c.env.DB, c.var.actor, c.req.valid('query').site, await c.req.text(), linkCtx(c.env)), 200)
    } catch (e) {
      if (e instanceof CsvError) return c.json({ error: { code: 'invalid_csv' as const, message: e.message }, rows: e.rows }, 400)
      throw e
    }
  },
)
