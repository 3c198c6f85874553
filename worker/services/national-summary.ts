import { LEVELS, type Level } from '../../solver/domain'
import { batchedReads } from '../lib/batched-reads'
import { nowIso } from '../lib/time'
import type { NationalProvinceT, NationalSummaryT } from '../schemas/national'
import type { ProvinceSummaryT } from '../schemas/province'
import { provinceSummary } from './province-summary'

/** A province the national view reads: its code, its name, and its database binding (undefined if not bound). */
export type ProvinceDb = { code: string; province: string; db: D1Database | undefined }

type Totals = NationalProvinceT['components']
const noLevels = () => Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>

/** A province's totals per component, with how many of its stations stand at each level. */
function componentTotals(s: ProvinceSummaryT): Totals {
  return s.components.map((c) => {
    const levels = noLevels()
    for (const st of s.stations) {
      const l = st.levels[c.component]
      if (l) levels[l]++
    }
    return { ...c, levels }
  })
}

/** Sums per component; days of supply = total on hand ÷ total daily issue (each province's issue = on hand ÷ its days). */
function sumComponents(parts: Totals[]): Totals {
  const by = new Map<string, Totals[number] & { issue: number }>()
  for (const part of parts)
    for (const c of part) {
      const t = by.get(c.component) ?? { ...c, onHand: 0, inTransit: 0, daysOfSupply: null, levels: noLevels(), issue: 0 }
      t.onHand += c.onHand
      t.inTransit += c.inTransit
      if (c.daysOfSupply) t.issue += c.onHand / c.daysOfSupply
      for (const l of LEVELS) t.levels[l] += c.levels[l]
      by.set(c.component, t)
    }
  return [...by.values()].map(({ issue, ...t }) => ({ ...t, daysOfSupply: issue > 0 ? Math.round((t.onHand / issue) * 10) / 10 : null }))
}

/**
 * Every province's summary, read from its own database in parallel (each read is the province's own
 * provinceSummary: stations, levels and stock totals; no lots, donors or users), then national totals. A province
 * that cannot be read is listed with its error; the others are still answered.
 */
export async function nationalSummary(provinces: ProvinceDb[], now = nowIso()): Promise<NationalSummaryT> {
  const t0 = Date.now()
  const read = await Promise.all(
    provinces.map(async ({ code, province, db }) => {
      const t = Date.now()
      try {
        if (!db) throw new Error(`no database is bound as DB_${code}`)
        // one round trip (and one snapshot) per province: its summary's queries go as one batch
        const summary = await provinceSummary(batchedReads(db), province, now)
        return { code, province, summary, error: null, readMs: Date.now() - t }
      } catch (e) {
        return { code, province, summary: null, error: e instanceof Error ? e.message : String(e), readMs: Date.now() - t }
      }
    }),
  )
  const rows: NationalProvinceT[] = read.map((r) => ({
    code: r.code,
    province: r.province,
    ok: r.summary !== null,
    error: r.error,
    readMs: r.readMs,
    stations: r.summary?.stations.filter((s) => s.kind === 'center' || s.kind === 'station').length ?? 0,
    components: r.summary ? componentTotals(r.summary) : [],
  }))
  const groups = new Map<string, NationalSummaryT['national']['groups'][number]>()
  for (const r of read)
    for (const g of r.summary?.groups ?? []) {
      const key = `${g.component}|${g.abo}|${g.rhd}`
      const t = groups.get(key) ?? { ...g, onHand: 0, inTransit: 0 }
      t.onHand += g.onHand
      t.inTransit += g.inTransit
      groups.set(key, t)
    }
  return {
    at: now,
    readMs: Date.now() - t0,
    provinces: rows,
    national: {
      provinces: rows.filter((r) => r.ok).length,
      unreadable: rows.filter((r) => !r.ok).length,
      stations: rows.reduce((a, r) => a + r.stations, 0),
      components: sumComponents(rows.map((r) => r.components)),
      groups: [...groups.values()],
    },
  }
}
