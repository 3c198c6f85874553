import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, IdParam, json, OptionalIdempotencyHeader } from '../schemas/common'
import {
  EstimatePut,
  GreenChannelOpen,
  Incident,
  IncidentClose,
  IncidentCreate,
  IncidentPatch,
  IncidentQuery,
  IncidentReport,
  IncidentSummary,
  TimelineEntry,
} from '../schemas/incident'
import {
  closeIncident,
  declareIncident,
  getIncident,
  incidentReport,
  incidentTimeline,
  listIncidents,
  openGreenChannel,
  patchIncident,
  putEstimate,
  reportCsv,
} from '../services/incidents'
import { errors as baseErrors, security } from './responses'

export const incidents = new OpenAPIHono<AppEnv>()
const tags = ['incidents']
const errors = {
  ...baseErrors,
  403: json(ErrorBody, 'Not allowed for this role'),
}
const found = { 404: json(ErrorBody, 'No such incident'), 409: json(ErrorBody, 'The incident is closed') }

incidents.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    security,
    summary:
      'Declare an incident (coordinator or admin): kind, place, time, what is known (triaged, hospitalised or injured counts) or needs, receiving points, external destinations with a quota',
    description:
      'Answers 201 with the incident and its demand estimate by kind of incident (docs/incidents.md): the triaged counts (else hospitalised, else ' +
      "injured × the kind's admission share, at a 10/30/60 mix) × the stored per-category factors scaled to the kind's red cells per admitted casualty, " +
      "as a range (low, mid, high; the plan uses mid), split by the region's ABO/RhD shares (largest remainder), with the category's urgency and " +
      'deadline. A place more than 3° from every station answers 400 outside_region (field lat or lng) unless confirmOutsideRegion. Receiving points ' +
      'default to the 2 nearest stations by road; the estimate goes to the first. A destination outside the region gets a quota (mL or units) as ' +
      "urgent needs, so every station's floor holds against it.",
    request: { body: body(IncidentCreate), headers: OptionalIdempotencyHeader },
    responses: {
      201: json(Incident, 'Declared (or the incident a retry with the same Idempotency-Key declared)'),
      409: json(ErrorBody, 'Idempotency-Key reused'),
      ...errors,
    },
  }),
  async (c) => {
    const { incident, created } = await declareIncident(c.env.DB, c.var.actor, c.req.valid('json'), c.req.valid('header')['idempotency-key'])
    if (!created) c.header('Idempotent-Replayed', 'true')
    return c.json(incident, 201)
  },
)

incidents.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    security,
    request: { query: IncidentQuery },
    responses: { 200: json(z.object({ incidents: z.array(IncidentSummary) }), 'Incidents, active first, newest first'), ...errors },
  }),
  async (c) => c.json({ incidents: await listIncidents(c.env.DB, c.req.valid('query')) }, 200),
)

incidents.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    security,
    request: { params: IdParam },
    description:
      'The incident, its estimate, requests, plans, transfers and the outlook of its latest plan. A director sees the transfers from or to their station.',
    responses: { 200: json(Incident, 'The incident'), ...found, ...errors },
  }),
  async (c) => c.json(await getIncident(c.env.DB, c.var.actor, c.req.valid('param').id), 200),
)

incidents.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags,
    security,
    request: { params: IdParam, body: body(IncidentPatch) },
    description:
      'Update an active incident as numbers come in: new counts or kind recompute the casualty part of the estimate at the middle of its range ' +
      '(needs given directly and quotas stay); picks set the figure the plan uses per component inside the range (400 naming picks.<component> outside it).',
    responses: { 200: json(Incident, 'Updated'), ...found, ...errors },
  }),
  async (c) => c.json(await patchIncident(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')), 200),
)

incidents.openapi(
  createRoute({
    method: 'put',
    path: '/{id}/estimate',
    tags,
    security,
    request: { params: IdParam, body: body(EstimatePut) },
    description: "The coordinator's own estimate replaces the computed one; the next plan for the incident files requests for it.",
    responses: { 200: json(Incident, 'Updated'), ...found, ...errors },
  }),
  async (c) => c.json(await putEstimate(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json').lines), 200),
)

incidents.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/green-channel',
    tags,
    security,
    request: { params: IdParam, body: { ...body(GreenChannelOpen), required: false } },
    description:
      'Opens the green channel of an active incident: its emergency transfers are approved and committed when planned (those of its latest plan at once), ' +
      'so the donor stations may dispatch. A committed transfer can still be recalled until dispatched (POST /api/transfers/{id}/cancel). ' +
      "With `transferIds` (what the confirmation showed) nothing else is committed: if the latest plan's emergency transfers are not exactly those, " +
      '409 green_channel_changed and nothing happens.',
    responses: {
      200: json(
        Incident.extend({
          greenChannelResult: z.object({ approved: z.array(z.string()), committed: z.array(z.string()), note: z.string().optional() }).nullable(),
        }),
        'Open',
      ),
      ...found,
      ...errors,
    },
  }),
  async (c) => c.json(await openGreenChannel(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')?.transferIds), 200),
)

incidents.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/close',
    tags,
    security,
    request: { params: IdParam, body: { ...body(IncidentClose), required: false } },
    description: 'Closes an active incident: requests nothing covers yet are cancelled; transfers under way carry on. Answers the report.',
    responses: { 200: json(IncidentReport, 'Closed: the report'), ...found, ...errors },
  }),
  async (c) => c.json(await closeIncident(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')?.note), 200),
)

incidents.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/report',
    tags,
    security,
    request: { params: IdParam },
    responses: { 200: json(IncidentReport, 'What was sent, received, lost and left unmet; which stations fell to which level'), 404: found[404], ...errors },
  }),
  async (c) => c.json(await incidentReport(c.env.DB, c.req.valid('param').id), 200),
)

incidents.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/report.csv',
    tags,
    security,
    request: { params: IdParam },
    responses: { 200: { description: 'The report as CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: z.string() } } }, 404: found[404], ...errors },
  }),
  async (c) => {
    const id = c.req.valid('param').id
    return c.body(reportCsv(await incidentReport(c.env.DB, id)), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="incident-${id}.csv"`,
    })
  },
)

incidents.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/timeline',
    tags,
    security,
    request: { params: IdParam, query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
    responses: {
      200: json(z.object({ events: z.array(TimelineEntry) }), 'What happened, newest first: the incident, its plans and transfers'),
      404: found[404],
      ...errors,
    },
  }),
  async (c) => c.json({ events: await incidentTimeline(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('query').limit) }, 200),
)
