// Road times as data (issue 12): the table, its edits and CSV, and live plans that use it.
import { env } from 'cloudflare:workers'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { roadTable } from '../../../seed/roads'
import { SEED_SITES } from '../../../seed/sites'
import { roadHoursOf } from '../../../worker/services/donors/road'
import { call, seedBase } from '../fixtures'
import { addLot, addRequest, resetWorld } from '../services/plan-fixtures'

beforeAll(() => seedBase())

describe('the road table', () => {
  beforeEach(async () => {
    await env.DB.prepare('DELETE FROM road_time').run()
  })

  it('is edited by an admin, both ways by default, audited; others get 403; bad input names the field', async () => {
    const put = await call('PUT', '/api/road-times', { as: 'admin', body: { from: 'CD', to: 'YB', hours: 3, note: 'G4216 Chengyi' } })
    expect(put.status, put.text).toBe(200)
    expect(put.json.roadTimes.map((r: any) => [r.from, r.to, r.hours])).toEqual([
      ['CD', 'YB', 3],
      ['YB', 'CD', 3],
    ])
    const list = await call('GET', '/api/road-times?site=YB', { as: 'planner' })
    expect(list.status).toBe(200)
    expect(list.json.roadTimes).toHaveLength(2)
    // YB's pairs with CQ and NC have no road time: listed as missing, with the estimate plans would use
    expect(list.json.missing.map((m: any) => `${m.from}-${m.to}`).sort()).toEqual(['CQ-YB', 'NC-YB', 'YB-CQ', 'YB-NC'])
    const audit = await call('GET', '/api/audit?entity=road_time&entityId=CD-YB', { as: 'admin' })
    expect(audit.json.entries.map((e: any) => e.action)).toEqual(['road_time.update'])

    expect((await call('PUT', '/api/road-times', { as: 'coordinator', body: { from: 'CD', to: 'YB', hours: 2 } })).status).toBe(403)
    for (const [body, field] of [
      [{ from: 'CD', to: 'YB', hours: 0 }, 'hours'],
      [{ from: 'CD', to: 'CD', hours: 1 }, 'to'],
      [{ from: 'CD', to: 'ZZ', hours: 1 }, 'to'],
      [{ from: 'cd', to: 'YB', hours: 1 }, 'from'],
    ] as const) {
      const r = await call('PUT', '/api/road-times', { as: 'admin', body })
      expect(r.status, JSON.stringify(body)).toBe(400)
      expect(r.json.error.field).toBe(field)
    }
    expect((await call('DELETE', '/api/road-times?from=CD&to=NC', { as: 'admin' })).status).toBe(404)
    const del = await call('DELETE', '/api/road-times?from=CD&to=YB', { as: 'admin' })
    expect(del.json).toEqual({ deleted: 2 })
  })

  it('imports and exports as CSV; a bad row refuses the whole file, naming row and field', async () => {
    const bad = await call('POST', '/api/road-times/csv', { as: 'admin', raw: 'from_site,to_site,hours,note\nCD,CQ,3.5,G76\nCD,XX,2,\nCQ,CD,-1,\n' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.code).toBe('invalid_csv')
    expect(bad.json.rows).toEqual([
      { row: 3, field: 'to_site', message: 'No site XX' },
      { row: 4, field: 'hours', message: 'hours is a number above 0, at most 72' },
    ])
    expect((await call('GET', '/api/road-times', { as: 'admin' })).json.roadTimes).toEqual([])
    const ok = await call('POST', '/api/road-times/csv', { as: 'admin', raw: 'from_site,to_site,hours,note\nCD,CQ,3.5,"G76, Chengyu"\nCQ,CD,3.6,\n' })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.json).toEqual({ rows: 2, upserted: 2 })
    const csv = await call('GET', '/api/road-times/csv', { as: 'planner' })
    expect(csv.text).toBe('from_site,to_site,hours,note\r\nCD,CQ,3.5,"G76, Chengyu"\r\nCQ,CD,3.6,\r\n')
    expect((await call('POST', '/api/road-times/csv', { as: 'coordinator', raw: 'from_site,to_site,hours\nCD,CQ,3\n' })).status).toBe(403)
  })
})

describe('live plans', () => {
  beforeEach(async () => {
    await resetWorld()
    await env.DB.prepare('DELETE FROM road_time').run()
  })

  it('use the road table: a Yibin emergency due in 4 h is served from Chengdu (3 h by road, 4.7 h estimated)', async () => {
    await addLot({ site: 'CD', qty: 40 })
    const req = await addRequest({ site: 'YB', qty: 4, urgency: 'emergency', neededInHours: 4 })
    // without a road time the great-circle estimate (4.7 h) misses the deadline, and the plan says it estimated
    const before = await call('POST', '/api/plans', { body: { requestIds: [req] } })
    expect(before.status, before.text).toBe(201)
    expect(before.json.unmet).toEqual([expect.objectContaining({ need: req, qty: 4, reason: 'none_in_time' })])
    expect(before.json.roadTimes.fromTable).toBe(0)
    expect(before.json.roadTimes.estimated).toBe(before.json.roadTimes.pairs)

    expect((await call('PUT', '/api/road-times', { as: 'admin', body: { from: 'CD', to: 'YB', hours: 3, note: 'G4216 Chengyi' } })).status).toBe(200)
    const after = await call('POST', '/api/plans', { body: { requestIds: [req] } })
    expect(after.status, after.text).toBe(201)
    expect(after.json.unmet).toEqual([])
    expect(after.json.transfers).toEqual([expect.objectContaining({ fromSite: 'CD', toSite: 'YB', qty: 4, etaHours: 3 })])
    expect(after.json.instance.travelHours).toEqual({ CD: { YB: 3 }, YB: { CD: 3 } })
    expect(after.json.estimatedRoutes).toEqual([])
    expect(after.json.roadTimes.fromTable).toBe(2)
  })

  it('flag the transfers that travel an estimated pair', async () => {
    await addLot({ site: 'NC', qty: 40 })
    const req = await addRequest({ site: 'YB', qty: 3, urgency: 'urgent', neededInHours: 24 })
    const plan = await call('POST', '/api/plans', { body: { requestIds: [req] } })
    expect(plan.status, plan.text).toBe(201)
    const t = plan.json.transfers[0]
    expect(t).toMatchObject({ fromSite: 'NC', toSite: 'YB' })
    expect(plan.json.estimatedRoutes).toEqual([{ from: 'NC', to: 'YB', hours: t.etaHours }])
  })
})

describe('donor search and call-ups', () => {
  it('read road time from the same table, the estimate only where a pair is missing', async () => {
    await env.DB.prepare('DELETE FROM road_time').run()
    expect((await call('PUT', '/api/road-times', { as: 'admin', body: { from: 'CD', to: 'YB', hours: 3 } })).status).toBe(200)
    const sites = (await env.DB.prepare('SELECT id, name_en AS name, lat, lng FROM site').all<{ id: string; name: string; lat: number; lng: number }>()).results
    const road = await roadHoursOf(env.DB, sites)
    expect(road('CD', 'YB')).toBe(3)
    expect(road('YB', 'CD')).toBe(3)
    expect(road('CD', 'CQ')).toBeCloseTo(5.8, 1) // no road time: the great-circle estimate
  })
})

describe('the demo road table', () => {
  const table = roadTable(SEED_SITES.map((s) => s.id))
  const h = (a: string, b: string) => table.find((r) => r.from === a && r.to === b)!.hours

  it('covers every ordered pair of the 24 sites', () => {
    expect(table).toHaveLength(24 * 23)
    for (const r of table) expect(r.hours, `${r.from}-${r.to}`).toBeGreaterThan(0)
  })

  it('agrees with the known road times', () => {
    expect(h('CD', 'CQ')).toBeCloseTo(3.5, 1)
    expect(h('CD', 'YB')).toBeGreaterThanOrEqual(2.7)
    expect(h('CD', 'YB')).toBeLessThanOrEqual(3.3)
    expect(h('CD', 'PZH')).toBeGreaterThanOrEqual(7)
    expect(h('CD', 'PZH')).toBeLessThanOrEqual(8)
    expect(h('CD', 'GZ')).toBeGreaterThanOrEqual(3.5)
    expect(h('CD', 'GZ')).toBeLessThanOrEqual(4.5)
    expect(h('CD', 'AB')).toBeGreaterThanOrEqual(4)
    expect(h('CD', 'AB')).toBeLessThanOrEqual(5)
    // Wanzhou's legs (estimates): to Chongqing about 3.3 h, to Dazhou about 2 h; Chengdu by way of Chongqing
    expect(h('WZ', 'CQ')).toBe(3.3)
    expect(h('WZ', 'DZ')).toBe(2.0)
    expect(h('CD', 'WZ')).toBeCloseTo(6.8, 1)
    for (const r of table) expect(h(r.to, r.from), `${r.from}-${r.to}`).toBe(r.hours)
  })
})
