// The whole plan workflow on the demo region (23 sites, 60 days of ledger, rare units, open requests).
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../../seed/demo'
import { demoSql } from '../../../seed/demo-sql'
import { call } from '../fixtures'

const as = (login: keyof typeof DEMO_TOKENS) => ({ as: null, headers: { authorization: `Bearer ${DEMO_TOKENS[login]}` } })

beforeAll(async () => {
  const stmts = await demoSql({ now: new Date() })
  for (let i = 0; i < stmts.length; i += 50) await env.DB.batch(stmts.slice(i, i + 50).map((s) => env.DB.prepare(s)))
}, 120_000)

describe('planning the demo region', () => {
  it('plans, respects every reserve, serves the rare request from rare units only, explains the unmet need, substitutes O- for A-, and commits atomically', async () => {
    const res = await call('POST', '/api/plans', { ...as('coordinator'), body: {} })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    const plan = res.json
    const inst = plan.instance
    expect(inst.reserves.length).toBeGreaterThan(0)
    expect(plan.transfers.length).toBeGreaterThan(0)

    // outbound transfers never take a station's group below its reserve (its red-level floor)
    const key = (site: string, c: string, abo: string, rhd: string) => `${site}|${c}|${abo}${rhd}`
    const stock = new Map<string, number>()
    for (const l of inst.lots) stock.set(key(l.site, l.component, l.abo, l.rhd), (stock.get(key(l.site, l.component, l.abo, l.rhd)) ?? 0) + l.qty)
    const out = new Map<string, number>()
    for (const t of plan.transfers) {
      if (t.lots.some((l: any) => !inst.lots.some((x: any) => x.id === l.lotId))) continue // rare-round lots are outside the base instance
      out.set(key(t.fromSite, t.component, t.abo, t.rhd), (out.get(key(t.fromSite, t.component, t.abo, t.rhd)) ?? 0) + t.qty)
    }
    for (const r of inst.reserves) {
      const k = key(r.site, r.component, r.abo, r.rhd)
      expect(out.get(k) ?? 0, k).toBeLessThanOrEqual(Math.max(0, (stock.get(k) ?? 0) - r.qty))
    }

    // the Fy(a-) patient's units all carry Fy(a-)
    const rare = plan.transfers.filter((t: any) => t.requests.some((r: any) => r.requestId === 'req_demo_06'))
    expect(rare.length).toBeGreaterThan(0)
    for (const t of rare) {
      for (const l of t.lots) {
        const lot = await env.DB.prepare('SELECT antigens FROM lot WHERE id = ?1').bind(l.lotId).first<string>('antigens')
        expect(lot).toContain('Fy(a-)')
      }
    }
    // Garze's Fy(a-) emergency is served from a frozen unit banked in Chengdu, to be thawed before dispatch
    expect(rare.map((t: any) => [t.fromSite, t.toSite, t.frozen, t.lots.every((l: any) => l.frozen)])).toEqual([['CD', 'GZ', true, true]])
    // no ordinary request gets a rare-antigen unit
    for (const t of plan.transfers.filter((t: any) => !t.requests.some((r: any) => r.requestId === 'req_demo_06'))) {
      for (const l of t.lots) expect(await env.DB.prepare('SELECT antigens FROM lot WHERE id = ?1').bind(l.lotId).first<string>('antigens')).toBe('')
    }

    // the plan review shows the consent record beside the RhD-negative patient it lets RhD-positive units serve
    const forRhNeg = plan.transfers.flatMap((t: any) => t.requests.filter((r: any) => r.requestId === 'req_demo_03'))
    expect(forRhNeg.length).toBeGreaterThan(0)
    for (const r of forRhNeg)
      expect(r.rhPositiveConsent).toMatchObject({
        antiDScreen: 'negative',
        consentBy: expect.any(String),
        consentAt: expect.any(String),
        patientNote: expect.any(String),
      })
    for (const t of plan.transfers)
      for (const r of t.requests.filter((r: any) => r.requestId !== 'req_demo_03')) expect(r.rhPositiveConsent, r.requestId).toBeNull()

    // every request is either served by a transfer or explained as unmet
    const served = new Map<string, number>()
    for (const t of plan.transfers) for (const r of t.requests) served.set(r.requestId, (served.get(r.requestId) ?? 0) + r.qty)
    const unmet = new Map<string, number>(plan.result.unmet.map((u: any) => [u.need, u.qty]))
    const local = new Map<string, number>()
    for (const a of plan.result.allocations) {
      const need = [...inst.needs, ...(inst.antigenRounds ?? []).flatMap((r: any) => r.instance.needs)].find((n: any) => n.id === a.need)
      if (a.fromSite === need.site) local.set(a.need, (local.get(a.need) ?? 0) + a.qty)
    }
    const { results: reqs } = await env.DB.prepare(
      `SELECT id, qty, status, needed_by AS neededBy FROM aid_request WHERE id LIKE 'req_demo_%' ORDER BY id`,
    ).all<{ id: string; qty: number; status: string; neededBy: string }>()
    expect(reqs).toHaveLength(10)
    for (const r of reqs) {
      expect((served.get(r.id) ?? 0) + (local.get(r.id) ?? 0) + (unmet.get(r.id) ?? 0), r.id).toBe(r.qty)
      // a plan under review covers nothing: every request stays open until the commit
      expect(r.status, r.id).toBe('open')
    }

    // exactly one need is left unmet: GZ's RhD-negative platelets within the hour. The region's only
    // RhD-negative platelet unit is at SC (Chengdu), hours away by road: none_in_time, with its message.
    const gzPlt = reqs.find((r) => r.id === 'req_demo_10')!
    expect(plan.unmet).toEqual([
      {
        need: 'req_demo_10',
        qty: 2,
        reason: 'none_in_time',
        message: `1 compatible PLT units exist but none can arrive by ${gzPlt.neededBy}`,
      },
    ])
    expect(gzPlt.status).toBe('open')
    expect(served.has('req_demo_10') || local.has('req_demo_10')).toBe(false)
    // every other request is covered in full
    for (const r of reqs.filter((x) => x.id !== 'req_demo_10')) expect((served.get(r.id) ?? 0) + (local.get(r.id) ?? 0), r.id).toBe(r.qty)

    // the one substitution: the region holds no A- red cells, so PZH's A- patient gets O- (both its units)
    const subs = plan.result.allocations.filter((a: any) => a.substitution)
    expect(subs.length).toBeGreaterThan(0)
    for (const a of subs) expect(a, JSON.stringify(a)).toMatchObject({ need: 'req_demo_09', abo: 'O', rhd: '-', substitution: true })
    expect(subs.reduce((s: number, a: any) => s + a.qty, 0)).toBe(2)
    expect(plan.result.summary.substitutedUnits).toBe(2)
    const toA = plan.transfers.filter((t: any) => t.requests.some((r: any) => r.requestId === 'req_demo_09'))
    expect(toA.length).toBeGreaterThan(0)
    for (const t of toA) expect(t, JSON.stringify(t)).toMatchObject({ toSite: 'PZH', component: 'RBC', abo: 'O', rhd: '-' })
    // every other allocation is of the need's own group
    for (const a of plan.result.allocations.filter((x: any) => x.need !== 'req_demo_09')) expect(a.substitution, a.need).toBe(false)

    // the README's walkthrough receives a transfer to YB
    expect(plan.transfers.some((t: any) => t.toSite === 'YB')).toBe(true)

    // approve everything and commit the plan in one batch
    for (const t of plan.transfers) expect((await call('POST', `/api/transfers/${t.id}/approve`, as('coordinator'))).status).toBe(200)
    const commit = await call('POST', `/api/plans/${plan.id}/commit`, {
      ...as('admin'),
      headers: { ...as('admin').headers, 'idempotency-key': 'demo-commit-0001' },
    })
    expect(commit.status, JSON.stringify(commit.json)).toBe(200)
    expect(commit.json.committed).toHaveLength(plan.transfers.length)
    expect(commit.json.closed).toEqual([])
    const after = await env.DB.prepare(`SELECT id, status FROM aid_request WHERE id LIKE 'req_demo_%' ORDER BY id`).all<{ id: string; status: string }>()
    for (const r of after.results) expect(r.status, r.id).toBe(served.has(r.id) ? 'planned' : 'open')
    const outSum = await env.DB.prepare(`SELECT -SUM(delta) AS s FROM movement WHERE kind = 'transfer_out' AND batch_id = ?1`)
      .bind(commit.json.batchId)
      .first<number>('s')
    expect(outSum).toBe(plan.transfers.reduce((s: number, t: any) => s + t.qty, 0))
    const drift = await env.DB.prepare(
      `SELECT COUNT(*) AS n FROM lot l WHERE l.qty <> (SELECT COALESCE(SUM(delta), 0) FROM movement m WHERE m.lot_id = l.id)`,
    ).first<number>('n')
    expect(drift).toBe(0)

    // a second plan finds nothing new to plan for the covered requests
    const again = await call('POST', '/api/plans', { ...as('coordinator'), body: {} })
    expect(again.status).toBe(201)
    for (const n of again.json.instance.needs) expect(served.has(n.id) && (served.get(n.id) ?? 0) >= reqs.find((r) => r.id === n.id)!.qty).toBe(false)
  }, 60_000)
})
