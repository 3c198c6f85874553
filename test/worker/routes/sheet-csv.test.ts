// The dispatch sheet's CSV (issue 19): station names in full, local times, the reason, most urgent first.
import { env } from 'cloudflare:workers'
import Papa from 'papaparse'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase, SITES } from '../fixtures'
import { addLot, addRequest, key, resetWorld } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const post = (path: string, opts: Parameters<typeof call>[2] = {}) => call('POST', path, opts)
const rowsOf = (text: string) => Papa.parse<Record<string, string>>(text.trim(), { header: true }).data

/** ISO → yyyy-mm-dd hh:mm at a fixed offset from UTC, computed independently of the service's Intl use. */
const atOffset = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')

describe('GET /api/csv/transfers (the dispatch sheet)', () => {
  it('names both stations, gives the reason, writes local times and lists the most urgent transfer first', async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 10 })
    await addLot({ site: 'CQ', qty: 10 })
    // a routine request filed before an emergency for YB (from CD): the emergency still comes first
    const routine = await addRequest({ site: 'NC', qty: 2, urgency: 'routine', neededInHours: 48 })
    const emergency = await addRequest({ site: 'YB', qty: 2, urgency: 'emergency', neededInHours: 6 })
    await env.DB.prepare('UPDATE aid_request SET reason = ?2 WHERE id = ?1').bind(emergency, '车祸大出血').run()
    await env.DB.prepare('UPDATE aid_request SET reason = ?2 WHERE id = ?1').bind(routine, '择期手术备血').run()
    const plan = await post('/api/plans', { body: { requestIds: [routine, emergency] } })
    expect(plan.status, JSON.stringify(plan.json)).toBe(201)
    expect(plan.json.transfers.length).toBe(2)
    for (const t of plan.json.transfers) expect((await post(`/api/transfers/${t.id}/approve`)).status).toBe(200)
    expect((await post(`/api/plans/${plan.json.id}/commit`, { headers: { 'idempotency-key': key() } })).status).toBe(200)
    const toYB = plan.json.transfers.find((t: any) => t.toSite === 'YB')
    const dispatched = await post(`/api/transfers/${toYB.id}/dispatch`, { body: { temperatureC: 4, carrier: '川A·1' } })
    expect(dispatched.status).toBe(200)

    const res = await call('GET', `/api/csv/transfers?plan=${plan.json.id}`)
    expect(res.status).toBe(200)
    const rows = rowsOf(res.text)
    expect(rows.map((r) => [r.urgency, r.to_site])).toEqual([
      ['emergency', 'YB'],
      ['routine', 'NC'],
    ])
    const [first, second] = rows
    const fullName = (id: string) => SITES.find((s) => s.id === id)!.nameZh
    expect(first.from_name).toBe(fullName(toYB.fromSite))
    expect(first.to_name).toBe('宜宾市中心血站')
    expect(second.to_name).toBe('南充市中心血站')
    expect(first.reason).toBe('车祸大出血')
    expect(second.reason).toBe('择期手术备血')
    // Sichuan keeps China Standard Time (UTC+8) by default; another zone on request
    const dispatchedAt = dispatched.json.dispatchedAt as string
    expect(first.dispatched_at).toBe(atOffset(dispatchedAt, 8))
    const neededBy = (await call('GET', `/api/transfers/${toYB.id}`)).json.requests[0].neededBy as string
    expect(first.needed_by).toBe(atOffset(neededBy, 8))
    expect(first.lots).toMatch(/^\S+:2:\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    const utc = rowsOf((await call('GET', `/api/csv/transfers?plan=${plan.json.id}&tz=UTC`)).text)
    expect(utc[0].dispatched_at).toBe(atOffset(dispatchedAt, 0))

    const bad = await call('GET', `/api/csv/transfers?plan=${plan.json.id}&tz=Mars/Olympus`)
    expect(bad.status).toBe(400)
    expect(bad.json.error.field).toBe('tz')
  })
})
