import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { applyLinkMessage } from '../../../worker/link/inbox'
import { provinceSummary } from '../../../worker/services/province-summary'
import { receiveLot, seedBase, uid } from '../fixtures'

beforeAll(() => seedBase())

const notice = (over: Partial<{ id: string; kind: string; body: unknown }> = {}) => ({
  id: uid('lnk_'),
  from: 'Chongqing',
  to: 'Sichuan',
  kind: 'province.notice',
  body: { text: '万州急需O型RhD阴性红细胞', byName: '重庆协调员' },
  at: new Date().toISOString(),
  ...over,
})

const inbox = (id: string) => env.DB.prepare('SELECT status, error FROM link_inbox WHERE id = ?1').bind(id).first<{ status: string; error: string | null }>()
const notices = (id: string) => env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'notice' AND entity_id = ?1").bind(id).first<number>('n')

describe('applyLinkMessage', () => {
  it('applies a notice once: the second delivery answers replay and writes nothing', async () => {
    const m = notice()
    expect(await applyLinkMessage(env.DB, m)).toEqual({ outcome: 'applied' })
    expect(await applyLinkMessage(env.DB, m)).toEqual({ outcome: 'replay' })
    expect(await inbox(m.id)).toEqual({ status: 'applied', error: null })
    expect(await notices(m.id)).toBe(1)
  })

  it('keeps a body failing its schema as rejected, with the field, and applies nothing', async () => {
    const m = notice({ body: { text: '', byName: 'x' } })
    const out = await applyLinkMessage(env.DB, m)
    expect(out.outcome).toBe('rejected')
    expect(out).toMatchObject({ error: expect.stringContaining('text') })
    expect(await inbox(m.id)).toMatchObject({ status: 'rejected', error: expect.stringContaining('text') })
    expect(await notices(m.id)).toBe(0)
    // a rejected message delivered again is a replay, not a second row
    expect(await applyLinkMessage(env.DB, m)).toEqual({ outcome: 'replay' })
  })

  it('keeps an unknown kind as rejected', async () => {
    const m = notice({ kind: 'martian.greeting' })
    expect(await applyLinkMessage(env.DB, m)).toEqual({ outcome: 'rejected', error: 'unknown kind martian.greeting' })
    expect(await inbox(m.id)).toEqual({ status: 'rejected', error: 'unknown kind martian.greeting' })
  })
})

describe('provinceSummary', () => {
  it("gives one province's stations with levels and its stock totals, no lots", async () => {
    await receiveLot('CD', { component: 'RBC', abo: 'O', rhd: '-', qty: 7 })
    await receiveLot('CQ', { component: 'RBC', abo: 'O', rhd: '-', qty: 5 })
    const before = await provinceSummary(env.DB, 'Sichuan')
    expect(before.province).toBe('Sichuan')
    expect(before.stations.map((s) => s.id).sort()).toEqual(['CD', 'NC', 'YB'])
    const oneg = before.groups.find((g) => g.component === 'RBC' && g.abo === 'O' && g.rhd === '-')
    expect(oneg?.onHand).toBeGreaterThanOrEqual(7)
    await receiveLot('YB', { component: 'RBC', abo: 'O', rhd: '-', qty: 3 })
    const after = await provinceSummary(env.DB, 'Sichuan')
    expect(after.groups.find((g) => g.component === 'RBC' && g.abo === 'O' && g.rhd === '-')?.onHand).toBe(oneg!.onHand + 3)
    expect(after.components.find((c) => c.component === 'RBC')).toMatchObject({ unitZh: expect.any(String), onHand: expect.any(Number) })
    expect(JSON.stringify(after)).not.toMatch(/lot|donor|token/i)
  })
})
