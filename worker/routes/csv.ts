import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env'

// Placeholder until this resource's routes land.
export const csv = new OpenAPIHono<AppEnv>()
