// Accounts and access (admins only): users, their tokens (issued once, stored hashed, expiring,
// revocable), roles and sites. Every change is one db.batch() with its audit row; the guards that fail
// are the user table's CHECK (a director has a site, nobody else does), the site foreign key, the
// token hash's UNIQUE and the trigger that keeps one enabled admin (migrations/0010_accounts.sql).
import {
  insertToken,
  insertUser,
  revokeTokens,
  selectTokens,
  selectUser,
  selectUsers,
  updateUser,
  type TokenRow,
  type UserRow,
  type UserUpdate,
} from '../db/users'
import { badRequest, conflict, notFound } from '../errors'
import { newId, sha256Hex } from '../lib/crypto'
import { nowIso } from '../lib/time'
import { DEFAULT_TOKEN_DAYS, newToken } from '../lib/token'
import { SITE_ROLES } from '../../solver/domain'
import type { TokenCreateT, TokenInfoT, UserCreateT, UserPatchT, UserT } from '../schemas/user'
import { auditStmt } from './audit'
import { requireRole, type Actor, type Role } from './auth'
import { isCheck, isForeignKey, isRaised } from '../db/constraints'

const DAY = 86_400_000

const tokenStatus = (t: Pick<TokenRow, 'revokedAt' | 'expiresAt'>, now: string): TokenInfoT['status'] =>
  t.revokedAt ? 'revoked' : t.expiresAt <= now ? 'expired' : 'active'
const tokenInfo = ({ userId: _, ...t }: TokenRow, now: string): TokenInfoT => ({ ...t, status: tokenStatus(t, now) })

function toUser(u: UserRow, tokens: TokenRow[], now: string): UserT {
  const mine = tokens.filter((t) => t.userId === u.id)
  const lastUsedAt = mine.reduce<string | null>((m, t) => (t.lastUsedAt && (!m || t.lastUsedAt > m) ? t.lastUsedAt : m), null)
  return {
    id: u.id,
    name: u.name,
    role: u.role as Role,
    siteId: u.siteId,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt,
    lastUsedAt,
    tokens: mine.map((t) => tokenInfo(t, now)),
  }
}

/** Who has access: every user with role, site, last use and each token's expiry and state. */
export async function listUsers(db: D1Database, actor: Actor): Promise<UserT[]> {
  requireRole(actor, 'admin')
  const [users, tokens] = await Promise.all([selectUsers(db), selectTokens(db, null)])
  const now = nowIso()
  return users.map((u) => toUser(u, tokens, now))
}

export async function getUser(db: D1Database, id: string): Promise<UserT> {
  const [u, tokens] = await Promise.all([selectUser(db, id), selectTokens(db, id)])
  if (!u) throw notFound('user', id)
  return toUser(u, tokens, nowIso())
}

/** Turns a failed guard into the answer it stands for; anything else is rethrown. */
function guardError(e: unknown, siteId: string | null | undefined): never {
  if (isCheck(e))
    throw badRequest('siteId', siteId ? 'Only a director, a hospital user or a feed has a site' : 'A director, a hospital user or a feed needs a site (siteId)')
  if (isForeignKey(e)) throw badRequest('siteId', `No site ${siteId}`)
  if (isRaised(e, 'user_site_kind')) throw badRequest('siteId', `A hospital user belongs to a hospital, a director to a station; ${siteId} is neither`)
  if (isRaised(e, 'last_admin')) throw conflict('last_admin', 'This is the last enabled admin: nobody could manage access any more', 'role')
  throw e
}

/** A token for a user: the statement that stores its hash, and what the caller may see once. */
async function issue(db: D1Database, actor: { id: string }, userId: string, input: { label?: string; expiresInDays?: number }, at: string) {
  const token = newToken()
  const row: TokenRow = {
    id: newId('tok'),
    userId,
    label: input.label ?? '',
    createdAt: at,
    expiresAt: new Date(Date.parse(at) + (input.expiresInDays ?? DEFAULT_TOKEN_DAYS) * DAY).toISOString(),
    revokedAt: null,
    lastUsedAt: null,
  }
  const stmt = insertToken(db, { ...row, tokenHash: await sha256Hex(token), createdBy: actor.id }, at)
  return { stmt, issued: { ...tokenInfo(row, at), token } }
}

const auditToken = (t: TokenInfoT) => ({ tokenId: t.id, label: t.label, expiresAt: t.expiresAt })

export async function createUser(db: D1Database, actor: Actor, input: UserCreateT) {
  requireRole(actor, 'admin')
  const siteId = input.siteId ?? null
  const at = nowIso()
  const id = newId('u')
  const { stmt, issued } = await issue(db, actor, id, { label: input.tokenLabel, expiresInDays: input.expiresInDays }, at)
  try {
    await db.batch([
      insertUser(db, { id, name: input.name, role: input.role, siteId }, at),
      stmt,
      auditStmt(db, actor, 'user.create', 'user', id, { name: input.name, role: input.role, siteId, ...auditToken(issued) }, at),
    ])
  } catch (e) {
    guardError(e, siteId)
  }
  return { user: await getUser(db, id), token: issued }
}

export async function editUser(db: D1Database, actor: Actor, id: string, patch: UserPatchT): Promise<UserT> {
  requireRole(actor, 'admin')
  const before = await selectUser(db, id)
  if (!before) throw notFound('user', id)
  const at = nowIso()
  const update: UserUpdate = {}
  if (patch.name !== undefined) update.name = patch.name
  if (patch.role !== undefined) update.role = patch.role
  if (patch.siteId !== undefined) update.siteId = patch.siteId
  // Leaving the roles that act for a site leaves the site, unless the request says otherwise (then CHECK answers).
  else if (patch.role !== undefined && !(SITE_ROLES as readonly string[]).includes(patch.role)) update.siteId = null
  if (patch.disabled !== undefined) update.disabledAt = patch.disabled ? (before.disabledAt ?? at) : null
  const { createdAt: _, ...was } = before
  try {
    await db.batch([updateUser(db, id, update), auditStmt(db, actor, 'user.edit', 'user', id, { before: was, patch }, at)])
  } catch (e) {
    guardError(e, update.siteId ?? before.siteId)
  }
  return getUser(db, id)
}

/** Rotation: a new token; the others stay valid until revoked or expired, unless revokeOthers. */
export async function issueToken(db: D1Database, actor: Actor, userId: string, input: TokenCreateT) {
  requireRole(actor, 'admin')
  if (!(await selectUser(db, userId))) throw notFound('user', userId)
  const at = nowIso()
  const { stmt, issued } = await issue(db, actor, userId, input, at)
  const results = await db.batch([
    stmt,
    ...(input.revokeOthers ? [revokeTokens(db, userId, at, issued.id)] : []),
    auditStmt(db, actor, 'token.issue', 'user', userId, { ...auditToken(issued), revokeOthers: input.revokeOthers }, at),
  ])
  return { token: issued, revokedOthers: input.revokeOthers ? results[1].meta.changes : 0 }
}

/** Revokes every live token of the user at once; answers how many. */
export async function revokeAllTokens(db: D1Database, actor: Actor, userId: string): Promise<{ revoked: number }> {
  requireRole(actor, 'admin')
  if (!(await selectUser(db, userId))) throw notFound('user', userId)
  const at = nowIso()
  const [res] = await db.batch([revokeTokens(db, userId, at), auditStmt(db, actor, 'token.revoke_all', 'user', userId, {}, at)])
  return { revoked: res.meta.changes }
}
