import { insertSite, selectSite, updateSite } from '../db/sites'
import { ApiError, conflict, notFound } from '../errors'
import { nowIso } from '../lib/crypto'
import type { SiteCreateT, SitePatchT, SiteT } from '../schemas/site'
import { auditStmt } from './audit'
import { requireRole, type Actor } from './auth'

export async function getSite(db: D1Database, id: string): Promise<SiteT> {
  const site = await selectSite(db, id)
  if (!site) throw notFound('site', id)
  return site
}

export async function createSite(db: D1Database, actor: Actor, input: SiteCreateT): Promise<SiteT> {
  requireRole(actor, 'coordinator', 'admin')
  const at = nowIso()
  try {
    await db.batch([insertSite(db, input, at), auditStmt(db, actor, 'site.create', 'site', input.id, input, at)])
  } catch (e) {
    if (String(e).includes('UNIQUE constraint failed: site.id')) throw conflict('site_exists', `Site ${input.id} already exists`, 'id')
    throw e
  }
  return getSite(db, input.id)
}

export async function editSite(db: D1Database, actor: Actor, id: string, patch: SitePatchT): Promise<SiteT> {
  requireRole(actor, 'coordinator', 'admin')
  const before = await getSite(db, id)
  const at = nowIso()
  const [res] = await db.batch([updateSite(db, id, patch, at), auditStmt(db, actor, 'site.edit', 'site', id, { before, patch }, at)])
  if (res.meta.changes !== 1) throw new ApiError(404, 'not_found', `No site ${id}`)
  return getSite(db, id)
}
