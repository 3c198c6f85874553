// The courier's failure path in the Workers runtime (its success path needs a second province: test/link/):
// a message that cannot be delivered stays pending with attempts and the reason, and the alarm backs off.
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { deliverPending, type LinkCourier } from '../../../worker/link/courier'
import { outboxStmt } from '../../../worker/link/outbox'
import { seedBase, uid } from '../fixtures'

beforeAll(() => seedBase())

const row = (id: string) =>
  env.DB.prepare('SELECT attempts, last_error AS lastError, delivered_at AS deliveredAt FROM link_outbox WHERE id = ?1')
    .bind(id)
    .first<{ attempts: number; lastError: string | null; deliveredAt: string | null }>()

describe('LinkCourier', () => {
  it('keeps a message it cannot deliver pending, with attempts and why, and marks the peer unreachable', async () => {
    const { id, stmt } = outboxStmt(env.DB, { to: 'Hubei', kind: 'province.notice', body: { text: 'x', byName: 'y' }, at: new Date().toISOString() })
    await stmt.run()
    // nothing listens on port 9: a real refused connection
    const sichuan = { ...env, PROVINCE: 'Sichuan', LINK_PEERS: JSON.stringify({ Hubei: 'http://127.0.0.1:9' }), LINK_SECRET: 's' } as unknown as Env
    expect(await deliverPending(sichuan, 'Hubei')).toBe('failed')
    expect(await row(id)).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^unreachable: /), deliveredAt: null })
    const peer = await env.DB.prepare('SELECT unreachable_since AS since, last_error AS error FROM link_peer WHERE province = ?1').bind('Hubei').first()
    expect(peer).toMatchObject({ since: expect.any(String), error: expect.stringMatching(/^unreachable: /) })
  })

  it('is poked into an alarm that retries with backoff while delivery fails', async () => {
    const peer = uid('Peer')
    const { id, stmt } = outboxStmt(env.DB, { to: peer, kind: 'province.notice', body: { text: 'x', byName: 'y' }, at: new Date().toISOString() })
    await stmt.run()
    const stub = (env.LINK_COURIER as unknown as DurableObjectNamespace<LinkCourier>).getByName(peer)
    await stub.poke(peer)
    // the test's worker has no PROVINCE: every attempt fails, saying so
    await expect.poll(async () => (await row(id))?.attempts ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
    expect(await row(id)).toMatchObject({ lastError: 'no PROVINCE configured', deliveredAt: null })
    const state = await runInDurableObject(stub, async (_o, s) => ({ failures: await s.storage.get<number>('failures'), alarm: await s.storage.getAlarm() }))
    expect(state.failures).toBeGreaterThanOrEqual(1)
    // re-armed 1 s → 2 s → … → at most 30 s ahead
    expect(state.alarm).not.toBeNull()
    expect(state.alarm! - Date.now()).toBeLessThanOrEqual(30_000)
    // no alarm left to fire after the file's workers are gone
    await runInDurableObject(stub, (_o, s) => s.storage.deleteAlarm())
  })
})
