import { selectOldestStockReport, selectSilenceLimits, selectSiteContact, upsertSilenceLimit } from '../db/site-contact'
import { nowIso } from '../lib/time'
import { auditStmt } from './audit'
import { requireRole, type Actor } from './auth'

const HOUR = 3_600_000
const later = (a: string | null, b: string | null) => (a && b ? (a > b ? a : b) : (a ?? b))

export type SiteKind = 'center' | 'station' | 'storage'

export type SiteContact = {
  siteId: string
  kind: SiteKind
  lastStockReportAt: string | null
  lastContactAt: string | null
  silentHours: number | null
  limitHours: number
  silent: boolean
}

/**
 * Each site's last stock report (its ledger) and last contact (that report or any sign-in of its users), how
 * many hours it has been silent, and whether that is beyond its kind's limit. A site never heard from is silent.
 */
export async function siteContact(db: D1Database, now = nowIso()): Promise<{ at: string; limits: { kind: SiteKind; hours: number }[]; sites: SiteContact[] }> {
  const [rows, limits] = await Promise.all([selectSiteContact(db), selectSilenceLimits(db)])
  const t = Date.parse(now)
  const sites = rows.map((r) => {
    const lastContactAt = later(r.lastStockReportAt, r.lastSignInAt)
    const hours = lastContactAt ? Math.max(0, (t - Date.parse(lastContactAt)) / HOUR) : null
    const silentHours = hours === null ? null : Math.round(hours * 10) / 10
    return {
      siteId: r.siteId,
      kind: r.kind,
      lastStockReportAt: r.lastStockReportAt,
      lastContactAt,
      silentHours,
      limitHours: r.limitHours,
      silent: hours === null || hours > r.limitHours,
    }
  })
  return { at: now, limits, sites }
}

export async function setSilenceLimit(db: D1Database, actor: Actor, kind: SiteKind, hours: number): Promise<{ kind: SiteKind; hours: number }> {
  requireRole(actor, 'coordinator', 'admin')
  const at = nowIso()
  await db.batch([upsertSilenceLimit(db, kind, hours, at), auditStmt(db, actor, 'silence_limit.set', 'silence_limit', kind, { hours }, at)])
  return { kind, hours }
}

/** At `asOf` (a plan's time), the site whose last stock report was oldest, when, and how many hours old it was (null: no ledger). */
export async function oldestStockReport(db: D1Database, asOf = nowIso()): Promise<{ siteId: string; at: string; hours: number } | null> {
  const oldest = await selectOldestStockReport(db, asOf)
  return oldest ? { ...oldest, hours: Math.round(((Date.parse(asOf) - Date.parse(oldest.at)) / HOUR) * 10) / 10 } : null
}
