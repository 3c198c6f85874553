import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { PlanTimeLimitError } from '../solver'

/** The one error shape every endpoint answers with. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_input' }),
      message: z.string(),
      field: z.string().optional().openapi({ description: 'The request field at fault, as a dotted path', example: 'qty' }),
      detail: z
        .record(z.string(), z.union([z.string(), z.number()]))
        .optional()
        .openapi({ description: 'What a conflict is about, for the UI to name it (e.g. transferId, fromSite, toSite, lotId)' }),
    }),
  })
  .openapi('Error')

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 503

/** Thrown by services; rendered by the root app's onError. */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly detail?: Record<string, string | number>,
  ) {
    super(message)
  }
}

export const badRequest = (field: string, message: string, code = 'invalid_input') => new ApiError(400, code, message, field)
/** 404 naming the field that named the missing thing: the path parameter `id` unless said otherwise. */
export const notFound = (what: string, id: string, field = 'id') => new ApiError(404, 'not_found', `No ${what} ${id}`, field)
export const forbidden = (message: string, field?: string) => new ApiError(403, 'forbidden', message, field)
export const conflict = (code: string, message: string, field?: string, detail?: Record<string, string | number>) =>
  new ApiError(409, code, message, field, detail)

/** The dotted path of a zod issue's field; an unknown key is reported at its parent object, so name the key itself. */
export const issueField = (issue: { code: string; path: PropertyKey[]; keys?: string[] }) =>
  (issue.code === 'unrecognized_keys' && issue.keys?.length ? [...issue.path, issue.keys[0]] : issue.path).map(String).join('.') || undefined

export const reply = (c: Context, status: ContentfulStatusCode, code: string, message: string, field?: string, detail?: Record<string, string | number>) =>
  c.json({ error: { code, message, ...(field ? { field } : {}), ...(detail ? { detail } : {}) } }, status)

export const renderError = (err: Error, c: Context) => {
  if (err instanceof ApiError) return reply(c, err.status, err.code, err.message, err.field, err.detail)
  // hono's own 400s are about the body it could not read (malformed JSON, a wrong content type)
  if (err instanceof HTTPException) return reply(c, err.status as ContentfulStatusCode, 'bad_request', err.message, err.status === 400 ? 'body' : undefined)
  // the planner's work budget (solver/budget.ts): the isolate is free again, the client may retry smaller
  if (err instanceof PlanTimeLimitError) return reply(c, 503, 'plan_time_limit', err.message)
  console.error(err)
  return reply(c, 500, 'internal', 'Internal error')
}
