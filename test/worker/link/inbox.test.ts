// The link's routes in province mode: the test's env is overridden to play Sichuan (PROVINCE, LINK_PEERS,
// LINK_SECRET), and the requests are what the Chongqing courier sends, signed for real (worker/link/signature.ts).
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { app } from '../../../worker/index'
import { signLink } from '../../../worker/link/signature'
import { checkResponse } from '../contract'
import { seedBase, TOKENS, uid } from '../fixtures'

const SECRET = 'test-link-secret'
// nothing listens on port 9: the peer is down (a real refused connection)
const SICHUAN = { ...env, PROVINCE: 'Sichuan', LINK_PEERS: JSON.stringify({ Chongqing: 'http://127.0.0.1:9' }), LINK_SECRET: SECRET } as unknown as Env

beforeAll(() => seedBase())
// writes here poke Chongqing's courier (worker/middleware/link-poke.ts): leave no alarm to fire after the file ends
afterAll(() => runInDurableObject(env.LINK_COURIER.getByName('Chongqing'), (_o, s) => s.storage.deleteAlarm()))

async function send(method: string, path: string, o: { body?: string; headers?: Record<string, string>; as?: keyof typeof TOKENS } = {}) {
  const headers: Record<string, string> = { ...o.headers }
  if (o.body !== undefined) headers['content-type'] = 'application/json'
  if (o.as) headers.authorization = `Bearer ${TOKENS[o.as]}`
  const ctx = createExecutionContext()
  const res = await app.fetch(new Request(`http://sichuan${path}`, { method, headers, body: o.body }), SICHUAN, ctx)
  await waitOnExecutionContext(ctx)
  const text = await res.text()
  const json = text ? JSON.parse(text) : undefined
  await checkResponse(method, path, res.status, res.headers.get('content-type'), json)
  return { status: res.status, json }
}

const message = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: uid('lnk_'),
    from: 'Chongqing',
    to: 'Sichuan',
    kind: 'province.notice',
    body: { text: '万州急需O型RhD阴性红细胞 20 U', byName: '重庆协调员' },
    at: new Date().toISOString(),
    ...over,
  })
const deliver = async (body: string, o: { from?: string; secret?: string; now?: number; tamper?: boolean } = {}) => {
  const headers = await signLink(o.secret ?? SECRET, o.from ?? 'Chongqing', body, o.now)
  if (o.tamper) headers['x-link-signature'] = headers['x-link-signature'].replace(/^./, (c) => (c === '0' ? '1' : '0'))
  return send('POST', '/api/link/inbox', { body, headers })
}
const inboxRows = (id: string) => env.DB.prepare('SELECT COUNT(*) AS n FROM link_inbox WHERE id = ?1').bind(id).first<number>('n')
const noticeRows = (id: string) => env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'notice' AND entity_id = ?1").bind(id).first<number>('n')

describe('POST /api/link/inbox', () => {
  it('applies a signed notice once; the same id again answers replay and applies nothing', async () => {
    const body = message()
    const id = JSON.parse(body).id
    expect(await deliver(body)).toEqual({ status: 200, json: { outcome: 'applied' } })
    expect(await deliver(body)).toEqual({ status: 200, json: { outcome: 'replay' } })
    expect([await inboxRows(id), await noticeRows(id)]).toEqual([1, 1])
    // and the receiving coordinator sees it as an alert in the events feed
    const ev = await send('GET', '/api/events?since=0&limit=500', { as: 'coordinator' })
    const alert = ev.json.events.find((e: { entityId: string }) => e.entityId === id)
    expect(alert).toMatchObject({ entity: 'notice', action: 'notice.receive', notice: { fromProvince: 'Chongqing', text: '万州急需O型RhD阴性红细胞 20 U' } })
  })

  it('refuses with 401, writing nothing: a forged signature, another key, an unknown sender, a stale or future timestamp, no headers', async () => {
    const cases: [string, string, Parameters<typeof deliver>[1]][] = [
      ['forged', message(), { tamper: true }],
      ['wrong key', message(), { secret: 'not-the-secret' }],
      ['unknown sender', message({ from: 'Hubei' }), { from: 'Hubei' }],
      ['itself', message({ from: 'Sichuan' }), { from: 'Sichuan' }],
      ['stale', message(), { now: Date.now() - 6 * 60_000 }],
      ['future', message(), { now: Date.now() + 6 * 60_000 }],
    ]
    for (const [what, body, o] of cases) {
      const res = await deliver(body, o)
      expect([what, res.status, res.json.error.code]).toEqual([what, 401, 'link_refused'])
      expect(await inboxRows(JSON.parse(body).id), what).toBe(0)
    }
    const bare = message()
    expect((await send('POST', '/api/link/inbox', { body: bare })).status).toBe(401)
    // signed by Chongqing but claiming to be from elsewhere
    const claim = message({ from: 'Hubei' })
    expect((await deliver(claim)).status).toBe(401)
    expect(await inboxRows(JSON.parse(claim).id)).toBe(0)
  })

  it('keeps a body its kind refuses as rejected (200, with the reason) and shows it to admins, rejected first', async () => {
    const body = message({ body: { text: '', byName: 'x' } })
    const id = JSON.parse(body).id
    const res = await deliver(body)
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ outcome: 'rejected', error: expect.stringContaining('text') })
    expect([await inboxRows(id), await noticeRows(id)]).toEqual([1, 0])
    expect(await deliver(body)).toEqual({ status: 200, json: { outcome: 'replay' } })
    const list = await send('GET', '/api/link/messages', { as: 'admin' })
    expect(list.status).toBe(200)
    expect(list.json.messages[0]).toMatchObject({ status: 'rejected' })
    expect(list.json.messages.find((m: { id: string }) => m.id === id)).toMatchObject({ direction: 'in', province: 'Chongqing', status: 'rejected' })
    expect((await send('GET', '/api/link/messages', { as: 'coordinator' })).status).toBe(403)
  })

  it('keeps an unknown kind, and a message addressed to another province, as rejected', async () => {
    const odd = message({ kind: 'weather.report' })
    expect((await deliver(odd)).json).toEqual({ outcome: 'rejected', error: 'unknown kind weather.report' })
    expect(await inboxRows(JSON.parse(odd).id)).toBe(1)
    const elsewhere = message({ to: 'Hubei' })
    expect((await deliver(elsewhere)).json).toMatchObject({ outcome: 'rejected' })
    expect(await noticeRows(JSON.parse(elsewhere).id)).toBe(0)
  })

  it('answers 400 naming the field for a signed body that is no message, writing nothing', async () => {
    const res = await deliver(JSON.stringify({ from: 'Chongqing', to: 'Sichuan', kind: 'province.notice', body: {}, at: 'x' }))
    expect([res.status, res.json.error.field]).toEqual([400, 'id'])
  })
})

describe('province mode', () => {
  it("refuses a coordinator writing to another province's station (403) and says the province in /api/me", async () => {
    expect((await send('GET', '/api/me', { as: 'coordinator' })).json).toMatchObject({ role: 'coordinator', province: 'Sichuan' })
    const lot = {
      kind: 'receipt',
      lotId: uid('L'),
      component: 'RBC',
      abo: 'O',
      rhd: '+',
      antigens: [],
      qty: 2,
      collectedAt: new Date(Date.now() - 86_400_000).toISOString(),
      expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    }
    const cq = await send('POST', '/api/movements', {
      as: 'coordinator',
      body: JSON.stringify({ ...lot, siteId: 'CQ' }),
      headers: { 'idempotency-key': uid('k') },
    })
    expect([cq.status, cq.json.error.field]).toEqual([403, 'siteId'])
    const cd = await send('POST', '/api/movements', {
      as: 'coordinator',
      body: JSON.stringify({ ...lot, lotId: uid('L'), siteId: 'CD' }),
      headers: { 'idempotency-key': uid('k') },
    })
    expect(cd.status).toBe(201)
  })

  it("refuses a site of another province (400 naming province): it belongs in that province's own system", async () => {
    const site = {
      id: uid('S').slice(0, 12),
      nameZh: '万州区中心血站',
      nameEn: 'Wanzhou Central Blood Station',
      kind: 'station',
      province: 'Chongqing',
      city: 'Wanzhou',
      lat: 30.81,
      lng: 108.41,
    }
    const res = await send('POST', '/api/sites', { as: 'admin', body: JSON.stringify(site) })
    expect([res.status, res.json.error.field]).toEqual([400, 'province'])
    expect((await send('PATCH', '/api/sites/NC', { as: 'admin', body: JSON.stringify({ province: 'Chongqing' }) })).status).toBe(400)
    expect((await send('POST', '/api/sites', { as: 'admin', body: JSON.stringify({ ...site, province: 'Sichuan' }) })).status).toBe(201)
  })

  it('sends a notice through the outbox, and shows a peer that does not answer as unreachable since its first failure', async () => {
    const sent = await send('POST', '/api/provinces/Chongqing/notices', { as: 'coordinator', body: JSON.stringify({ text: '成都可支援 O 型红细胞 10 U' }) })
    expect(sent.status).toBe(202)
    const row = await env.DB.prepare('SELECT to_province AS t, kind, body FROM link_outbox WHERE id = ?1')
      .bind(sent.json.id)
      .first<{ t: string; kind: string; body: string }>()
    expect(row).toMatchObject({ t: 'Chongqing', kind: 'province.notice' })
    expect(JSON.parse(row!.body)).toMatchObject({ text: '成都可支援 O 型红细胞 10 U', byName: 'Test Coordinator' })
    expect((await send('POST', '/api/provinces/Hubei/notices', { as: 'coordinator', body: JSON.stringify({ text: 'x' }) })).status).toBe(404)
    expect((await send('POST', '/api/provinces/Chongqing/notices', { as: 'director', body: JSON.stringify({ text: 'x' }) })).status).toBe(403)

    const first = await send('GET', '/api/provinces', { as: 'director' })
    expect(first.status).toBe(200)
    expect(first.json.own.province).toBe('Sichuan')
    expect(first.json.peers).toHaveLength(1)
    expect(first.json.peers[0]).toMatchObject({ province: 'Chongqing', reachable: false, summary: null, unreachableSince: expect.any(String) })
    const again = await send('GET', '/api/provinces', { as: 'director' })
    expect(again.json.peers[0].unreachableSince).toBe(first.json.peers[0].unreachableSince)
  })

  it('serves its summary to a signed peer only', async () => {
    const ok = await send('GET', '/api/link/summary', { headers: await signLink(SECRET, 'Chongqing', '') })
    expect(ok.status).toBe(200)
    expect(ok.json.province).toBe('Sichuan')
    expect(ok.json.stations.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['CD', 'NC', 'YB']))
    expect(ok.json.stations.map((s: { id: string }) => s.id)).not.toContain('CQ')
    expect((await send('GET', '/api/link/summary', { headers: await signLink('wrong', 'Chongqing', '') })).status).toBe(401)
  })
})
