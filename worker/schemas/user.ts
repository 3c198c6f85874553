import { z } from '@hono/zod-openapi'
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '../lib/token'
import { ROLES } from '../../solver/domain'
import { SiteId } from './common'

export const Role = z.enum(ROLES).openapi({ example: 'director' })

/** Who a bearer token belongs to (GET /api/me). */
export const Actor = z
  .object({
    id: z.string(),
    name: z.string(),
    role: Role,
    siteId: z.string().nullable().openapi({ description: 'The site a director runs, a hospital user’s hospital, a feed’s site; null for province-wide roles' }),
  })
  .openapi('Actor')

const expiresInDays = z
  .number()
  .int()
  .min(1)
  .max(MAX_TOKEN_DAYS)
  .openapi({ description: `Days until the token expires (default ${DEFAULT_TOKEN_DAYS})`, example: DEFAULT_TOKEN_DAYS })
const label = z.string().trim().max(80).openapi({ description: 'What the token is for, e.g. "laptop" or "import script"', example: 'laptop' })

export const TokenInfo = z
  .object({
    id: z.string(),
    label: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .openapi('TokenInfo')

export const User = z
  .object({
    id: z.string(),
    name: z.string(),
    role: Role,
    siteId: z.string().nullable().openapi({ description: 'The site a director runs, a hospital user’s hospital, a feed’s site; null for province-wide roles' }),
    disabled: z.boolean(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable().openapi({ description: 'Most recent use of any of its tokens (to the minute)' }),
    tokens: z.array(TokenInfo),
  })
  .openapi('User')

/** A new token: `token` is shown in this answer only; only its hash is stored. */
export const IssuedToken = TokenInfo.extend({
  token: z.string().openapi({ description: 'The bearer token. Shown once, never again.', example: 'bd_…' }),
}).openapi('IssuedToken')

export const UserCreate = z
  .object({
    name: z.string().trim().min(1).max(80).openapi({ example: '刘站长' }),
    role: Role,
    siteId: SiteId.optional().openapi({
      description: 'Required for a director (their station), a hospital user (its hospital site) and a feed (its site); refused for other roles',
    }),
    tokenLabel: label.optional(),
    expiresInDays: expiresInDays.optional(),
  })
  .strict()
  .openapi('UserCreate')

export const UserPatch = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    role: Role.optional(),
    siteId: SiteId.nullable().optional().openapi({ description: 'A director’s, hospital user’s or feed’s site; moving to another role clears it' }),
    disabled: z.boolean().optional().openapi({ description: 'true: every token of the user answers 401 at once' }),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'Nothing to change' })
  .openapi('UserPatch')

export const TokenCreate = z
  .object({
    label: label.optional(),
    expiresInDays: expiresInDays.optional(),
    revokeOthers: z
      .boolean()
      .default(false)
      .openapi({ description: 'false (default): the user’s other tokens stay valid until revoked or expired; true: revoke them in the same step' }),
  })
  .strict()
  .openapi('TokenCreate')

export type RoleT = z.infer<typeof Role>
export type ActorT = z.infer<typeof Actor>
export type UserT = z.infer<typeof User>
export type TokenInfoT = z.infer<typeof TokenInfo>
export type UserCreateT = z.infer<typeof UserCreate>
export type UserPatchT = z.infer<typeof UserPatch>
export type TokenCreateT = z.infer<typeof TokenCreate>
