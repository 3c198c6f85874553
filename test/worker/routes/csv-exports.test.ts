// Issue 21: every CSV export goes through one writer (worker/lib/csv-writer.ts) that escapes text cells a
// spreadsheet would read as a formula (= + - @, tab, CR) and strips control and bidi characters, while
// numbers stay numbers. One test per export, against the real endpoints and D1.
import { env } from 'cloudflare:workers'
import Papa from 'papaparse'
import { beforeAll, describe, expect, it } from 'vitest'
import { toCsv } from '../../../worker/lib/csv-writer'
import { call, receiveLot, seedBase, uid } from '../fixtures'
import { key, planOne } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString()
/** The cells of a CSV text, BOM dropped. */
const cells = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters no export may carry
const BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/

describe('the CSV writer', () => {
  it('escapes = + - @ tab and CR at the start of a text cell, strips control and bidi characters, leaves numbers alone', () => {
    const out = toCsv(
      ['t', 'n'],
      [
        ['=1+1', -2],
        ['+SUM(A1)', 3.5],
        ['-1+1', 0],
        ['@cmd', -0.25],
        ['\tx', 1],
        ['\r=x', 1],
        ['+', 1],
        ['-', 1],
        ['a\u0000b\u202Ec', 1],
      ],
    )
    expect(cells(out).slice(1)).toEqual([
      ["'=1+1", '-2'],
      ["'+SUM(A1)", '3.5'],
      ["'-1+1", '0'],
      ["'@cmd", '-0.25'],
      ["'\tx", '1'],
      ["'\r=x", '1'],
      ['+', '1'],
      ['-', '1'],
      ['abc', '1'],
    ])
    expect(out.split('\r\n')[1]).toBe(`"'=1+1",-2`)
  })
})

describe('each export', () => {
  it('deferrals: a note =HYPERLINK(…) is escaped', async () => {
    const code = `CQ-${uid('D')}`
    expect((await call('POST', '/api/donors', { body: { code, siteId: 'CQ', abo: 'O', rhd: '+', antigens: 'Fy(a-)' } })).status).toBe(201)
    const note = '=HYPERLINK("http://evil.example","x")'
    const def = await call('POST', '/api/deferrals', { body: { donorCode: code, siteId: 'CQ', reason: 'travel', from: ago(1), until: null, note } })
    expect(def.status, def.text).toBe(201)
    const out = await call('GET', '/api/deferrals/csv?site=CQ')
    expect(out.status).toBe(200)
    const row = cells(out.text).find((r) => r[0] === code)!
    expect(row[5]).toBe(`'${note}`)
    expect(out.text).not.toMatch(/(^|,)=HYPERLINK/m)
  })

  it('donors: antigens -1+1 are escaped', async () => {
    const code = `CQ-${uid('D')}`
    const res = await call('POST', '/api/donors', { body: { code, siteId: 'CQ', abo: 'O', rhd: '+', antigens: '-1+1' } })
    expect(res.status, res.text).toBe(201)
    const out = await call('GET', '/api/donors/csv?site=CQ')
    const row = cells(out.text).find((r) => r[0] === code)!
    expect(row[3]).toBe("'-1+1")
    expect(row[2]).toBe('+') // a lone sign (rhd) is no formula and reads back as it is
  })

  it('road times: notes starting with + or - are escaped too, hours stay numbers', async () => {
    await env.DB.prepare('DELETE FROM road_time').run()
    expect((await call('PUT', '/api/road-times', { as: 'admin', body: { from: 'CD', to: 'YB', hours: 3, note: '+cmd|calc', bothWays: false } })).status).toBe(
      200,
    )
    expect((await call('PUT', '/api/road-times', { as: 'admin', body: { from: 'CD', to: 'NC', hours: 2.5, note: '-2+3', bothWays: false } })).status).toBe(200)
    const out = await call('GET', '/api/road-times/csv', { as: 'planner' })
    expect(out.text).toContain(`CD,YB,3,"'+cmd|calc"\r\n`)
    expect(out.text).toContain(`CD,NC,2.5,"'-2+3"\r\n`)
    // and an escaped export imports back to the same notes
    const back = await call('POST', '/api/road-times/csv', { as: 'admin', raw: out.text })
    expect(back.status, back.text).toBe(200)
    const list = await call('GET', '/api/road-times?site=CD', { as: 'planner' })
    expect(list.json.roadTimes.map((r: { note: string }) => r.note).sort()).toEqual(['+cmd|calc', '-2+3'])
  })

  it('movements: a reason with a NUL and a right-to-left override comes out without them; a negative delta stays a number', async () => {
    const lot = await receiveLot('CD', { qty: 5 })
    const reason = `bad\u0000name\u202Etxt.exe`
    const res = await call('POST', '/api/movements', {
      headers: { 'idempotency-key': uid('mv-') },
      body: { siteId: 'CD', kind: 'discard', lotId: lot, qty: 2, reason },
    })
    expect(res.status, res.text).toBe(201)
    const out = await call('GET', '/api/csv/movements?site=CD')
    expect(out.text).not.toMatch(BAD)
    const row = cells(out.text).find((r) => r[3] === lot && r[4] === 'discard')!
    expect(row[6]).toBe('badnametxt.exe')
    expect(out.text).toContain(',discard,-2,')
  })

  it('stock: lots with their quantities as numbers and antigens escaped where they start like a formula', async () => {
    const lot = await receiveLot('NC', { qty: 7, antigens: ['-1+1'] })
    const out = await call('GET', '/api/csv/stock?site=NC')
    expect(out.status).toBe(200)
    const row = cells(out.text).find((r) => r[1] === lot)!
    expect(row[5]).toBe('7')
    expect(row[8]).toBe("'-1+1")
  })

  it('dispatch sheet: a carrier =cmd with a bidi override is escaped and cleaned; qty and temperature stay numbers', async () => {
    const { plan, transfer } = await planOne({ reset: false, from: 'CD', to: 'YB' })
    expect((await call('POST', `/api/transfers/${transfer.id}/approve`)).status).toBe(200)
    expect([200, 201]).toContain((await call('POST', `/api/plans/${plan.id}/commit`, { headers: { 'idempotency-key': key() } })).status)
    const sent = await call('POST', `/api/transfers/${transfer.id}/dispatch`, { body: { temperatureC: 4.5, carrier: '=cmd|\u202E/c calc' } })
    expect(sent.status, sent.text).toBe(200)
    const out = await call('GET', `/api/csv/transfers?plan=${plan.id}`)
    expect(out.status).toBe(200)
    expect(out.text).not.toMatch(BAD)
    const [head, ...rows] = cells(out.text)
    const row = rows.find((r) => r[0] === transfer.id)!
    expect(row[head!.indexOf('carrier')]).toBe("'=cmd|/c calc")
    expect(row[head!.indexOf('dispatch_temperature_c')]).toBe('4.5')
    expect(out.text).toContain(`,${transfer.qty},`)
  })

  it('incident report: through the same writer (codes and numbers only), CRLF line ends', async () => {
    const inc = await call('POST', '/api/incidents', { body: { name: '=演练', lat: 30.6, lng: 104.1, casualties: { critical: 1, severe: 0, moderate: 0 } } })
    expect(inc.status, inc.text).toBe(201)
    const out = await call('GET', `/api/incidents/${inc.json.id}/report.csv`)
    expect(out.status).toBe(200)
    expect(out.text.replace(/^\uFEFF/, '').startsWith('section,')).toBe(true) // (the BOM, if any, is eaten by text())
    expect(out.text.endsWith('\r\n')).toBe(true)
    const rows = cells(out.text)
    expect(rows.length).toBeGreaterThan(1)
    expect(rows.slice(1).every((r) => !/^[=+@]/.test(r.join('')))).toBe(true)
  })
})
