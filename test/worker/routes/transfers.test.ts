import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase } from '../fixtures'
import { expectQtyStmt } from '../../../worker/db/transfers/proposal'
import { addLot, addRequest, auditOf, key, ledgerRows, ledgerSum, lotQty, planOne, request, resetWorld } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const post = (path: string, opts: Parameters<typeof call>[2] = {}) => call('POST', path, opts)
/** A red-cell box in its transport range. */
const BOX = { temperatureC: 4 }
const approve = (id: string) => post(`/api/transfers/${id}/approve`)
const commit = (id: string, k = key(), as: 'coordinator' | 'admin' = 'coordinator') =>
  post(`/api/transfers/${id}/commit`, { as, headers: { 'idempotency-key': k } })

/** A transfer taken to `committed` (one lot at CD, one request at YB). */
async function committed(o: { lotQty?: number; need?: number } = {}) {
  const p = await planOne(o)
  expect((await approve(p.transfer.id)).status).toBe(200)
  const c = await commit(p.transfer.id)
  expect(c.status, JSON.stringify(c.json)).toBe(200)
  return p
}

describe('review: approve, reject, change quantity', () => {
  it('approves, audited with who and when; approving twice is 409', async () => {
    const { transfer } = await planOne()
    const res = await approve(transfer.id)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ id: transfer.id, status: 'approved', reviewedBy: 'u-coord', reviewedAt: expect.any(String) })
    const audit = await auditOf('transfer', transfer.id)
    expect(audit).toEqual([{ actorId: 'u-coord', action: 'transfer.approve', detail: JSON.stringify({ qty: 6 }), at: res.json.reviewedAt }])
    const again = await approve(transfer.id)
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('invalid_transition')
  })

  it('rejects with a reason; a rejected transfer cannot be approved, committed, dispatched or received', async () => {
    const { transfer, lot, req } = await planOne()
    // a proposal under review covers nothing yet: the request stays open, with the units in review shown
    expect((await request(req))!.status).toBe('open')
    expect((await call('GET', `/api/requests/${req}`)).json).toMatchObject({ coverage: 'open', inReviewQty: 6, onTheWayQty: 0 })
    const noReason = await post(`/api/transfers/${transfer.id}/reject`, { body: {} })
    expect(noReason.status).toBe(400)
    expect(noReason.json.error.field).toBe('reason')
    const res = await post(`/api/transfers/${transfer.id}/reject`, { as: 'admin', body: { reason: 'road closed' } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ status: 'rejected', rejectReason: 'road closed', reviewedBy: 'u-admin' })
    const audit = await auditOf('transfer', transfer.id)
    expect(audit.map((a) => [a.action, a.actorId, JSON.parse(a.detail).reason])).toEqual([['transfer.reject', 'u-admin', 'road closed']])
    // nothing covers the request any more: it is open again
    expect((await request(req))!.status).toBe('open')
    expect(await auditOf('aid_request', req)).toEqual([])
    for (const r of [
      await approve(transfer.id),
      await commit(transfer.id),
      await post(`/api/transfers/${transfer.id}/dispatch`, { body: BOX }),
      await post(`/api/transfers/${transfer.id}/receive`, { headers: { 'idempotency-key': key() }, body: { receivedQty: 1, temperatureC: 4 } }),
    ]) {
      expect(r.status).toBe(409)
      expect(r.json.error.code).toBe('invalid_transition')
    }
    expect(await lotQty(lot)).toBe(10)
    // the status guard trigger refuses it even when written directly
    await expect(env.DB.prepare(`UPDATE transfer SET status = 'dispatched' WHERE id = ?1`).bind(transfer.id).run()).rejects.toThrow(
      /illegal transfer status change/,
    )
  })

  it('lowers the quantity taking the latest-expiring lots off first, and may raise it back to the proposed qty', async () => {
    await resetWorld()
    const near = await addLot({ site: 'CD', qty: 3, expiresInDays: 6 })
    const far = await addLot({ site: 'CD', qty: 5, expiresInDays: 30 })
    const req = await addRequest({ site: 'YB', qty: 8 })
    const plan = (await post('/api/plans', { body: { requestIds: [req] } })).json
    const t = plan.transfers[0]
    expect(t.qty).toBe(8)
    const low = await call('PATCH', `/api/transfers/${t.id}`, { body: { qty: 4 } })
    expect(low.status, JSON.stringify(low.json)).toBe(200)
    expect(low.json).toMatchObject({ qty: 4, proposedQty: 8, status: 'proposed' })
    expect(low.json.lots.map((l: any) => [l.lotId, l.qty])).toEqual([
      [near, 3],
      [far, 1],
    ])
    expect(low.json.requests.map((r: any) => [r.requestId, r.qty])).toEqual([[req, 4]])
    const audit = await auditOf('transfer', t.id)
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([['transfer.edit', 'u-coord']])
    expect(JSON.parse(audit[0].detail).qty).toEqual({ from: 8, to: 4 })
    const up = await call('PATCH', `/api/transfers/${t.id}`, { as: 'admin', body: { qty: 8 } })
    expect(up.json.lots.map((l: any) => [l.lotId, l.qty])).toEqual([
      [near, 3],
      [far, 5],
    ])
    for (const bad of [0, 9, 2.5]) {
      const r = await call('PATCH', `/api/transfers/${t.id}`, { body: { qty: bad } })
      expect(r.status, String(bad)).toBe(400)
      expect(r.json.error.field).toBe('qty')
    }
    expect((await call('PATCH', `/api/transfers/${t.id}`, { as: 'planner', body: { qty: 2 } })).status).toBe(403)
    // a lowered, approved transfer commits only its remaining lines
    await call('PATCH', `/api/transfers/${t.id}`, { body: { qty: 2 } })
    await approve(t.id)
    expect((await commit(t.id)).status).toBe(200)
    expect(await lotQty(near)).toBe(1)
    expect(await lotQty(far)).toBe(5)
    const frozen = await call('PATCH', `/api/transfers/${t.id}`, { body: { qty: 1 } })
    expect(frozen.status).toBe(409)
    expect(frozen.json.error.code).toBe('invalid_transition')
  })

  it('409 requests_closed: a transfer whose requests were all cancelled cannot be approved or committed', async () => {
    const { transfer, req } = await planOne()
    const { transfer: t2, req: req2 } = await planOne({ reset: false })
    await approve(t2.id)
    await env.DB.prepare(`UPDATE aid_request SET status = 'cancelled' WHERE id IN (?1, ?2)`).bind(req, req2).run()
    const a = await approve(transfer.id)
    expect(a.status).toBe(409)
    expect(a.json.error.code).toBe('requests_closed')
    const c = await commit(t2.id)
    expect(c.status).toBe(409)
    expect(c.json.error.code).toBe('requests_closed')
    expect(c.json.error.message).toContain(t2.id)
    expect((await post(`/api/transfers/${t2.id}/reject`, { body: { reason: 'request cancelled' } })).status).toBe(200)
  })

  it('an approval carrying the quantity shown is refused 409 qty_changed when the stored quantity differs; the same quantity approves', async () => {
    const { transfer, plan } = await planOne({ lotQty: 10, need: 6 })
    const wrong = await call('POST', `/api/transfers/${transfer.id}/approve`, { body: { qty: 5 } })
    expect(wrong.status).toBe(409)
    expect(wrong.json.error).toMatchObject({ code: 'qty_changed', field: 'qty', detail: { transferId: transfer.id, stored: 6, shown: 5 } })
    expect((await call('GET', `/api/transfers/${transfer.id}`)).json.status).toBe('proposed')
    // bulk: one differing quantity refuses the whole group
    const bulkWrong = await call('POST', `/api/plans/${plan.id}/approve`, { body: { toSite: 'YB', qtys: { [transfer.id]: 4 } } })
    expect(bulkWrong.status).toBe(409)
    expect(bulkWrong.json.error.code).toBe('qty_changed')
    expect((await call('GET', `/api/transfers/${transfer.id}`)).json.status).toBe('proposed')
    expect((await call('PATCH', `/api/transfers/${transfer.id}`, { body: { qty: 4 } })).status).toBe(200)
    const bulk = await call('POST', `/api/plans/${plan.id}/approve`, { body: { toSite: 'YB', qtys: { [transfer.id]: 4 } } })
    expect(bulk.status, JSON.stringify(bulk.json)).toBe(200)
    expect((await call('GET', `/api/transfers/${transfer.id}`)).json).toMatchObject({ status: 'approved', qty: 4 })
    const audit = await auditOf('transfer', transfer.id)
    expect(JSON.parse(audit.find((a: any) => a.action === 'transfer.approve')!.detail)).toMatchObject({ qty: 4, bulk: { toSite: 'YB' } })
  })

  it('the quantity guard fails inside the batch: a qty changed between the read and the write refuses the approval', async () => {
    const { transfer } = await planOne({ lotQty: 10, need: 6 })
    // the approval's batch (guard first) after another edit changed the quantity
    await env.DB.prepare('UPDATE transfer SET qty = 5 WHERE id = ?1').bind(transfer.id).run()
    await expect(
      env.DB.batch([expectQtyStmt(env.DB, transfer.id, 6), env.DB.prepare("UPDATE transfer SET status = 'approved' WHERE id = ?1").bind(transfer.id)]),
    ).rejects.toThrow(/NOT NULL constraint failed: transfer\.qty/)
    expect((await call('GET', `/api/transfers/${transfer.id}`)).json).toMatchObject({ status: 'proposed', qty: 5 })
  })

  it('403 for planner and director, 404 for an unknown transfer', async () => {
    const { transfer } = await planOne()
    expect((await post(`/api/transfers/${transfer.id}/approve`, { as: 'planner' })).status).toBe(403)
    expect((await post(`/api/transfers/${transfer.id}/approve`, { as: 'director' })).status).toBe(403)
    expect((await post(`/api/transfers/${transfer.id}/reject`, { as: 'directorYB', body: { reason: 'x' } })).status).toBe(403)
    expect((await post('/api/transfers/tr_nope/approve')).status).toBe(404)
    expect((await call('GET', '/api/transfers/tr_nope')).status).toBe(404)
  })
})

describe('POST /api/transfers/{id}/commit', () => {
  it('commits one approved transfer once; a retry with the same key answers the same', async () => {
    const { transfer, lot } = await planOne({ lotQty: 10, need: 6 })
    const notApproved = await commit(transfer.id)
    expect(notApproved.status).toBe(409)
    expect(notApproved.json.error.code).toBe('invalid_transition')
    await approve(transfer.id)
    const k = key()
    const first = await commit(transfer.id, k)
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({ planId: transfer.planId, committed: [transfer.id] })
    const retry = await commit(transfer.id, k)
    expect(retry.status).toBe(200)
    expect(retry.json).toEqual(first.json)
    const twice = await commit(transfer.id, key(), 'admin')
    expect(twice.status).toBe(409)
    expect(await lotQty(lot)).toBe(4)
    expect(await ledgerRows(lot, 'transfer_out')).toHaveLength(1)
  })
})

describe('dispatch, receipt and cancellation', () => {
  it('dispatches (source director) and receives in full (destination director): new lots, request fulfilled', async () => {
    const { transfer, lot, req } = await committed({ lotQty: 10, need: 6 })
    expect((await post(`/api/transfers/${transfer.id}/dispatch`, { as: 'directorYB', body: BOX })).status).toBe(403)
    expect((await post(`/api/transfers/${transfer.id}/dispatch`, { as: 'planner', body: BOX })).status).toBe(403)
    const early = await post(`/api/transfers/${transfer.id}/receive`, {
      as: 'directorYB',
      headers: { 'idempotency-key': key() },
      body: { receivedQty: 6, temperatureC: 4 },
    })
    expect(early.status).toBe(409)
    const d = await post(`/api/transfers/${transfer.id}/dispatch`, { as: 'director', body: BOX })
    expect(d.status).toBe(200)
    expect(d.json).toMatchObject({ status: 'dispatched', dispatchedAt: expect.any(String) })
    expect((await post(`/api/transfers/${transfer.id}/dispatch`, { body: BOX })).status).toBe(409)
    // the source director may not receive, nor may a planner
    expect(
      (
        await post(`/api/transfers/${transfer.id}/receive`, {
          as: 'director',
          headers: { 'idempotency-key': key() },
          body: { receivedQty: 6, temperatureC: 4 },
        })
      ).status,
    ).toBe(403)
    expect(
      (await post(`/api/transfers/${transfer.id}/receive`, { as: 'planner', headers: { 'idempotency-key': key() }, body: { receivedQty: 6, temperatureC: 4 } }))
        .status,
    ).toBe(403)
    const tooMany = await post(`/api/transfers/${transfer.id}/receive`, {
      as: 'directorYB',
      headers: { 'idempotency-key': key() },
      body: { receivedQty: 7, temperatureC: 4 },
    })
    expect(tooMany.status).toBe(400)
    expect(tooMany.json.error.field).toBe('receivedQty')
    const k = key()
    const r = await post(`/api/transfers/${transfer.id}/receive`, {
      as: 'directorYB',
      headers: { 'idempotency-key': k },
      body: { receivedQty: 6, temperatureC: 4 },
    })
    expect(r.status, JSON.stringify(r.json)).toBe(200)
    expect(r.json).toMatchObject({ status: 'received', receivedQty: 6, lostQty: 0, receivedAt: expect.any(String) })
    const newLots =
      await env.DB.prepare(`SELECT l.id, l.site_id AS siteId, l.component, l.abo, l.rhd, l.expires_at AS expiresAt, l.qty FROM movement m JOIN lot l ON l.id = m.lot_id
      WHERE m.transfer_id = ?1 AND m.kind = 'transfer_in'`)
        .bind(transfer.id)
        .all<any>()
    const src = await env.DB.prepare('SELECT expires_at AS expiresAt FROM lot WHERE id = ?1').bind(lot).first<any>()
    expect(newLots.results).toEqual([
      { id: expect.not.stringMatching(lot), siteId: 'YB', component: 'RBC', abo: 'O', rhd: '+', expiresAt: src.expiresAt, qty: 6 },
    ])
    expect(await ledgerSum(newLots.results[0].id)).toBe(6)
    expect(await request(req)).toEqual({ status: 'fulfilled', fulfilledQty: 6, qty: 6 })
    expect((await auditOf('aid_request', req)).map((a) => [a.action, a.actorId, JSON.parse(a.detail).to])).toEqual([
      ['request.status', 'u-coord', 'planned'],
      ['request.fulfil', 'u-dir-yb', 'fulfilled'],
    ])
    expect((await auditOf('transfer', transfer.id)).map((a) => [a.action, a.actorId])).toEqual([
      ['transfer.approve', 'u-coord'],
      ['transfer.commit', 'u-coord'],
      ['transfer.dispatch', 'u-dir-cd'],
      ['transfer.receive', 'u-dir-yb'],
    ])
    // retry with the same key: same answer, applied once
    const retry = await post(`/api/transfers/${transfer.id}/receive`, {
      as: 'directorYB',
      headers: { 'idempotency-key': k },
      body: { receivedQty: 6, temperatureC: 4 },
    })
    expect(retry.status).toBe(200)
    expect(retry.json).toEqual(r.json)
    expect(r.headers.get('idempotent-replayed')).toBeNull()
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    const again = await post(`/api/transfers/${transfer.id}/receive`, { headers: { 'idempotency-key': key() }, body: { receivedQty: 6, temperatureC: 4 } })
    expect(again.status).toBe(409)
    expect(
      await env.DB.prepare(`SELECT COUNT(*) AS n FROM movement WHERE transfer_id = ?1 AND kind = 'transfer_in'`).bind(transfer.id).first<number>('n'),
    ).toBe(1)
    expect((await call('GET', `/api/plans/${transfer.planId}`)).json.status).toBe('closed')
  })

  it('two concurrent receipts by different people: one applies, the other is 409', async () => {
    const { transfer, req } = await committed({ lotQty: 10, need: 6 })
    await post(`/api/transfers/${transfer.id}/dispatch`, { body: BOX })
    const [a, b] = await Promise.all([
      post(`/api/transfers/${transfer.id}/receive`, { as: 'directorYB', headers: { 'idempotency-key': key() }, body: { receivedQty: 6, temperatureC: 4 } }),
      post(`/api/transfers/${transfer.id}/receive`, { as: 'coordinator', headers: { 'idempotency-key': key() }, body: { receivedQty: 6, temperatureC: 4 } }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    expect((a.status === 409 ? a : b).json.error.code).toBe('invalid_transition')
    expect(
      await env.DB.prepare(`SELECT SUM(delta) AS s FROM movement WHERE transfer_id = ?1 AND kind = 'transfer_in'`).bind(transfer.id).first<number>('s'),
    ).toBe(6)
    expect(await request(req)).toEqual({ status: 'fulfilled', fulfilledQty: 6, qty: 6 })
  })

  it('concurrent retries of one receipt with the same key apply it once and answer the same', async () => {
    const { transfer } = await committed({ lotQty: 10, need: 6 })
    await post(`/api/transfers/${transfer.id}/dispatch`, { body: BOX })
    const k = key()
    const all = await Promise.all(
      [1, 2, 3].map(() =>
        post(`/api/transfers/${transfer.id}/receive`, { as: 'directorYB', headers: { 'idempotency-key': k }, body: { receivedQty: 5, temperatureC: 4 } }),
      ),
    )
    expect(all.map((r) => r.status)).toEqual([200, 200, 200])
    expect(all[1].json).toEqual(all[0].json)
    expect(all[0].json).toMatchObject({ status: 'received', receivedQty: 5, lostQty: 1 })
    expect(all.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(2) // all but the one that applied it
    expect(
      await env.DB.prepare(`SELECT SUM(delta) AS s FROM movement WHERE transfer_id = ?1 AND kind = 'transfer_in'`).bind(transfer.id).first<number>('s'),
    ).toBe(5)
    const other = await post(`/api/transfers/${transfer.id}/receive`, {
      as: 'directorYB',
      headers: { 'idempotency-key': k },
      body: { receivedQty: 6, temperatureC: 4 },
    })
    expect(other.status).toBe(409)
    expect(other.json.error).toMatchObject({ code: 'idempotency_key_reused', field: 'idempotency-key' })
  })

  it('a short receipt records the loss and leaves the request partly fulfilled', async () => {
    const { transfer, req } = await committed({ lotQty: 10, need: 6 })
    await post(`/api/transfers/${transfer.id}/dispatch`, { body: BOX })
    const r = await post(`/api/transfers/${transfer.id}/receive`, { headers: { 'idempotency-key': key() }, body: { receivedQty: 4, temperatureC: 4 } })
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ status: 'received', qty: 6, receivedQty: 4, lostQty: 2 })
    expect(await request(req)).toEqual({ status: 'partly_fulfilled', fulfilledQty: 4, qty: 6 })
    const into = await env.DB.prepare(`SELECT SUM(delta) AS s FROM movement WHERE transfer_id = ?1 AND kind = 'transfer_in'`)
      .bind(transfer.id)
      .first<number>('s')
    expect(into).toBe(4)
    // the 2 missing units can be planned again
    const next = await post('/api/plans', { body: { requestIds: [req] } })
    expect(next.json.instance.needs).toEqual([expect.objectContaining({ id: req, qty: 2 })])
  })

  it('cancels a committed transfer: units return to the same source lots, once; it can never be dispatched', async () => {
    const { transfer, lot, req } = await committed({ lotQty: 10, need: 6 })
    expect(await lotQty(lot)).toBe(4)
    expect((await post(`/api/transfers/${transfer.id}/cancel`, { as: 'director', body: {} })).status).toBe(403)
    const c = await post(`/api/transfers/${transfer.id}/cancel`, { body: { reason: 'patient stabilised' } })
    expect(c.status, JSON.stringify(c.json)).toBe(200)
    expect(c.json).toMatchObject({ status: 'cancelled', rejectReason: 'patient stabilised' })
    expect(await lotQty(lot)).toBe(10)
    expect(await ledgerRows(lot, 'transfer_in')).toEqual([
      { lotId: lot, siteId: 'CD', kind: 'transfer_in', delta: 6, transferId: transfer.id, actorId: 'u-coord' },
    ])
    expect(await ledgerSum(lot)).toBe(10)
    expect((await request(req))!.status).toBe('open')
    for (const r of [
      await post(`/api/transfers/${transfer.id}/cancel`, { as: 'admin', body: {} }),
      await post(`/api/transfers/${transfer.id}/dispatch`, { body: BOX }),
    ]) {
      expect(r.status).toBe(409)
      expect(r.json.error.code).toBe('invalid_transition')
    }
    expect(await lotQty(lot)).toBe(10)
    expect((await auditOf('transfer', transfer.id)).at(-1)).toMatchObject({ action: 'transfer.cancel', actorId: 'u-coord' })
  })

  it('cancelling a proposed transfer rejects it; a dispatched one cannot be cancelled', async () => {
    const { transfer } = await planOne()
    const c = await post(`/api/transfers/${transfer.id}/cancel`)
    expect(c.status).toBe(200)
    expect(c.json).toMatchObject({ status: 'rejected', rejectReason: 'cancelled' })
    const { transfer: t2 } = await committed()
    await post(`/api/transfers/${t2.id}/dispatch`, { body: BOX })
    const late = await post(`/api/transfers/${t2.id}/cancel`, { body: {} })
    expect(late.status).toBe(409)
    expect(late.json.error.code).toBe('invalid_transition')
  })
})

describe('GET /api/transfers', () => {
  it('filters by status and site', async () => {
    const { transfer } = await planOne({ from: 'NC', to: 'CQ' })
    const byStatus = await call('GET', '/api/transfers?status=proposed&site=CQ', { as: 'planner' })
    expect(byStatus.status).toBe(200)
    expect(byStatus.json.transfers.map((t: any) => t.id)).toContain(transfer.id)
    expect(byStatus.json.transfers.every((t: any) => t.status === 'proposed' && (t.fromSite === 'CQ' || t.toSite === 'CQ'))).toBe(true)
    const bySource = await call('GET', '/api/transfers?site=NC', { as: 'director' })
    expect(bySource.json.transfers.map((t: any) => t.id)).toContain(transfer.id)
    const other = await call('GET', '/api/transfers?status=received&site=NC')
    expect(other.json.transfers.map((t: any) => t.id)).not.toContain(transfer.id)
    const bad = await call('GET', '/api/transfers?status=lost')
    expect(bad.status).toBe(400)
    expect(bad.json.error.field).toBe('status')
    const one = await call('GET', `/api/transfers/${transfer.id}`)
    expect(one.json).toMatchObject({
      id: transfer.id,
      fromSite: 'NC',
      toSite: 'CQ',
      lots: [expect.objectContaining({ qty: 6 })],
      requests: [expect.objectContaining({ qty: 6 })],
    })
  })
})
