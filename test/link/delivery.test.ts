// Exactly once across two databases (issue 24): Chongqing sends ten notices to Sichuan while Sichuan's worker
// is killed (SIGKILL, wrangler and workerd together) in the middle; Sichuan restarts on the same persisted state,
// and the courier's durable alarm delivers what is left (Chongqing, the sender, is killed and restarted as well, so
// the alarm alone resumes delivery). Two real `wrangler dev --env …` over real local D1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEV_LINK_SECRET } from '../../scripts/provinces'
import { PROVINCE_USERS } from '../../seed/provinces'
import { signLink } from '../../worker/link/signature'
import { startProvinces, type ProvinceServer } from '../web/server'

let sichuan: ProvinceServer
let chongqing: ProvinceServer
let stop: () => Promise<void> = async () => {}

const token = (p: ProvinceServer, role: 'coordinator' | 'admin') => PROVINCE_USERS[p.province].find((u) => u.role === role)!.token
async function api(p: ProvinceServer, role: 'coordinator' | 'admin', path: string, body?: unknown) {
  const res = await fetch(`${p.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token(p, role)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as any }
}
type Msg = { direction: 'in' | 'out'; id: string; kind: string; status: string; attempts: number | null; error: string | null }
const messages = async (p: ProvinceServer) => (await api(p, 'admin', '/api/link/messages?limit=500')).json.messages as Msg[]

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms = 120_000): Promise<T> {
  const end = Date.now() + ms
  let v = await f()
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 2000)}`)
    await new Promise((r) => setTimeout(r, 500))
    v = await f()
  }
  return v
}

beforeAll(async () => {
  ;({ sichuan, chongqing, stop } = await startProvinces())
})
afterAll(() => stop())

describe('two provinces, one link', () => {
  it('runs each province as its own system', async () => {
    expect((await api(sichuan, 'coordinator', '/api/me')).json).toMatchObject({ role: 'coordinator', province: 'Sichuan' })
    expect((await api(chongqing, 'coordinator', '/api/me')).json).toMatchObject({ role: 'coordinator', province: 'Chongqing' })
    const view = (await api(chongqing, 'coordinator', '/api/provinces')).json
    expect(view.own.stations.map((s: { id: string }) => s.id)).toEqual(['CQ', 'WZ'])
    expect(view.peers[0]).toMatchObject({ province: 'Sichuan', reachable: true, unreachableSince: null })
    expect(view.peers[0].summary.stations.map((s: { id: string }) => s.id)).toContain('CD')
    expect(view.peers[0].summary.stations.map((s: { id: string }) => s.id)).not.toContain('CQ')
  })

  it('applies each of ten notices exactly once although the receiver is killed in the middle', async () => {
    const ids: string[] = []
    const sendNotice = async (i: number) => {
      const r = await api(chongqing, 'coordinator', '/api/provinces/Sichuan/notices', { text: `重庆通知 ${i}：万州需O型RhD阴性红细胞`, urgent: i % 2 === 0 })
      expect(r.status).toBe(202)
      ids.push(r.json.id)
    }
    for (let i = 1; i <= 5; i++) await sendNotice(i)
    sichuan.kill() // SIGKILL while the courier is delivering those five
    for (let i = 6; i <= 10; i++) await sendNotice(i)

    // the sender keeps what it could not deliver, with why, and sees the peer unreachable
    const stuck = await until(
      'a failed attempt recorded',
      () => messages(chongqing),
      (m) => m.some((x) => ids.includes(x.id) && x.status === 'pending' && (x.attempts ?? 0) > 0),
    )
    expect(stuck.filter((x) => ids.includes(x.id) && x.status === 'pending').length).toBeGreaterThanOrEqual(5)
    const down = (await api(chongqing, 'coordinator', '/api/provinces')).json.peers[0]
    expect(down).toMatchObject({ province: 'Sichuan', reachable: false, unreachableSince: expect.any(String) })

    // the sender is killed too and restarts: its courier's alarm is durable, so delivery resumes with no new write
    // to poke it (nothing below writes on Chongqing's side; reads do not poke)
    await chongqing.restart()
    await sichuan.restart()
    const out = await until(
      'all ten delivered',
      () => messages(chongqing),
      (m) => ids.every((id) => m.find((x) => x.id === id)?.status === 'applied' || m.find((x) => x.id === id)?.status === 'replay'),
    )
    expect(out.filter((x) => ids.includes(x.id))).toHaveLength(10)

    const inbox = (await messages(sichuan)).filter((x) => x.direction === 'in' && ids.includes(x.id))
    expect(inbox).toHaveLength(10)
    expect(inbox.every((x) => x.status === 'applied')).toBe(true)
    const events = (await api(sichuan, 'coordinator', '/api/events?since=0&limit=500')).json.events as {
      entity: string
      entityId: string
      notice?: { text: string }
    }[]
    const alerts = events.filter((e) => e.entity === 'notice' && ids.includes(e.entityId))
    expect(alerts).toHaveLength(10)
    expect(new Set(alerts.map((a) => a.entityId)).size).toBe(10)
    expect(alerts.map((a) => a.notice?.text).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `重庆通知 ${i + 1}：万州需O型RhD阴性红细胞`).sort())

    const up = (await api(chongqing, 'coordinator', '/api/provinces')).json.peers[0]
    expect(up).toMatchObject({ reachable: true, unreachableSince: null })

    // a replayed message answers replay and applies nothing; a forged one is refused
    const body = JSON.stringify({
      id: ids[0],
      from: 'Chongqing',
      to: 'Sichuan',
      kind: 'province.notice',
      body: { text: 'again', byName: 'x' },
      at: new Date().toISOString(),
    })
    const replay = await fetch(`${sichuan.url}/api/link/inbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await signLink(DEV_LINK_SECRET, 'Chongqing', body)) },
      body,
    })
    expect([replay.status, await replay.json()]).toEqual([200, { outcome: 'replay' }])
    const forgedBody = body.replace(ids[0], 'lnk_forged00000000')
    const forged = await fetch(`${sichuan.url}/api/link/inbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await signLink('not-the-secret', 'Chongqing', forgedBody)) },
      body: forgedBody,
    })
    expect(forged.status).toBe(401)
    const after = (await messages(sichuan)).filter((x) => x.direction === 'in')
    expect(after.filter((x) => ids.includes(x.id))).toHaveLength(10)
    expect(after.some((x) => x.id === 'lnk_forged00000000')).toBe(false)
    const events2 = (await api(sichuan, 'coordinator', '/api/events?since=0&limit=500')).json.events as { entity: string; entityId: string }[]
    expect(events2.filter((e) => e.entity === 'notice' && ids.includes(e.entityId))).toHaveLength(10)
  })
})

describe('a message the receiver cannot take', () => {
  it('is kept as rejected on the receiving side with the reason, marked rejected on the sending side, and never retried', async () => {
    // a kind Sichuan's system does not know (say, a newer Chongqing release's), written as a sender's batch would
    const id = `lnk_${Date.now().toString(16).padStart(16, '0').slice(-16)}`
    chongqing.sql(
      `INSERT INTO link_outbox (id, to_province, kind, body, created_at) VALUES ('${id}', 'Sichuan', 'aid.request.v9', '{"qty":20}', '${new Date().toISOString()}')`,
    )
    // any write pokes the courier
    expect((await api(chongqing, 'coordinator', '/api/provinces/Sichuan/notices', { text: '测试' })).status).toBe(202)
    const out = await until(
      'the rejection acknowledged',
      () => messages(chongqing),
      (m) => m.find((x) => x.id === id)?.status === 'rejected',
    )
    expect(out[0]).toMatchObject({ id, direction: 'out', status: 'rejected', error: 'unknown kind aid.request.v9', attempts: 1 })
    const inbox = await messages(sichuan)
    expect(inbox[0]).toMatchObject({ id, direction: 'in', status: 'rejected', error: 'unknown kind aid.request.v9' })
  })
})
