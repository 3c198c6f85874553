import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, json, SiteId } from '../schemas/common'
import {
  CapQuery,
  HistoryQuery,
  LevelPeriod,
  Policy,
  PolicyPut,
  PolicyQuery,
  RefreshResult,
  RoutineCap,
  WarningEvent,
  WarningEventQuery,
  WarningQuery,
  WarningState,
} from '../schemas/warning'
import { siteCaps } from '../services/issue-caps'
import { siteLevelHistory } from '../services/level-history'
import { listPolicies, listWarningEvents, listWarnings, putPolicy, refreshNow } from '../services/warnings'
import { errors as baseErrors, security } from './responses'

export const warnings = new OpenAPIHono<AppEnv>()
const errors = { ...baseErrors }

warnings.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['warnings'],
    security,
    request: { query: WarningQuery },
    description: "Current warning levels per site × component × group ('*' = component as a whole), worst first.",
    responses: { 200: json(z.object({ warnings: z.array(WarningState) }), 'Levels'), ...errors },
  }),
  async (c) => c.json({ warnings: await listWarnings(c.env.DB, c.req.valid('query')) }, 200),
)

warnings.openapi(
  createRoute({
    method: 'get',
    path: '/events',
    tags: ['warnings'],
    security,
    request: { query: WarningEventQuery },
    description: 'Level changes, newest first.',
    responses: { 200: json(z.object({ events: z.array(WarningEvent) }), 'Events'), ...errors },
  }),
  async (c) => c.json({ events: await listWarningEvents(c.env.DB, c.req.valid('query')) }, 200),
)

warnings.openapi(
  createRoute({
    method: 'get',
    path: '/policies',
    tags: ['warnings'],
    security,
    request: { query: PolicyQuery },
    description: 'Thresholds in days of supply per province × component.',
    responses: { 200: json(z.object({ policies: z.array(Policy) }), 'Policies'), ...errors },
  }),
  async (c) => c.json({ policies: await listPolicies(c.env.DB, c.req.valid('query')) }, 200),
)

warnings.openapi(
  createRoute({
    method: 'put',
    path: '/policies',
    tags: ['warnings'],
    security,
    request: { body: body(PolicyPut) },
    description: 'Sets one province × component policy (yellowDays > orangeDays > redDays > 0). Coordinator or admin; audited; levels recomputed.',
    responses: { 200: json(Policy, 'The policy as stored'), ...errors, 403: json(ErrorBody, 'Not a coordinator or admin') },
  }),
  async (c) => c.json(await putPolicy(c.env.DB, c.var.actor, c.req.valid('json')), 200),
)

warnings.openapi(
  createRoute({
    method: 'post',
    path: '/refresh',
    tags: ['warnings'],
    security,
    request: { query: z.object({ site: SiteId.optional() }) },
    description: 'Recomputes levels now (the cron does this hourly), for one site or all. Coordinator or admin.',
    responses: { 200: json(RefreshResult, 'Recomputed'), ...errors, 404: json(ErrorBody, 'No such site'), 403: json(ErrorBody, 'Not a coordinator or admin') },
  }),
  async (c) => c.json(await refreshNow(c.env.DB, c.var.actor, c.req.valid('query').site), 200),
)

warnings.openapi(
  createRoute({
    method: 'get',
    path: '/caps',
    tags: ['warnings'],
    security,
    request: { query: CapQuery },
    description:
      "The day's routine-issue caps of a station, per component: at yellow / orange / red its routine issues are cut by the policy's percentage; a routine issue beyond the cap needs a capReason.",
    responses: { 200: json(z.object({ siteId: z.string(), caps: z.array(RoutineCap) }), 'Caps'), ...errors, 404: json(ErrorBody, 'No such site') },
  }),
  async (c) => c.json(await siteCaps(c.env.DB, c.req.valid('query').site), 200),
)

warnings.openapi(
  createRoute({
    method: 'get',
    path: '/history',
    tags: ['warnings'],
    security,
    request: { query: HistoryQuery },
    description: "A station's level history: when each level began and ended, per component (default: the component as a whole, abo=* rhd=*), oldest first.",
    responses: { 200: json(z.object({ siteId: z.string(), periods: z.array(LevelPeriod) }), 'Periods'), ...errors, 404: json(ErrorBody, 'No such site') },
  }),
  async (c) => c.json(await siteLevelHistory(c.env.DB, c.req.valid('query')), 200),
)
