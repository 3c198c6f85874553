// The national view over two provinces' own databases (NATIONAL_DB_A, NATIONAL_DB_B in vitest.config.ts), each
// migrated and loaded with a generated province (seed/national.ts), its levels computed from its ledger.
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { PROVINCES, provinceRegion, provinceSql } from '../../../seed/national'
import { app } from '../../../worker/national'
import { NationalSummary, type NationalSummaryT } from '../../../worker/schemas/national'
import { nationalSummary } from '../../../worker/services/national-summary'
import { provinceSummary } from '../../../worker/services/province-summary'
import { refreshWarnings } from '../../../worker/services/warnings'
import { seedBase, TOKENS } from '../fixtures'

const now = '2026-12-06T08:00:00.000Z'
const ningxia = PROVINCES.find((p) => p.code === 'NX')!
const qinghai = PROVINCES.find((p) => p.code === 'QH')!
const stations: Record<string, number> = {}

async function load(db: D1Database, p: (typeof PROVINCES)[number]) {
  await applyD1Migrations(db, env.TEST_MIGRATIONS)
  const r = await provinceRegion(p, { now: new Date(now), days: 14 })
  const sql = provinceSql(r)
  for (let i = 0; i < sql.length; i += 40) await db.batch(sql.slice(i, i + 40).map((s) => db.prepare(s)))
  await refreshWarnings(db, undefined, now)
  stations[p.code] = r.sites.length
}

beforeAll(async () => {
  await seedBase()
  await load(env.NATIONAL_DB_A, ningxia)
  await load(env.NATIONAL_DB_B, qinghai)
}, 60_000)

const provinces = () => [
  { code: 'NX', province: 'Ningxia', db: env.NATIONAL_DB_A },
  { code: 'QH', province: 'Qinghai', db: env.NATIONAL_DB_B },
]

describe('national summary', () => {
  it("reads each province's own database and adds them up", async () => {
    const s = await nationalSummary(provinces(), now)
    const [nx, qh] = await Promise.all([provinceSummary(env.NATIONAL_DB_A, 'Ningxia', now), provinceSummary(env.NATIONAL_DB_B, 'Qinghai', now)])
    expect(s.provinces.map((p) => [p.code, p.ok, p.stations])).toEqual([
      ['NX', true, stations.NX],
      ['QH', true, stations.QH],
    ])
    expect(s.national).toMatchObject({ provinces: 2, unreadable: 0, stations: stations.NX! + stations.QH! })
    // each province's stock is its own: Ningxia's database holds none of Qinghai's stations
    expect(nx.stations.some((x) => x.id.startsWith('QH'))).toBe(false)
    expect(qh.stations.some((x) => x.id.startsWith('NX'))).toBe(false)

    expect(s.national.components.map((c) => c.component).sort()).toEqual(['CRYO', 'FFP', 'PLT', 'RBC', 'WB'])
    for (const c of s.national.components) {
      const a = nx.components.find((x) => x.component === c.component)!
      const b = qh.components.find((x) => x.component === c.component)!
      expect(c.onHand, c.component).toBe(a.onHand + b.onHand)
      expect(c.onHand, c.component).toBeGreaterThan(0)
      expect(c.inTransit).toBe(a.inTransit + b.inTransit)
      // national days of supply lies between the provinces'
      expect(c.daysOfSupply!).toBeGreaterThanOrEqual(Math.min(a.daysOfSupply!, b.daysOfSupply!) - 0.05)
      expect(c.daysOfSupply!).toBeLessThanOrEqual(Math.max(a.daysOfSupply!, b.daysOfSupply!) + 0.05)
      // the groups add up to the component
      expect(s.national.groups.filter((g) => g.component === c.component).reduce((t, g) => t + g.onHand, 0)).toBe(c.onHand)
    }
    // every station has a red-cell level, and the counts are the provinces' own
    const rbc = s.national.components.find((c) => c.component === 'RBC')!
    expect(Object.values(rbc.levels).reduce((a, n) => a + n, 0)).toBe(stations.NX! + stations.QH!)
    const redOrOrange = [...nx.stations, ...qh.stations].filter((x) => x.levels.RBC === 'red' || x.levels.RBC === 'orange').length
    expect(redOrOrange).toBeGreaterThan(0) // each province has a station running short
    expect(rbc.levels.red + rbc.levels.orange).toBe(redOrOrange)
  })

  it('lists a province it cannot read with why, and still answers the others', async () => {
    const s = await nationalSummary([...provinces(), { code: 'XX', province: 'Nowhere', db: undefined }], now)
    expect(s.national).toMatchObject({ provinces: 2, unreadable: 1 })
    expect(s.provinces.find((p) => p.code === 'XX')).toMatchObject({ ok: false, stations: 0, error: 'no database is bound as DB_XX' })
  })

  it('GET /api/national/summary on the national worker: planners read it, directors are refused, no token is 401', async () => {
    const bindings = { ...env, NATIONAL_PROVINCES: JSON.stringify({ NX: 'Ningxia', QH: 'Qinghai' }), DB_NX: env.NATIONAL_DB_A, DB_QH: env.NATIONAL_DB_B }
    const get = (token?: string) => app.request('/api/national/summary', { headers: token ? { authorization: `Bearer ${token}` } : {} }, bindings)
    const ok = await get(TOKENS.planner)
    expect(ok.status).toBe(200)
    const body = NationalSummary.parse(await ok.json()) as NationalSummaryT
    expect(body.provinces.map((p) => p.province)).toEqual(['Ningxia', 'Qinghai'])
    expect(body.national.stations).toBe(stations.NX! + stations.QH!)

    const director = await get(TOKENS.director)
    expect(director.status).toBe(403)
    expect(((await director.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    expect((await get()).status).toBe(401)
  })
})
