import { selectOwnSiteIds, selectSite } from '../db/sites'
import { selectCredential, touchToken } from '../db/users'
import { ApiError, forbidden } from '../errors'
import { sha256Hex } from '../lib/crypto'
import { nowIso } from '../lib/time'
import { ISSUED_TOKEN } from '../lib/token'
import type { ActorT, RoleT } from '../schemas/user'

// the signed-in user's shape is the API's (worker/schemas/user.ts, GET /api/me)
export type Role = RoleT
// ownSites: in province mode (PROVINCE set), the sites of this province; a write elsewhere is 403 (canWriteSite)
export type Actor = ActorT & { ownSites?: ReadonlySet<string> }

const unauthorized = (code: string, message: string) => new ApiError(401, code, message)

/**
 * The actor behind an Authorization header, read from the stored user on every request (a changed role
 * or site counts from the next request). Refused with 401: no token; a token this deployment did not
 * issue unless demo tokens are allowed (local only); an unknown, revoked or expired token; a disabled user.
 */
export async function actorForToken(db: D1Database, header: string | undefined, opts: { allowDemo?: boolean; province?: string | null } = {}): Promise<Actor> {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (!token) throw unauthorized('unauthenticated', 'Send Authorization: Bearer <token>')
  if (!opts.allowDemo && !ISSUED_TOKEN.test(token))
    throw unauthorized('token_refused', 'This is not a token issued by this deployment (demo tokens work only locally, under npm start)')
  const row = await selectCredential(db, await sha256Hex(token))
  if (!row) throw unauthorized('unauthenticated', 'Unknown token')
  const now = nowIso()
  if (row.revokedAt) throw unauthorized('token_revoked', `This token was revoked at ${row.revokedAt}`)
  if (row.expiresAt <= now) throw unauthorized('token_expired', `This token expired at ${row.expiresAt}`)
  if (row.disabledAt) throw unauthorized('user_disabled', `This account was disabled at ${row.disabledAt}`)
  if (!row.lastUsedAt || Date.parse(row.lastUsedAt) < Date.parse(now) - 60_000) await touchToken(db, row.tokenId, now).run()
  const actor: Actor = { id: row.id, name: row.name, role: row.role as Role, siteId: row.siteId }
  if (opts.province) actor.ownSites = new Set(await selectOwnSiteIds(db, opts.province))
  return actor
}

/** 403 unless the actor has one of the roles. */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) throw forbidden(`This needs the role ${roles.join(' or ')}; you are ${actor.role}`)
}

/**
 * The one rule for acting for a site: a coordinator or admin for any site (of their province, in province mode); a
 * director for their own station; a hospital's blood bank (role hospital) for its own hospital only. A director
 * writes their station, never its hospitals (those fill through orders).
 */
export const canWriteSite = (actor: Actor, siteId: string): boolean =>
  (!actor.ownSites || actor.ownSites.has(siteId)) &&
  (actor.role === 'coordinator' || actor.role === 'admin' || ((actor.role === 'director' || actor.role === 'hospital') && actor.siteId === siteId))

/** Writes to a site's stock or requests: its own director or blood bank, or a coordinator or admin for any site. */
export function requireSiteWriter(actor: Actor, siteId: string): void {
  if (canWriteSite(actor, siteId)) return
  if (actor.ownSites && !actor.ownSites.has(siteId))
    throw forbidden(`Site ${siteId} is not a site of this province: its own province's system writes it`, 'siteId')
  throw forbidden(
    actor.role === 'director'
      ? `You direct site ${actor.siteId}, not ${siteId}`
      : actor.role === 'hospital'
        ? `Your blood bank is ${actor.siteId}, not ${siteId}`
        : `A ${actor.role} may not write stock or requests`,
    'siteId',
  )
}

type SiteRef = { id: string; kind: string; parentId: string | null }

/**
 * Reading a site's own figures (stock, lots, ledger, orders). A hospital user (or a machine feed) reads only its
 * own site; a director reads the hospitals of their own station (and every station and storage point, as before);
 * coordinators, planners and admins read all.
 */
export function canReadSite(actor: Actor, site: SiteRef): boolean {
  if (actor.role === 'hospital' || actor.role === 'feed') return actor.siteId === site.id
  if (actor.role === 'director' && site.kind === 'hospital') return site.parentId === actor.siteId
  return true
}

/** 403 when the actor may not read the site (canReadSite); an unknown site is left to the caller (null). */
export async function requireSiteReader(db: D1Database, actor: Actor, siteId: string, field = 'site'): Promise<SiteRef | null> {
  const site = await selectSite(db, siteId)
  if (site && !canReadSite(actor, site))
    throw forbidden(
      actor.role === 'director' ? `${siteId} is a hospital of another station; you direct ${actor.siteId}` : `You may read only your own site ${actor.siteId}`,
      field,
    )
  return site
}
