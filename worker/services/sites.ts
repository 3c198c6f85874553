import { insertSite, selectSite, selectSites, updateSite } from '../db/sites'
import { ApiError, badRequest, conflict, notFound } from '../errors'
import { nowIso } from '../lib/time'
import type { SiteCreateT, SitePatchT, SiteT } from '../schemas/site'
import { auditStmt } from './audit'
import { requireRole, type Actor } from './auth'
import { isRaised, isUnique } from '../db/constraints'

export const listSites = (db: D1Database, f: { province?: string; kind?: string; parent?: string }) => selectSites(db, f)

/** The site, or 404 naming `field` (the path parameter id, or the query's site). */
export async function getSite(db: D1Database, id: string, field = 'id'): Promise<SiteT> {
  const site = await selectSite(db, id)
  if (!site) throw notFound('site', id, field)
  return site
}

/** In province mode (issue 24) a database holds its own province's sites only: another province's belong in its own system. */
function requireOwnProvince(province: string | null | undefined, given: string | undefined): void {
  if (province && given !== undefined && given !== province)
    throw badRequest('province', `This is ${province}'s system: a site of ${given} belongs in that province's own system`)
}

export async function createSite(db: D1Database, actor: Actor, input: SiteCreateT, province?: string | null): Promise<SiteT> {
  requireRole(actor, 'coordinator', 'admin')
  requireOwnProvince(province, input.province)
  await checkParent(db, input.kind, input.parentId)
  const at = nowIso()
  try {
    await db.batch([insertSite(db, input, at), auditStmt(db, actor, 'site.create', 'site', input.id, input, at)])
  } catch (e) {
    if (isUnique(e, 'site', 'id')) throw conflict('site_exists', `Site ${input.id} already exists`, 'id')
    if (isRaised(e, 'site_parent')) throw badRequest('parentId', 'A storage point belongs to a station or centre; other sites have no parent')
    throw e
  }
  return getSite(db, input.id)
}

export async function editSite(db: D1Database, actor: Actor, id: string, patch: SitePatchT, province?: string | null): Promise<SiteT> {
  requireRole(actor, 'coordinator', 'admin')
  requireOwnProvince(province, patch.province)
  const before = await getSite(db, id)
  if (patch.kind !== undefined || patch.parentId !== undefined)
    await checkParent(db, patch.kind ?? before.kind, patch.parentId ?? before.parentId ?? undefined, id)
  const at = nowIso()
  let res: D1Result
  try {
    ;[res] = await db.batch([updateSite(db, id, patch, at), auditStmt(db, actor, 'site.edit', 'site', id, { before, patch }, at)])
  } catch (e) {
    if (isRaised(e, 'site_parent'))
      throw badRequest(
        'parentId',
        'A storage point belongs to a station or centre; other sites have no parent, and a station with storage points cannot become one',
      )
    throw e
  }
  if (res.meta.changes !== 1) throw new ApiError(404, 'not_found', `No site ${id}`, 'id')
  return getSite(db, id)
}

/** A storage point (储血点) needs a parent that is a station or centre; other kinds have none. 400 naming parentId. */
async function checkParent(db: D1Database, kind: string, parentId: string | undefined, self?: string) {
  if (kind !== 'storage') {
    if (parentId) throw badRequest('parentId', 'Only a storage point has a parent station')
    return
  }
  if (!parentId) throw badRequest('parentId', 'A storage point belongs to a station: give parentId')
  if (parentId === self) throw badRequest('parentId', 'A site cannot be its own parent')
  const parent = await selectSite(db, parentId)
  if (!parent) throw badRequest('parentId', `No site ${parentId}`)
  if (parent.kind === 'storage') throw badRequest('parentId', `${parentId} is itself a storage point; give its station`)
}
