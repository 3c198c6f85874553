// Users and their tokens: SQL only. Tokens are looked up and stored by their SHA-256 hex.
import type { TokenInfoT } from '../schemas/user'

export type UserRow = { id: string; name: string; role: string; siteId: string | null; disabledAt: string | null; createdAt: string }
export type TokenRow = Omit<TokenInfoT, 'status'> & { userId: string }
/** What authentication needs: the token and the user it belongs to, as stored now. */
export type CredentialRow = {
  tokenId: string
  expiresAt: string
  revokedAt: string | null
  lastUsedAt: string | null
  id: string
  name: string
  role: string
  siteId: string | null
  disabledAt: string | null
}

const USER_COLUMNS = 'id, name, role, site_id AS siteId, disabled_at AS disabledAt, created_at AS createdAt'
const TOKEN_COLUMNS = `id, user_id AS userId, label, created_at AS createdAt, expires_at AS expiresAt,
  revoked_at AS revokedAt, last_used_at AS lastUsedAt`

export const selectCredential = (db: D1Database, tokenHash: string) =>
  db
    .prepare(
      `SELECT t.id AS tokenId, t.expires_at AS expiresAt, t.revoked_at AS revokedAt, t.last_used_at AS lastUsedAt,
              u.id, u.name, u.role, u.site_id AS siteId, u.disabled_at AS disabledAt
       FROM user_token t JOIN user u ON u.id = t.user_id WHERE t.token_hash = ?1`,
    )
    .bind(tokenHash)
    .first<CredentialRow>()

/** Last use to the minute: at most one write per token per minute. */
export const touchToken = (db: D1Database, tokenId: string, at: string) =>
  db
    .prepare('UPDATE user_token SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?3)')
    .bind(tokenId, at, new Date(Date.parse(at) - 60_000).toISOString())

export const selectUsers = (db: D1Database) =>
  db
    .prepare(`SELECT ${USER_COLUMNS} FROM user ORDER BY role, name, id`)
    .all<UserRow>()
    .then((r) => r.results)

export const selectUser = (db: D1Database, id: string) => db.prepare(`SELECT ${USER_COLUMNS} FROM user WHERE id = ?1`).bind(id).first<UserRow>()

export const selectTokens = (db: D1Database, userId: string | null) =>
  db
    .prepare(`SELECT ${TOKEN_COLUMNS} FROM user_token WHERE (?1 IS NULL OR user_id = ?1) ORDER BY created_at DESC, id`)
    .bind(userId)
    .all<TokenRow>()
    .then((r) => r.results)

/** user.token_hash is legacy (0010): a placeholder that is never a hash, so the mirroring trigger skips it. */
export const insertUser = (db: D1Database, u: { id: string; name: string; role: string; siteId: string | null }, at: string) =>
  db
    .prepare('INSERT INTO user (id, name, role, site_id, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(u.id, u.name, u.role, u.siteId, `none:${u.id}`, at)

export const insertToken = (
  db: D1Database,
  t: { id: string; userId: string; tokenHash: string; label: string; expiresAt: string; createdBy: string },
  at: string,
) =>
  db
    .prepare('INSERT INTO user_token (id, user_id, token_hash, label, created_at, created_by, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
    .bind(t.id, t.userId, t.tokenHash, t.label, at, t.createdBy, t.expiresAt)

/** Revokes the user's live tokens, except `keep` (the one just issued, in a rotation). */
export const revokeTokens = (db: D1Database, userId: string, at: string, keep: string | null = null) =>
  db.prepare('UPDATE user_token SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL AND (?3 IS NULL OR id <> ?3)').bind(userId, at, keep)

const PATCHABLE = { name: 'name', role: 'role', siteId: 'site_id', disabledAt: 'disabled_at' } as const
export type UserUpdate = Partial<{ name: string; role: string; siteId: string | null; disabledAt: string | null }>

export const updateUser = (db: D1Database, id: string, patch: UserUpdate) => {
  const keys = Object.keys(patch) as (keyof UserUpdate)[]
  const sets = keys.map((k, i) => `${PATCHABLE[k]} = ?${i + 2}`).join(', ')
  return db.prepare(`UPDATE user SET ${sets} WHERE id = ?1`).bind(id, ...keys.map((k) => patch[k] ?? null))
}
