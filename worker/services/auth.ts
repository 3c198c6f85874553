import { ApiError, forbidden } from '../errors'
import { sha256Hex } from '../lib/crypto'

export type Role = 'coordinator' | 'director' | 'planner' | 'admin'
export type Actor = { id: string; name: string; role: Role; siteId: string | null }

/** Looks up the bearer token's hash; the token itself is never stored. */
export async function actorForToken(db: D1Database, header: string | undefined): Promise<Actor> {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (!token) throw new ApiError(401, 'unauthenticated', 'Send Authorization: Bearer <token>')
  const row = await db
    .prepare('SELECT id, name, role, site_id AS siteId FROM user WHERE token_hash = ?1')
    .bind(await sha256Hex(token))
    .first<Actor>()
  if (!row) throw new ApiError(401, 'unauthenticated', 'Unknown or revoked token')
  return row
}

/** 403 unless the actor has one of the roles. */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) throw forbidden(`This needs the role ${roles.join(' or ')}; you are ${actor.role}`)
}

/** Writes to a site's stock or requests: its own director, or a coordinator or admin for any site. */
export function requireSiteWriter(actor: Actor, siteId: string): void {
  if (actor.role === 'coordinator' || actor.role === 'admin') return
  if (actor.role === 'director' && actor.siteId === siteId) return
  throw forbidden(actor.role === 'director' ? `You direct site ${actor.siteId}, not ${siteId}` : `A ${actor.role} may not write stock or requests`)
}
