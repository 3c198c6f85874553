import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectAvgDailyIssue } from '../../../worker/db/usage'
import { sha256Hex } from '../../../worker/lib/crypto'
import { DEMO_SHORT, DEMO_TOKENS, DEMO_USERS, GROUP_SHARES, HISTORY_DAYS, demoRegion } from '../../../seed/demo'
import { demoSql, lit } from '../../../seed/demo-sql'
import { SEED_SITES, STORAGE_POINTS } from '../../../seed/sites'
import { HOSPITAL_BANKS } from '../../../seed/hospital-banks'
import { basisRbcPerDay, POPULATION_M } from '../../../seed/volumes'
import { call } from '../fixtures'

const now = new Date()
const nowIso = new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString()
const HOUR = 3_600_000
let statements: string[]

beforeAll(async () => {
  statements = await demoSql({ now })
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)))
}, 60_000)

const all = async <T>(sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results

describe('the demo region loaded into D1', () => {
  it('has the 24 stations and centres and 5 storage points, names with quotes intact, and stays within size limits', async () => {
    // hospitals are sites too (migration 0057), counted apart below
    const sites = await all<{ id: string; city: string; nameEn: string }>("SELECT id, city, name_en AS nameEn FROM site WHERE kind <> 'hospital' ORDER BY id")
    expect(sites).toHaveLength(24 + STORAGE_POINTS.length)
    const storage = await all<{ id: string; parentId: string }>("SELECT id, parent_id AS parentId FROM site WHERE kind = 'storage' ORDER BY id")
    expect(storage).toEqual(STORAGE_POINTS.map((p) => ({ id: p.id, parentId: p.parentId })).sort((a, b) => a.id.localeCompare(b.id)))
    expect(sites.find((s) => s.id === 'GA')).toEqual({ id: 'GA', city: "Guang'an", nameEn: "Guang'an Central Blood Station" })
    expect(sites.find((s) => s.id === 'GZ')!.city).toBe('Garze')
    expect(statements.length).toBeLessThan(30_000)
    // a budget for start-up, not a platform limit: 24 sites' 60 days of ledger and the hospitals' weeks come to about 3.1 MB
    expect(statements.reduce((a, s) => a + s.length + 2, 0)).toBeLessThan(3_500_000)
  })

  it("has Chongqing's Wanzhou station with its register, its road times, its share of Chongqing's people and a director", async () => {
    const [wz] = await all<Record<string, unknown>>(
      "SELECT id, name_zh AS nameZh, name_en AS nameEn, kind, province, city, lat, lng, parent_id AS parentId FROM site WHERE id = 'WZ'",
    )
    expect(wz).toEqual({
      id: 'WZ',
      nameZh: '重庆三峡中心血站',
      nameEn: 'Chongqing Three Gorges Central Blood Station',
      kind: 'station',
      province: 'Chongqing',
      city: 'Wanzhou',
      lat: 30.808,
      lng: 108.408,
      parentId: null,
    })
    // the Three Gorges hospital moved from CQ's register to WZ's, beside WZ's own named hospitals
    const register = await all<{ id: string; siteId: string; nameZh: string }>(
      "SELECT id, site_id AS siteId, name_zh AS nameZh FROM hospital WHERE site_id IN ('WZ', 'CQ') ORDER BY id",
    )
    expect(register.filter((h) => h.siteId === 'WZ').map((h) => h.nameZh)).toEqual(
      expect.arrayContaining(['重庆大学附属三峡医院', '重庆市万州区人民医院', '重庆市万州区第一人民医院']),
    )
    expect(register.find((h) => h.id === 'CQWZ1')!.siteId).toBe('WZ')
    expect(register.filter((h) => h.siteId === 'CQ').map((h) => h.nameZh)).not.toContain('重庆大学附属三峡医院')
    const road = async (a: string, b: string) =>
      (await all<{ hours: number }>('SELECT hours FROM road_time WHERE from_site = ?1 AND to_site = ?2', a, b))[0].hours
    expect(await road('WZ', 'CQ')).toBe(3.3)
    expect(await road('DZ', 'WZ')).toBe(2.0)
    // Wanzhou's people are taken out of CQ's: Chongqing's total is the census figure still
    expect(POPULATION_M.WZ).toBeGreaterThan(1.56)
    expect(POPULATION_M.CQ + POPULATION_M.WZ).toBeCloseTo(32.05, 6)
    // and the supply analysis divides by the same people (table site_population, over migration 0059's whole-Chongqing CQ row)
    const people = await all<{ id: string; people: number }>("SELECT site_id AS id, people FROM site_population WHERE site_id IN ('CQ', 'WZ') ORDER BY site_id")
    expect(people).toEqual([
      { id: 'CQ', people: Math.round(POPULATION_M.CQ * 1e6) },
      { id: 'WZ', people: Math.round(POPULATION_M.WZ * 1e6) },
    ])
    expect(people[0].people + people[1].people).toBe(32_050_000)
    // WZ issues red cells every day like any station, and its director signs in to it
    const issued = await all<{ n: number }>("SELECT COUNT(DISTINCT substr(at, 1, 10)) AS n FROM movement WHERE site_id = 'WZ' AND kind = 'issue'")
    expect(issued[0].n).toBeGreaterThan(50)
    const me = await call('GET', '/api/me', { as: null, headers: { authorization: `Bearer ${DEMO_TOKENS['director-wz']}` } })
    expect(me.json).toMatchObject({ id: 'u-director-wz', role: 'director', siteId: 'WZ' })
  })

  it('derives every lot’s stock from its ledger: qty = SUM(delta) ≥ 0, a receipt first', async () => {
    const [counts] = await all<{ lots: number; stocked: number; bad: number; negative: number; noReceipt: number; units: number }>(
      `SELECT COUNT(*) AS lots, SUM(qty > 0) AS stocked, SUM(qty <> s.total) AS bad, SUM(qty < 0) AS negative,
              SUM(s.firstKind <> 'receipt') AS noReceipt, SUM(qty) AS units
       FROM lot JOIN (SELECT lot_id, SUM(delta) AS total,
                        (SELECT kind FROM movement m2 WHERE m2.lot_id = m.lot_id ORDER BY id LIMIT 1) AS firstKind
                      FROM movement m GROUP BY lot_id) s ON s.lot_id = lot.id`,
    )
    const [{ n }] = await all<{ n: number }>('SELECT COUNT(*) AS n FROM lot')
    expect(counts.lots).toBe(n) // every lot has ledger rows
    expect(counts.bad).toBe(0)
    expect(counts.negative).toBe(0)
    expect(counts.noReceipt).toBe(0)
    expect(counts.stocked).toBeGreaterThan(500)
    expect(counts.units).toBeGreaterThan(10_000)
    // times are written compactly (ms after now) and read back exactly as toISOString() gives them
    const region = await demoRegion({ now })
    const [times] = await all<{ bad: number; odd: number }>(
      `SELECT SUM(m.at <> l.created_at) AS bad, SUM(length(m.at) <> 24 OR substr(m.at, 11, 1) <> 'T' OR substr(m.at, 20, 1) <> '.' OR substr(m.at, 24, 1) <> 'Z') AS odd
       FROM movement m JOIN lot l ON l.id = m.lot_id WHERE m.kind = 'receipt' AND m.id = (SELECT MIN(id) FROM movement WHERE lot_id = l.id)`,
    )
    expect(times).toEqual({ bad: 0, odd: 0 })
    const sample = region.lots.filter((_, i) => i % 97 === 0)
    for (const l of sample) {
      const row = await env.DB.prepare('SELECT collected_at AS collectedAt, expires_at AS expiresAt, created_at AS createdAt FROM lot WHERE id = ?1')
        .bind(l.id)
        .first()
      expect(row, l.id).toEqual({ collectedAt: l.collectedAt, expiresAt: l.expiresAt, createdAt: l.createdAt })
    }
    const kinds = await all<{ kind: string; n: number }>('SELECT kind, COUNT(*) AS n FROM movement GROUP BY kind ORDER BY kind')
    expect(kinds.map((k) => k.kind)).toEqual(['discard', 'issue', 'receipt'])
    const [orphans] = await all<{ n: number }>(`SELECT COUNT(*) AS n FROM movement m LEFT JOIN movement_batch b ON b.id = m.batch_id
      WHERE b.id IS NULL OR b.source <> 'seed' OR b.actor_id <> 'u-admin'`)
    expect(orphans.n).toBe(0)
  })

  it('keeps 60 days of issue history, all before now', async () => {
    const [span] = await all<{ first: string; last: string; days: number }>(
      "SELECT MIN(at) AS first, MAX(at) AS last, COUNT(DISTINCT substr(at, 1, 10)) AS days FROM movement WHERE kind = 'issue'",
    )
    expect(Date.parse(span.first)).toBeGreaterThanOrEqual(Date.parse(nowIso) - HISTORY_DAYS * 24 * HOUR)
    expect(Date.parse(span.first)).toBeLessThan(Date.parse(nowIso) - (HISTORY_DAYS - 1) * 24 * HOUR)
    expect(span.last < nowIso).toBe(true)
    expect(span.days).toBeGreaterThanOrEqual(HISTORY_DAYS)
  })

  it('stocks red cells by the blood-group shares', async () => {
    const rows = await all<{ abo: 'O' | 'A' | 'B' | 'AB'; units: number }>(
      "SELECT abo, SUM(qty) AS units FROM lot WHERE component = 'RBC' AND rhd = '+' GROUP BY abo",
    )
    const total = rows.reduce((a, r) => a + r.units, 0)
    for (const r of rows) expect(Math.abs(r.units / total - GROUP_SHARES[r.abo]), r.abo).toBeLessThan(0.03)
    expect(rows).toHaveLength(4)
  })

  it('leaves two stations red and one orange on red cells, the centers well stocked', async () => {
    const issue = await selectAvgDailyIssue(env.DB, nowIso)
    const stock = await all<{ siteId: string; units: number }>(
      "SELECT site_id AS siteId, SUM(qty) AS units FROM lot WHERE component = 'RBC' AND expires_at > ?1 AND site_id NOT IN (SELECT id FROM site WHERE kind = 'hospital') GROUP BY site_id",
      nowIso,
    )
    const days = new Map(
      stock.map((s) => {
        const perDay = issue.filter((i) => i.siteId === s.siteId && i.component === 'RBC').reduce((a, i) => a + i.avgDailyIssue, 0)
        return [s.siteId, s.units / perDay]
      }),
    )
    expect(days.size).toBe(24 + STORAGE_POINTS.length)
    const red = [...days]
      .filter(([, d]) => d < 3)
      .map(([id]) => id)
      .sort()
    expect(red).toEqual(['GZ', 'YB'])
    expect(days.get('PZH')).toBeGreaterThanOrEqual(3)
    expect(days.get('PZH')).toBeLessThan(5)
    for (const c of ['CD', 'SC', 'CQ']) expect(days.get(c), c).toBeGreaterThan(10)
    const fine = [...days].filter(([id]) => !(id in DEMO_SHORT))
    for (const [id, d] of fine) expect(d, id).toBeGreaterThanOrEqual(7)
  })

  it('keeps most stations normal on platelets (≥ 3 days) on an ordinary day', async () => {
    const issue = await selectAvgDailyIssue(env.DB, nowIso)
    const stock = await all<{ siteId: string; units: number }>(
      "SELECT site_id AS siteId, SUM(qty) AS units FROM lot WHERE component = 'PLT' AND expires_at > ?1 AND site_id NOT IN (SELECT id FROM site WHERE kind = 'hospital') GROUP BY site_id",
      nowIso,
    )
    const low = stock.filter((s) => s.units / issue.filter((i) => i.siteId === s.siteId && i.component === 'PLT').reduce((a, i) => a + i.avgDailyIssue, 0) < 3)
    expect(stock).toHaveLength(24)
    expect(low.map((s) => s.siteId)).toEqual([])
  })

  it('issues red cells within a factor of 1.5 of the documented basis at every station (with its storage points)', async () => {
    const issue = await selectAvgDailyIssue(env.DB, nowIso)
    for (const site of SEED_SITES) {
      const ours = [site.id, ...STORAGE_POINTS.filter((p) => p.parentId === site.id).map((p) => p.id)]
      const perDay = issue.filter((i) => ours.includes(i.siteId) && i.component === 'RBC').reduce((a, i) => a + i.avgDailyIssue, 0)
      const basis = basisRbcPerDay(POPULATION_M[site.id])
      expect(perDay / basis, site.id).toBeGreaterThan(1 / 1.5)
      expect(perDay / basis, site.id).toBeLessThan(1.5)
    }
    // Yibin: about 16 t of whole blood a year ≈ 208 U a day (the Yibin article)
    const yb = issue.filter((i) => ['YB', 'YBXW'].includes(i.siteId) && i.component === 'RBC').reduce((a, i) => a + i.avgDailyIssue, 0)
    expect(yb / 208).toBeGreaterThan(1 / 1.5)
    expect(yb / 208).toBeLessThan(1.5)
  })

  it('names a registered hospital on every issue, and has road times for every pair of sites', async () => {
    // a station's issue names the hospital supplied; a hospital's own issues are transfusions
    const [unnamed] = await all<{ n: number }>(
      "SELECT COUNT(*) AS n FROM movement WHERE kind = 'issue' AND hospital_id IS NULL AND site_id NOT IN (SELECT id FROM site WHERE kind = 'hospital')",
    )
    expect(unnamed.n).toBe(0)
    const [foreign] = await all<{ n: number }>(`SELECT COUNT(*) AS n FROM movement m JOIN hospital h ON h.id = m.hospital_id JOIN site s ON s.id = m.site_id
      WHERE h.site_id <> COALESCE(s.parent_id, s.id)`)
    expect(foreign.n).toBe(0)
    const n = 24 + STORAGE_POINTS.length
    const [roads] = await all<{ n: number }>('SELECT COUNT(*) AS n FROM road_time')
    expect(roads.n).toBe(n * (n - 1))
  })

  it('has lots expiring within 72 hours, and none in stock already expired', async () => {
    const soon = await all<{ component: string }>(
      'SELECT DISTINCT component FROM lot WHERE qty > 0 AND expires_at > ?1 AND expires_at <= ?2 ORDER BY component',
      nowIso,
      new Date(Date.parse(nowIso) + 72 * HOUR).toISOString(),
    )
    expect(soon.map((s) => s.component)).toEqual(expect.arrayContaining(['PLT', 'RBC']))
    const [expired] = await all<{ n: number }>('SELECT COUNT(*) AS n FROM lot WHERE qty > 0 AND expires_at <= ?1', nowIso)
    expect(expired.n).toBe(0)
  })

  it('holds RhD-negative red cells in ordinary stock at their share, but no A- (the demo shortage), and RhD-negative platelets only at SC (none at GZ)', async () => {
    const groups = async (component: string) =>
      await all<{ siteId: string; g: string; units: number }>(
        "SELECT site_id AS siteId, abo || rhd AS g, SUM(qty) AS units FROM lot WHERE component = ?1 AND rhd = '-' AND qty > 0 AND antigens = '' GROUP BY site_id, g ORDER BY site_id, g",
        component,
      )
    const rbc = await groups('RBC')
    expect(rbc.filter((r) => r.g === 'A-')).toEqual([])
    // O- in ordinary stock at most stations (and the three centres' rare pool on top)
    expect(rbc.filter((r) => r.g === 'O-').map((r) => r.siteId)).toEqual(expect.arrayContaining(['CD', 'CQ', 'SC', 'LZ', 'MY', 'NC']))
    expect(rbc.filter((r) => r.g === 'O-').length).toBeGreaterThanOrEqual(15)
    const [share] = await all<{ neg: number; all: number }>(
      "SELECT SUM(CASE WHEN rhd = '-' THEN qty ELSE 0 END) AS neg, SUM(qty) AS 'all' FROM lot WHERE component = 'RBC' AND antigens = '' AND qty > 0",
    )
    expect(share.neg / share.all).toBeGreaterThan(0.002)
    expect(share.neg / share.all).toBeLessThan(0.01)
    expect(await groups('PLT')).toEqual([{ siteId: 'SC', g: 'O-', units: 1 }])
  })

  it('holds rare antigen units at CD, CQ and SC; no plasma or whole blood kept RhD-negative; Jk(a-b-) RhD-positive', async () => {
    const negOther = await all<{ component: string }>("SELECT DISTINCT component FROM lot WHERE rhd = '-' AND component IN ('FFP', 'CRYO', 'WB')")
    expect(negOther).toEqual([])
    const jk = await all<{ rhd: string }>("SELECT DISTINCT rhd FROM lot WHERE antigens LIKE '%Jk(a-b-)%'")
    expect(jk).toEqual([{ rhd: '+' }])
    // rare antigen red cells are banked frozen (10 years) at Chengdu and Chongqing; RhD-negative units are liquid
    const frozen = await all<{ siteId: string; antigens: string; years: number }>(
      'SELECT site_id AS siteId, antigens, (julianday(expires_at) - julianday(collected_at)) / 365 AS years FROM lot WHERE frozen = 1',
    )
    expect(new Set(frozen.map((l) => l.siteId))).toEqual(new Set(['CD', 'CQ']))
    for (const l of frozen) expect([l.antigens !== '', Math.round(l.years)]).toEqual([true, 10])
    expect(await all("SELECT id FROM lot WHERE antigens <> '' AND frozen = 0")).toEqual([])
    expect(await all("SELECT id FROM lot WHERE rhd = '-' AND frozen = 1")).toEqual([])
    for (const antigen of ['Fy(a-)', 'Jk(a-b-)']) {
      const rows = await all<{ siteId: string }>(
        "SELECT DISTINCT site_id AS siteId FROM lot WHERE qty > 0 AND (',' || antigens || ',') LIKE ?1",
        `%,${antigen},%`,
      )
      expect(rows.length, antigen).toBeGreaterThanOrEqual(2)
      for (const r of rows) expect(['CD', 'CQ', 'SC']).toContain(r.siteId)
    }
  })

  it('has 10 open requests at the short stations, needed within 1–48 hours, audited', async () => {
    const res = await call('GET', '/api/requests?status=open', { as: null, headers: { authorization: `Bearer ${DEMO_TOKENS.coordinator}` } })
    expect(res.status).toBe(200)
    type Req = {
      id: string
      siteId: string
      component: string
      abo: string
      rhd: string
      qty: number
      urgency: string
      neededBy: string
      allowRhPositive: boolean
      createdBy: string
    }
    const { requests } = res.json as { requests: Req[] }
    expect(requests.map((r) => r.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `req_demo_${String(i + 1).padStart(2, '0')}`))
    expect(new Set(requests.map((r) => r.siteId))).toEqual(new Set(Object.keys(DEMO_SHORT)))
    expect(new Set(requests.map((r) => r.urgency))).toEqual(new Set(['emergency', 'urgent', 'routine']))
    expect(requests[0].urgency).toBe('emergency')
    const hours = (r: Req) => (Date.parse(r.neededBy) - Date.parse(nowIso)) / HOUR
    for (const r of requests) {
      expect(hours(r), r.id).toBeGreaterThanOrEqual(1)
      expect(hours(r), r.id).toBeLessThanOrEqual(48)
      expect(r.createdBy).toBe(`u-director-${r.siteId.toLowerCase()}`)
    }
    // the A- red-cell request that only a substitution (O-) can serve
    const aNeg = requests.find((r) => r.id === 'req_demo_09')!
    expect(aNeg).toMatchObject({ siteId: 'PZH', component: 'RBC', abo: 'A', rhd: '-', qty: 2, urgency: 'urgent', allowRhPositive: false })
    expect(hours(aNeg)).toBe(30)
    // the RhD-negative platelets GZ needs within the hour, which nothing can reach in time
    const gzPlt = requests.find((r) => r.id === 'req_demo_10')!
    expect(gzPlt).toMatchObject({ siteId: 'GZ', component: 'PLT', abo: 'O', rhd: '-', qty: 2, urgency: 'emergency', allowRhPositive: false })
    expect(hours(gzPlt)).toBe(1)
    // RhD-positive for an RhD-negative patient: an older man in haemorrhagic shock, with the consent record
    const rhPos = requests.filter((r) => r.allowRhPositive)
    expect(rhPos.map((r) => r.id)).toEqual(['req_demo_03'])
    expect((rhPos[0] as any).rhPositiveConsent).toMatchObject({
      antiDScreen: 'negative',
      consentBy: expect.stringContaining('患者之子'),
      patientNote: expect.stringContaining('72'),
    })
    expect((rhPos[0] as any).reason).toContain('男性')
    const [audited] = await all<{ n: number }>("SELECT COUNT(DISTINCT entity_id) AS n FROM audit_log WHERE action = 'request.create'")
    expect(audited.n).toBe(requests.length)
  })

  it('signs in every demo user with the right role, storing only hashes', async () => {
    expect(DEMO_USERS.map((u) => u.role)).toEqual(expect.arrayContaining(['coordinator', 'planner', 'admin', 'director']))
    for (const u of DEMO_USERS) {
      // a hospital's blood bank reads its own site only
      const sites = await call('GET', u.role === 'hospital' ? `/api/sites/${u.siteId}` : '/api/sites', {
        as: null,
        headers: { authorization: `Bearer ${u.token}` },
      })
      expect(sites.status, u.login).toBe(200)
      if (u.role !== 'hospital') expect(sites.json.sites).toHaveLength(24 + STORAGE_POINTS.length)
      const me = await call('GET', '/api/me', { as: null, headers: { authorization: `Bearer ${u.token}` } })
      expect(me.json).toEqual({ id: u.id, name: u.name, role: u.role, siteId: u.siteId, province: null })
      const [row] = await all<{ tokenHash: string }>('SELECT token_hash AS tokenHash FROM user WHERE id = ?1', u.id)
      expect(row.tokenHash).toBe(await sha256Hex(u.token))
    }
    expect(DEMO_TOKENS['director-yb']).toBe('demo-director-yb')
    const wrong = await call('GET', '/api/sites', { as: null, headers: { authorization: 'Bearer demo-nobody' } })
    expect(wrong.status).toBe(401)
  })

  it('lets a short station’s director file a request against the demo data', async () => {
    const res = await call('POST', '/api/requests', {
      as: null,
      headers: { authorization: `Bearer ${DEMO_TOKENS['director-gz']}` },
      body: {
        siteId: 'GZ',
        component: 'FFP',
        abo: 'AB',
        rhd: '+',
        qty: 4,
        urgency: 'routine',
        neededBy: new Date(Date.now() + 40 * HOUR).toISOString(),
        reason: 'demo',
      },
    })
    expect(res.status).toBe(201)
  })
})

describe('the generator', () => {
  it('is deterministic for a given now and seed, and varies with the seed', async () => {
    const at = new Date('2026-11-23T08:00:00Z')
    const a = await demoSql({ now: at })
    const b = await demoSql({ now: at })
    expect(b).toEqual(a)
    const c = await demoSql({ now: at, seed: 7 })
    expect(c).not.toEqual(a)
  })

  it('dips issue in mid-winter, around the Spring Festival', async () => {
    // Spring Festival 2027 falls on 6 February; 60 days back from 25 February reaches late December.
    const r = await demoRegion({ now: new Date('2027-02-25T00:00:00Z') })
    const perDay = (from: string, to: string) => {
      const lo = Date.parse(from)
      const hi = Date.parse(to)
      return (
        -r.movements.filter((m) => m.kind === 'issue' && Date.parse(m.at) >= lo && Date.parse(m.at) < hi).reduce((a, m) => a + m.delta, 0) /
        ((hi - lo) / (24 * HOUR))
      )
    }
    const december = perDay('2026-12-28T00:00:00Z', '2027-01-01T00:00:00Z')
    const festival = perDay('2027-01-31T00:00:00Z', '2027-02-14T00:00:00Z')
    const after = perDay('2027-02-21T00:00:00Z', '2027-02-25T00:00:00Z')
    expect(festival / december).toBeLessThan(0.8)
    expect(festival / after).toBeLessThan(0.8)
  })

  it('never holds A- red cells, RhD-negative whole blood, nor RhD-negative platelets outside SC, whatever the date', async () => {
    for (const at of ['2026-01-05T03:00:00Z', '2026-07-18T22:30:00Z', '2027-02-10T12:00:00Z']) {
      const r = await demoRegion({ now: new Date(at) })
      expect(
        r.lots.filter((l) => l.component === 'RBC' && l.abo === 'A' && l.rhd === '-'),
        at,
      ).toEqual([])
      expect(
        r.lots.filter((l) => l.component === 'WB' && l.rhd === '-'),
        at,
      ).toEqual([]) // test/web/handoff.test.ts relies on no WB B- anywhere
      expect(
        r.lots.filter((l) => l.component === 'PLT' && l.rhd === '-').map((l) => [l.siteId, l.abo, l.expiresAt]),
        at,
      ).toEqual([['SC', 'O', new Date(Date.parse(at) + 4 * 24 * HOUR).toISOString()]])
    }
  })

  it('escapes SQL string literals', () => {
    expect(lit("Guang'an")).toBe("'Guang''an'")
    expect(lit(null)).toBe('NULL')
    expect(lit(3)).toBe('3')
    expect(() => lit(Number.NaN)).toThrow()
  })
})

describe("the demo hospitals' blood banks (issue 23)", () => {
  it('hold stock with 14 days of transfusions in Yibin, Garze and Wanzhou; a Yibin hospital is low on O-negative', async () => {
    const banks = await all<{ id: string; parentId: string; city: string }>(
      `SELECT s.id, s.parent_id AS parentId, p.city FROM site s JOIN site p ON p.id = s.parent_id
       WHERE s.kind = 'hospital' AND s.id IN (SELECT DISTINCT site_id FROM lot) ORDER BY s.id`,
    )
    expect(banks.map((b) => b.id)).toEqual(HOSPITAL_BANKS.map((h) => h.id).sort())
    expect(new Set(banks.map((b) => b.parentId))).toEqual(new Set(['YB', 'GZ', 'WZ']))
    expect((await all<{ nameZh: string }>("SELECT name_zh AS nameZh FROM hospital WHERE id = 'CQWZ1'"))[0].nameZh).toBe('重庆大学附属三峡医院')
    // their sites carry the English names the UI shows with ?lang=en
    const yb1 = await call('GET', '/api/sites/YB1', { as: null, headers: { authorization: `Bearer ${DEMO_TOKENS['hospital-yb1']}` } })
    expect(yb1.json).toMatchObject({ kind: 'hospital', parentId: 'YB', nameZh: '宜宾市第一人民医院', nameEn: "Yibin First People's Hospital" })

    const hyb = DEMO_USERS.find((u) => u.role === 'hospital' && u.siteId === 'YB1')!
    const view = await call('GET', '/api/hospitals?station=YB', { as: null, headers: { authorization: `Bearer ${DEMO_TOKENS['director-yb']}` } })
    expect(view.status).toBe(200)
    for (const h of view.json.hospitals.filter((x: { siteId: string }) => x.siteId === 'YB1' || x.siteId === 'YB2')) {
      const rbc = h.components.find((c: { component: string }) => c.component === 'RBC')
      expect(rbc.avgDailyIssue, h.siteId).toBeGreaterThan(1)
      expect(rbc.onHand, h.siteId).toBeGreaterThan(0)
      expect(rbc.daysOfSupply, h.siteId).toBeGreaterThan(1)
      expect(rbc.daysOfSupply, h.siteId).toBeLessThan(15)
    }
    // the ledger's figures are the stock the hospital user reads, by group with expiries
    const stock = await call('GET', '/api/stock?site=YB1&component=RBC', { as: null, headers: { authorization: `Bearer ${hyb.token}` } })
    const oNeg = stock.json.rows.find((r: { abo: string; rhd: string }) => r.abo === 'O' && r.rhd === '-')
    expect(oNeg).toMatchObject({ onHand: 1 })
    const oPos = stock.json.rows.find((r: { abo: string; rhd: string }) => r.abo === 'O' && r.rhd === '+')
    expect(oPos.onHand).toBeGreaterThan(5)
    const [bad] = await all<{ n: number }>(
      "SELECT COUNT(*) AS n FROM lot l WHERE l.site_id IN ('YB1', 'YB2', 'GZ1', 'CQWZ1') AND l.qty <> (SELECT SUM(delta) FROM movement WHERE lot_id = l.id)",
    )
    expect(bad.n).toBe(0)
    const [transfusions] = await all<{ n: number; days: number }>(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT substr(at, 1, 10)) AS days FROM movement WHERE site_id = 'GZ1' AND kind = 'issue' AND reason = 'transfusion' AND at >= ?1",
      new Date(Date.now() - 14 * 86_400_000).toISOString(),
    )
    expect(transfusions.days).toBeGreaterThanOrEqual(10)
    // and they stay out of the region's warnings and the planner's stock
    const warnings = await call('GET', '/api/warnings', { as: null, headers: { authorization: `Bearer ${DEMO_TOKENS.coordinator}` } })
    expect(JSON.stringify(warnings.json)).not.toMatch(/"(YB1|YB2|GZ1|CQWZ1)"/)
  })
})

describe('the demo walk of issue 23 (API)', () => {
  it('a Yibin hospital records a transfusion and calls for O-negative; the director sees it, fills it; the hospital receives it', async () => {
    const H = { authorization: `Bearer ${DEMO_TOKENS['hospital-yb1']}` }
    const D = { authorization: `Bearer ${DEMO_TOKENS['director-yb']}` }
    const lots = await call('GET', '/api/stock/lots?site=YB1&component=RBC&abo=A', { as: null, headers: H })
    const tx = await call('POST', '/api/movements', {
      as: null,
      headers: { ...H, 'idempotency-key': 'demo-walk-tx-1' },
      body: { siteId: 'YB1', kind: 'issue', lotId: lots.json.lots[0].id, qty: 1, reason: 'transfusion', urgency: 'urgent' },
    })
    expect(tx.status, tx.text).toBe(201)
    const cursor = (await call('GET', '/api/events', { as: null, headers: D })).json.cursor
    const made = await call('POST', '/api/orders', {
      as: null,
      headers: { ...H, 'idempotency-key': 'demo-walk-order-1' },
      body: { kind: 'emergency', component: 'RBC', abo: 'O', rhd: '-', qty: 1, neededBy: new Date(Date.now() + 2 * HOUR).toISOString() },
    })
    expect(made.status, made.text).toBe(201)
    const events = (await call('GET', `/api/events?since=${cursor}`, { as: null, headers: D })).json.events
    expect(events.find((e: { entityId: string }) => e.entityId === made.json.id)).toMatchObject({ urgency: 'emergency', entity: 'hospital_order' })
    // Yibin itself is red and holds a single O- unit: it can send that one
    expect(made.json.stationOnHand).toBeGreaterThanOrEqual(1)
    const filled = await call('POST', `/api/orders/${made.json.id}/fill`, {
      as: null,
      headers: { ...D, 'idempotency-key': 'demo-walk-fill-1' },
      body: { temperatureC: 4 },
    })
    expect(filled.status, filled.text).toBe(200)
    const got = await call('POST', `/api/orders/${made.json.id}/receive`, {
      as: null,
      headers: { ...H, 'idempotency-key': 'demo-walk-recv-1' },
      body: { receivedQty: 1, temperatureC: 5 },
    })
    expect(got.json.status).toBe('received')
    const oNeg = (await call('GET', '/api/stock?site=YB1&component=RBC&abo=O&rhd=-', { as: null, headers: H })).json.rows[0]
    expect(oNeg.onHand).toBe(2)
  })
})
