import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, IdParam, json } from '../schemas/common'
import { IssuedToken, TokenCreate, User, UserCreate, UserPatch } from '../schemas/user'
import { createUser, editUser, issueToken, listUsers, revokeAllTokens } from '../services/users'
import { errors as baseErrors, security } from './responses'

/** Accounts and access, admins only. A token appears in one answer only; the server keeps its hash. */
export const users = new OpenAPIHono<AppEnv>()
const tags = ['users']
const errors = {
  ...baseErrors,
  403: json(ErrorBody, 'Not an admin'),
}
const notFound = { 404: json(ErrorBody, 'No such user') }

users.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    security,
    description: 'Who has access: role, site, last use, and every token with its expiry and state.',
    responses: { 200: json(z.object({ users: z.array(User) }), 'Users'), ...errors },
  }),
  async (c) => c.json({ users: await listUsers(c.env.DB, c.var.actor) }, 200),
)

users.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    security,
    request: { body: body(UserCreate) },
    description: 'Creates a user with a first token (shown once; expires after expiresInDays, default 90).',
    responses: { 201: json(z.object({ user: User, token: IssuedToken }), 'Created, with its first token'), ...errors },
  }),
  async (c) => c.json(await createUser(c.env.DB, c.var.actor, c.req.valid('json')), 201),
)

users.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags,
    security,
    request: { params: IdParam, body: body(UserPatch) },
    description: 'Changes name, role, site or disabled; counts from the user’s next request. Leaving the director role clears the site.',
    responses: { 200: json(User, 'Updated'), ...notFound, 409: json(ErrorBody, 'Would leave no enabled admin'), ...errors },
  }),
  async (c) => c.json(await editUser(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')), 200),
)

users.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/tokens',
    tags,
    security,
    request: { params: IdParam, body: body(TokenCreate) },
    description: 'Issues a new token (rotation). The user’s other tokens stay valid until revoked or expired, unless revokeOthers is true.',
    responses: { 201: json(z.object({ token: IssuedToken, revokedOthers: z.number().int() }), 'The new token, shown once'), ...notFound, ...errors },
  }),
  async (c) => c.json(await issueToken(c.env.DB, c.var.actor, c.req.valid('param').id, c.req.valid('json')), 201),
)

users.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}/tokens',
    tags,
    security,
    request: { params: IdParam },
    description: 'Revokes every token of the user; each answers 401 from the next request on.',
    responses: { 200: json(z.object({ revoked: z.number().int() }), 'How many tokens were revoked'), ...notFound, ...errors },
  }),
  async (c) => c.json(await revokeAllTokens(c.env.DB, c.var.actor, c.req.valid('param').id), 200),
)
