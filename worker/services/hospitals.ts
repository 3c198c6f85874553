import { selectHospitals } from '../db/network'
import { selectSite } from '../db/sites'

// Apart from services/network.ts, which imports the movement service (a local transfer is a ledger write):
// the movement service checks an issue's hospital here without importing it back.

/** Ids of the hospitals in the register of a site's station (used to check the hospital an issue names). */
export async function hospitalsOf(db: D1Database, siteId: string): Promise<Set<string>> {
  const site = await selectSite(db, siteId)
  const stationId = site?.kind === 'storage' && site.parentId ? site.parentId : siteId
  return new Set((await selectHospitals(db, stationId)).map((h) => h.id))
}
