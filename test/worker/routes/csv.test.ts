import { env } from 'cloudflare:workers'
import Papa from 'papaparse'
import { beforeAll, describe, expect, it } from 'vitest'
import { toCsv } from '../../../worker/services/csv'
import { call, receiveLot, seedBase, uid, type Who } from '../fixtures'

beforeAll(() => seedBase())

const DAY = 86_400_000
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10)
const HEADER = 'lot_id,component,abo,rhd,qty,collected_at,expires_at,antigens'
const upload = (site: string, text: string, as: Who = 'coordinator', key = uid('csv-')) =>
  call('POST', `/api/csv/stock-count?site=${site}`, { as, raw: text, headers: { 'content-type': 'text/csv', 'idempotency-key': key } })
const lotQty = async (id: string) => (await env.DB.prepare('SELECT qty FROM lot WHERE id = ?1').bind(id).first<{ qty: number }>())?.qty
const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>())!.n

describe('POST /api/csv/stock-count', () => {
  it('adjusts known lots to the count and takes unknown lots in as receipts', async () => {
    const known = await receiveLot('CD', { qty: 10, abo: 'A' })
    const same = await receiveLot('CD', { qty: 4, abo: 'B' })
    const fresh = uid('NEW')
    const rare = uid('RARE')
    const text = [
      HEADER,
      `${known},RBC,A,+,7,${day(-3)},${day(20)},`,
      `${same},RBC,B,+,4,${day(-3)},${day(20)},`,
      `${fresh},PLT,O,+,3,${day(-1)},${day(3)},`,
      `${rare},RBC,O,-,2,${day(-2)}T08:00:00Z,${day(30)}T08:00:00Z,"Fy(a-);Jk(a-b-)"`,
      '',
    ].join('\r\n')
    const res = await upload('CD', text, 'director')
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ siteId: 'CD', source: 'csv', counted: 4, received: 2, adjusted: 1 })
    expect(res.json.createdLots.sort()).toEqual([fresh, rare].sort())
    expect(res.json.movements.map((m: any) => [m.lotId, m.kind, m.delta])).toEqual([
      [known, 'adjust', -3],
      [fresh, 'receipt', 3],
      [rare, 'receipt', 2],
    ])
    expect(await lotQty(known)).toBe(7)
    expect(await lotQty(same)).toBe(4)
    expect(await lotQty(fresh)).toBe(3)
    const rareLot = await env.DB.prepare('SELECT antigens, rhd, expires_at AS e FROM lot WHERE id = ?1').bind(rare).first()
    expect(rareLot).toEqual({ antigens: 'Fy(a-),Jk(a-b-)', rhd: '-', e: `${day(30)}T08:00:00.000Z` })
    const audit = await call('GET', `/api/audit?entity=movement_batch&entityId=${res.json.batchId}`, { as: 'admin' })
    expect(audit.json.entries[0]).toMatchObject({ action: 'movement.batch', actorId: 'u-dir-cd' })
  })

  it('lists every bad row and applies nothing', async () => {
    const known = await receiveLot('CD', { qty: 10 })
    const yb = await receiveLot('YB', { qty: 10 })
    const good = uid('OK')
    const ledgerBefore = await count('SELECT COUNT(*) AS n FROM movement')
    const text = [
      HEADER,
      `${known},RBC,O,+,5,${day(-3)},${day(20)},`,
      `${good},RBC,O,+,5,${day(-3)},${day(20)},`,
      `${uid('B')},RBC,C,+,5,${day(-3)},${day(20)},`,
      `${uid('B')},RBC,O,+,-2,${day(-3)},${day(20)},`,
      `${uid('B')},PLT,O,+,1,${day(-3)},${day(10)},`,
      `${uid('B')},RBC,O,+,1,not-a-date,${day(20)},`,
      `${yb},RBC,O,+,1,${day(-3)},${day(20)},`,
      `${known},RBC,O,+,5,${day(-3)},${day(20)},`,
    ].join('\n')
    const res = await upload('CD', text)
    expect(res.status).toBe(400)
    expect(res.json.error).toEqual({ code: 'invalid_csv', message: expect.any(String), field: 'abo' }) // the first row's field; rows[] has them all
    expect(res.json.rows.map((r: any) => [r.row, r.field])).toEqual([
      [4, 'abo'],
      [5, 'qty'],
      [7, 'collected_at'],
      [9, 'lot_id'],
    ])
    expect(res.json.rows.every((r: any) => typeof r.message === 'string' && r.message.length > 0)).toBe(true)
    // the second pass (against stock) also lists every row: PLT beyond its 5-day life, a lot of another site
    const text2 = [
      HEADER,
      `${known},RBC,A,+,5,${day(-3)},${day(20)},`,
      `${uid('B')},PLT,O,+,1,${day(-3)},${day(10)},`,
      `${yb},RBC,O,+,1,${day(-3)},${day(20)},`,
      `${uid('Z')},RBC,O,+,0,${day(-3)},${day(20)},`,
    ].join('\n')
    const res2 = await upload('CD', text2)
    expect(res2.status).toBe(400)
    expect(res2.json.rows.map((r: any) => [r.row, r.field])).toEqual([
      [2, 'abo'],
      [3, 'expires_at'],
      [4, 'lot_id'],
      [5, 'qty'],
    ])
    expect(await lotQty(known)).toBe(10)
    expect(await lotQty(yb)).toBe(10)
    expect(await lotQty(good)).toBeUndefined()
    expect(await count('SELECT COUNT(*) AS n FROM movement')).toBe(ledgerBefore)
  })

  it('400 for a missing column, an empty file, unreadable quoting, and a missing site', async () => {
    const noQty = await upload('CD', 'lot_id,component,abo,rhd,collected_at,expires_at\nX1,RBC,O,+,2026-01-01,2026-01-20\n')
    expect(noQty.status).toBe(400)
    expect(noQty.json.rows).toEqual([{ row: 1, field: 'qty', message: 'Missing column qty' }])
    const empty = await upload('CD', `${HEADER}\n\n`)
    expect(empty.status).toBe(400)
    expect(empty.json.error.code).toBe('invalid_csv')
    const quoting = await upload('CD', `${HEADER}\n"X2,RBC,O,+,1,${day(-1)},${day(9)},\n`)
    expect(quoting.status).toBe(400)
    expect(quoting.json.error.code).toBe('invalid_csv')
    const noSite = await call('POST', '/api/csv/stock-count', { raw: HEADER, headers: { 'content-type': 'text/csv', 'idempotency-key': uid('csv-') } })
    expect(noSite.status).toBe(400)
    expect(noSite.json.error.field).toBe('site')
    const noKey = await call('POST', '/api/csv/stock-count?site=CD', { raw: HEADER, headers: { 'content-type': 'text/csv' } })
    expect(noKey.status).toBe(400)
    expect(noKey.json.error.field).toBe('idempotency-key')
    const unknownSite = await upload('ZZ', `${HEADER}\n`)
    expect(unknownSite.status).toBe(400)
    expect(unknownSite.json.error.field).toBe('site')
  })

  it('refuses dates outside 2000–2100 and a new lot that has already expired, row by row', async () => {
    const known = await receiveLot('CD', {
      qty: 2,
      collectedAt: new Date(Date.now() - 40 * DAY).toISOString(),
      expiresAt: new Date(Date.now() - 5 * DAY).toISOString(),
    })
    const text = [
      HEADER,
      `${uid('D')},RBC,O,+,1,0000-01-01,0000-01-10,`,
      `${uid('D')},RBC,O,+,1,${day(-1)},9999-12-31,`,
      `${uid('D')},RBC,O,+,1,${day(-30)},${day(-1)},`,
      `${known},RBC,O,+,0,${day(-40)},${day(-5)},`, // an expired lot already here may still be counted
    ].join('\n')
    const res = await upload('CD', text)
    expect(res.status).toBe(400)
    expect(res.json.rows.map((r: any) => [r.row, r.field])).toEqual([
      [2, 'collected_at'],
      [2, 'expires_at'],
      [3, 'expires_at'],
    ])
    const second = await upload('CD', [HEADER, `${uid('D')},RBC,O,+,1,${day(-30)},${day(-1)},`, `${known},RBC,O,+,0,${day(-40)},${day(-5)},`].join('\n'))
    expect(second.status).toBe(400)
    expect(second.json.rows.map((r: any) => [r.row, r.field])).toEqual([[2, 'expires_at']])
    expect(await lotQty(known)).toBe(2)
  })

  it('401 without a token, 403 for a planner and for the director of another site', async () => {
    const text = `${HEADER}\n${uid('P')},RBC,O,+,1,${day(-1)},${day(9)},\n`
    expect((await call('POST', '/api/csv/stock-count?site=CD', { as: null, raw: text, headers: { 'idempotency-key': uid('csv-') } })).status).toBe(401)
    expect((await upload('CD', text, 'planner')).status).toBe(403)
    expect((await upload('CD', text, 'directorYB')).status).toBe(403)
  })

  it('a retry of the same file is applied once with the same answer; another file under the key is 409', async () => {
    const lot = uid('IDEM')
    const text = `${HEADER}\n${lot},FFP,AB,+,6,${day(-10)},${day(300)},\n`
    const key = uid('csv-')
    const first = await upload('YB', text, 'directorYB', key)
    const again = await upload('YB', text, 'directorYB', key)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.json.batchId).toBe(first.json.batchId)
    expect(again.json.movements).toEqual(first.json.movements)
    expect(again.json.createdLots).toEqual([lot])
    expect(await lotQty(lot)).toBe(6)
    expect(await count('SELECT COUNT(*) AS n FROM movement WHERE lot_id = ?1', lot)).toBe(1)
    const other = await upload('YB', `${HEADER}\n${lot},FFP,AB,+,5,${day(-10)},${day(300)},\n`, 'directorYB', key)
    expect(other.status).toBe(409)
    expect(other.json.error).toMatchObject({ code: 'idempotency_key_reused', field: 'idempotency-key' })
    expect(await lotQty(lot)).toBe(6)
  })

  it('413 naming the row limit for a file over 20,000 rows though under 2 MB (it was a 500: the audit row held every line)', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `BIG${i},RBC,O,+,1,${day(-1)},${day(20)},`)
    const text = [HEADER, ...rows, ''].join('\n')
    expect(text.length).toBeLessThan(2_000_000)
    const ledgerBefore = await count('SELECT COUNT(*) AS n FROM movement')
    const res = await upload('CD', text)
    expect(res.status).toBe(413)
    expect(res.json.error).toEqual({ code: 'too_large', message: 'A stock count may have at most 20000 data rows; this file has 40000', field: 'body' })
    expect(await count('SELECT COUNT(*) AS n FROM movement')).toBe(ledgerBefore)
  })

  it('the audit row records the batch (size, receipts, request digest), not the list of lines', async () => {
    const lots = [uid('AU'), uid('AU')]
    const res = await upload('CD', [HEADER, ...lots.map((l) => `${l},RBC,A,-,2,${day(-1)},${day(20)},`)].join('\n'))
    expect(res.status).toBe(201)
    const audit = await call('GET', `/api/audit?entity=movement_batch&entityId=${res.json.batchId}`, { as: 'admin' })
    expect(audit.json.entries).toHaveLength(1)
    expect(audit.json.entries[0].detail).toEqual({ siteId: 'CD', source: 'csv', lines: 2, received: 2, requestHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
  })
})

describe('CSV export', () => {
  it('GET /api/csv/stock exports lots that parse back and import as an unchanged count', async () => {
    const lot = await receiveLot('NC', { qty: 9, abo: 'AB', rhd: '-', antigens: ['Fy(a-)', 'Jk(a-b-)'] })
    const res = await call('GET', '/api/csv/stock?site=NC', { as: 'planner' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const parsed = Papa.parse<Record<string, string>>(res.text, { header: true, skipEmptyLines: true })
    expect(parsed.errors).toEqual([])
    expect(parsed.meta.fields).toEqual(['site_id', 'lot_id', 'component', 'abo', 'rhd', 'qty', 'collected_at', 'expires_at', 'antigens', 'frozen'])
    const row = parsed.data.find((r) => r.lot_id === lot)
    expect(row).toMatchObject({ site_id: 'NC', component: 'RBC', abo: 'AB', rhd: '-', qty: '9', antigens: 'Fy(a-);Jk(a-b-)' })
    expect(parsed.data.every((r) => r.site_id === 'NC')).toBe(true)
    // Round trip: the export imported back as a count changes nothing.
    const reimport = await upload('NC', res.text)
    expect(reimport.status).toBe(201)
    expect(reimport.json.movements).toEqual([])
    expect(reimport.json.adjusted).toBe(0)
    expect(await lotQty(lot)).toBe(9)
  })

  it('GET /api/csv/movements exports the ledger with quoting', async () => {
    const lot = await receiveLot('NC', { qty: 5 })
    const issue = await call('POST', '/api/movements', {
      headers: { 'idempotency-key': uid('k-') },
      body: { siteId: 'NC', kind: 'discard', lotId: lot, qty: 1, reason: 'bag leak, "seal" broken' },
    })
    expect(issue.status).toBe(201)
    const res = await call('GET', `/api/csv/movements?site=NC&since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const parsed = Papa.parse<Record<string, string>>(res.text, { header: true, skipEmptyLines: true })
    expect(parsed.errors).toEqual([])
    expect(parsed.meta.fields).toEqual(['id', 'at', 'site_id', 'lot_id', 'kind', 'delta', 'reason', 'transfer_id', 'batch_id', 'actor_id'])
    const mine = parsed.data.filter((r) => r.lot_id === lot)
    expect(mine.map((r) => [r.kind, r.delta, r.reason])).toEqual([
      ['receipt', '5', ''],
      ['discard', '-1', 'bag leak, "seal" broken'],
    ])
    expect(res.text).toContain('"bag leak, ""seal"" broken"')
    expect((await call('GET', '/api/csv/movements?since=yesterday')).status).toBe(400)
    expect((await call('GET', '/api/csv/stock', { as: null })).status).toBe(401)
  })

  it('escapes every text cell a spreadsheet would run as a formula (= + - @ tab CR); numbers stay numbers', async () => {
    // Reasons and antigens are what users type; each dangerous first character once.
    const reasons = ['=HYPERLINK("http://x")', "-2+3+cmd|' /C calc'!A0", '+1', '@SUM(A1)']
    const lot = await receiveLot('CQ', { qty: 9, antigens: ['+SUM(1)', '-Jk(a)'] })
    for (const reason of reasons) {
      const r = await call('POST', '/api/movements', {
        headers: { 'idempotency-key': uid('k-') },
        body: { siteId: 'CQ', kind: 'discard', lotId: lot, qty: 1, reason },
      })
      expect(r.status).toBe(201)
    }
    const ledger = await call('GET', `/api/csv/movements?site=CQ&since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`)
    const rows = Papa.parse<Record<string, string>>(ledger.text, { header: true, skipEmptyLines: true }).data.filter((r) => r.lot_id === lot)
    expect(rows.map((r) => [r.kind, r.delta, r.reason])).toEqual([
      ['receipt', '9', ''],
      ...reasons.map((reason) => ['discard', '-1', `'${reason}`]), // delta is a number: -1, not '-1
    ])
    expect(ledger.text).toMatch(/,discard,-1,"'-2\+3\+cmd\|' \/C calc'!A0",/)
    const stock = await call('GET', '/api/csv/stock?site=CQ')
    const row = Papa.parse<Record<string, string>>(stock.text, { header: true, skipEmptyLines: true }).data.find((r) => r.lot_id === lot)
    expect(row).toMatchObject({ rhd: '+', qty: '5', antigens: "'+SUM(1);-Jk(a)" }) // a lone + is no formula
    // Tab and carriage return cannot start a reason (it is trimmed), so they are checked on the writer itself.
    expect(toCsv(['a', 'b', 'n'], [['\tcmd', '\r=1', -3]])).toBe(`a,b,n\r\n"'\tcmd","'\r=1",-3\r\n`)
    // The export reads back: the escaped antigen imports as itself, so the count changes nothing.
    const reimport = await upload('CQ', stock.text)
    expect(reimport.status).toBe(201)
    expect(reimport.json.adjusted).toBe(0)
    expect((await call('GET', '/api/csv/stock', { as: null })).status).toBe(401)
  })
})
