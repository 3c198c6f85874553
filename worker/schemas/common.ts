import { z } from '@hono/zod-openapi'
import { ABOS, COMPONENTS, LEVELS, RHDS, URGENCIES } from '../../solver/domain'

export const Abo = z.enum(ABOS).openapi({ description: 'ABO group', example: 'O' })
export const Rhd = z.enum(RHDS).openapi({ description: 'RhD: + positive, - negative', example: '+' })
export const ComponentCode = z.enum(COMPONENTS).openapi({
  description: 'WB whole blood (U), RBC red cells (U), PLT apheresis platelets (therapeutic doses), FFP plasma (100 mL units), CRYO cryoprecipitate (U)',
  example: 'RBC',
})
export const Urgency = z.enum(URGENCIES).openapi({ example: 'urgent' })
export const Level = z.enum(LEVELS).openapi({ description: 'Stock warning level (库存预警)' })
export const SiteId = z
  .string()
  .regex(/^[A-Z0-9]{2,12}$/, 'A site id is 2–12 capital letters or digits')
  .openapi({ example: 'CD' })
/** The dates this data can hold, UTC: a year 0000 or 9999 is a slip, not a date. */
export const DATE_RANGE = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' } as const
export const inDateRange = (v: string) => Date.parse(v) >= Date.parse(DATE_RANGE.from) && Date.parse(v) < Date.parse(DATE_RANGE.to)
export const IsoDateTime = z.iso
  .datetime({ offset: true })
  .refine(inDateRange, 'A date from 2000-01-01 up to 2100-01-01')
  .openapi({ example: '2026-11-23T08:00:00Z' })
export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
})
export const SiteParam = z.object({ id: SiteId.openapi({ param: { name: 'id', in: 'path' } }) })

/** Idempotency-Key for writes: a retry with the same key is applied once. Header names are lowercase. */
export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(128)
    .openapi({ description: 'Any unique string per logical write; retries reuse it', example: 'count-2026-11-23-CD-1' }),
})
export const OptionalIdempotencyHeader = IdempotencyHeader.partial()

/** Response helper: json(schema, description). */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

/** A required JSON request body (without `required`, a request lacking Content-Type validates as {}). */
export const body = <T extends z.ZodType>(schema: T, description = 'JSON body') => ({
  required: true,
  description,
  content: { 'application/json': { schema } },
})
