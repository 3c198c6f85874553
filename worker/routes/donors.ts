import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, json } from '../schemas/common'
import { CsvInvalid } from '../schemas/csv'
import { SiteId } from '../schemas/common'
import { CodeParam, Donor, DonorCreate, DonorPatch, DonorSearchQuery, DonorSearchResult, PoolSummary, Screening, ScreeningCreate } from '../schemas/donor'
import { CsvError } from '../services/csv'
import { exportDonorsCsv, importDonorsCsv } from '../services/donors/csv'
import { createScreening, listScreenings } from '../services/donors/deferrals'
import { createDonor, getDonor, patchDonor, poolSummary, searchDonors } from '../services/donors/pool'
import { linkCtx, peerGetter } from '../link/donors'
import { errors as baseErrors, security } from './responses'

export const donors = new OpenAPIHono<AppEnv>()
const errors = { ...baseErrors, 403: json(ErrorBody, 'Not allowed for this role or station') }
const csvText = (description: string) => ({ description, content: { 'text/csv': { schema: z.string() } } })
const SiteQuery = z.object({ site: SiteId })

donors.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['donors'],
    security,
    request: { query: DonorSearchQuery },
    summary: 'Search the regional rare-donor pool',
    description:
      "Donors across Sichuan and Chongqing matching the antigens (all of them), compatible with the patient's group for the component, " +
      'callable (consent, not on the joint deferral list), eligible now or from a date (GB 18467-2011 intervals), nearest by road to `near` ' +
      "(or to the `request`'s station) first. Planners get counts only (`donors: null`). Each donor record returned to someone outside its station is audited. " +
      "In province mode `peers` holds each linked province's matching donors (asked over the link), or says it did not answer.",
    responses: { 200: json(DonorSearchResult, 'Matching donors'), ...errors },
  }),
  async (c) => c.json(await searchDonors(c.env.DB, c.var.actor, c.req.valid('query'), linkCtx(c.env), peerGetter(c.env)), 200),
)

donors.openapi(
  createRoute({
    method: 'get',
    path: '/pool',
    tags: ['donors'],
    security,
    summary: 'The pool by antigen and province, by station, screening totals (any role)',
    responses: { 200: json(PoolSummary, 'Counts'), ...errors },
  }),
  async (c) => c.json(await poolSummary(c.env.DB), 200),
)

donors.openapi(
  createRoute({
    method: 'get',
    path: '/screenings',
    tags: ['donors'],
    security,
    request: { query: z.object({ site: SiteId.optional(), antigen: z.string().max(24).optional() }) },
    responses: { 200: json(z.object({ screenings: z.array(Screening) }), 'Rare-type screening records'), ...errors },
  }),
  async (c) => c.json({ screenings: await listScreenings(c.env.DB, c.req.valid('query')) }, 200),
)

donors.openapi(
  createRoute({
    method: 'post',
    path: '/screenings',
    tags: ['donors'],
    security,
    request: { body: body(ScreeningCreate) },
    description: 'A station records how many donors it screened for an antigen over a period and how many it found (its own director, or a coordinator).',
    responses: { 201: json(Screening, 'Recorded'), 409: json(ErrorBody, 'Already recorded for this period'), ...errors },
  }),
  async (c) => c.json(await createScreening(c.env.DB, c.var.actor, c.req.valid('json')), 201),
)

donors.openapi(
  createRoute({
    method: 'get',
    path: '/csv',
    tags: ['donors'],
    security,
    request: { query: SiteQuery },
    description:
      "A station's donors as CSV: code, abo, rhd, antigens (;-separated), consent, last_whole_blood, last_platelets. Its own director, or a coordinator (audited).",
    responses: { 200: csvText('Donors'), ...errors },
  }),
  async (c) => c.body(await exportDonorsCsv(c.env.DB, c.var.actor, c.req.valid('query').site), 200, { 'content-type': 'text/csv; charset=utf-8' }),
)

donors.openapi(
  createRoute({
    method: 'post',
    path: '/csv',
    tags: ['donors'],
    security,
    request: { query: SiteQuery, body: { required: true, ...csvText("The station's register as CSV") } },
    description: "Loads a station's register (same columns as the export). Any bad row: 400 invalid_csv with every row, nothing applied.",
    responses: {
      200: json(z.object({ added: z.number().int(), updated: z.number().int() }), 'Loaded'),
      ...baseErrors,
      400: json(CsvInvalid.or(ErrorBody), 'invalid_csv with rows[]'),
      403: json(ErrorBody, "Not this station's director"),
    },
  }),
  async (c) => {
    try {
      return c.json(await importDonorsCsv(c.env.DB, c.var.actor, c.req.valid('query').site, await c.req.text()), 200)
    } catch (e) {
      if (e instanceof CsvError) return c.json({ error: { code: 'invalid_csv' as const, message: e.message }, rows: e.rows }, 400)
      throw e
    }
  },
)

donors.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['donors'],
    security,
    request: { body: body(DonorCreate) },
    description: "Adds a typed donor to the pool: the home station's director, or a coordinator. No name or phone: the station keeps those.",
    responses: { 201: json(Donor, 'Added'), 409: json(ErrorBody, 'Code already in the pool'), ...errors },
  }),
  async (c) => c.json(await createDonor(c.env.DB, c.var.actor, c.req.valid('json')), 201),
)

donors.openapi(
  createRoute({
    method: 'get',
    path: '/{code}',
    tags: ['donors'],
    security,
    request: { params: CodeParam },
    description: "One donor record (not for planners). A read from outside the donor's station is audited.",
    responses: { 200: json(Donor, 'The donor'), 404: json(ErrorBody, 'No such donor'), ...errors },
  }),
  async (c) => c.json(await getDonor(c.env.DB, c.var.actor, c.req.valid('param').code), 200),
)

donors.openapi(
  createRoute({
    method: 'patch',
    path: '/{code}',
    tags: ['donors'],
    security,
    request: { params: CodeParam, body: body(DonorPatch) },
    description: "Edits a donor: the home station's director, or a coordinator. Donation dates are added to the history.",
    responses: { 200: json(Donor, 'Updated'), 404: json(ErrorBody, 'No such donor'), ...errors },
  }),
  async (c) => c.json(await patchDonor(c.env.DB, c.var.actor, c.req.valid('param').code, c.req.valid('json')), 200),
)
