// The one reader of SQLite's error text (worker/db/constraints.ts), against the real guards of the real migrations.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { isCheck, isForeignKey, isNotNull, isRaised, isUnique, violation } from '../../../worker/db/constraints'
import { seedBase } from '../fixtures'

/** The error a statement fails with; the test fails if it does not fail. */
async function failure(sql: string, ...args: unknown[]): Promise<unknown> {
  try {
    await env.DB.prepare(sql)
      .bind(...args)
      .run()
  } catch (e) {
    return e
  }
  throw new Error(`expected to fail: ${sql}`)
}

const at = '2026-01-01T00:00:00Z'
const insertSite = (id: string, kind: string, parent: string | null) =>
  failure(
    'INSERT INTO site (id, name_zh, name_en, kind, province, city, lat, lng, created_at, updated_at, parent_id) VALUES (?1,?1,?1,?2,?3,?3,30,104,?4,?4,?5)',
    id,
    kind,
    'Sichuan',
    at,
    parent,
  )

beforeAll(() => seedBase())

describe('reading a failed guard', () => {
  it('names the table and column of a UNIQUE (primary key) guard, and only that one', async () => {
    const e = await insertSite('CD', 'center', null)
    expect(violation(e)).toEqual({ kind: 'unique', table: 'site', columns: ['id'] })
    expect(isUnique(e)).toBe(true)
    expect(isUnique(e, 'site', 'id')).toBe(true)
    expect(isUnique(e, 'lot')).toBe(false)
    expect(isCheck(e) || isForeignKey(e) || isRaised(e, 'site_parent')).toBe(false)
  })

  it('reads a CHECK guard with the expression it failed on', async () => {
    const e = await failure("UPDATE user SET role = 'nobody' WHERE id = 'u-coord'")
    expect(violation(e)?.kind).toBe('check')
    expect(isCheck(e)).toBe(true)
    expect(isCheck(e, 'role')).toBe(true)
    expect(isCheck(e, 'commit_check_holds')).toBe(false)
    expect(isUnique(e)).toBe(false)
  })

  it('reads a NOT NULL guard by table and column', async () => {
    const e = await failure('INSERT INTO transfer_commit (transfer_id, idempotency_key, actor_id, at) VALUES (?1, ?2, ?3, NULL)', 'T-none', 'k', 'u-coord')
    expect(violation(e)).toEqual({ kind: 'not_null', table: 'transfer_commit', columns: ['at'] })
    expect(isNotNull(e, 'transfer_commit', 'at')).toBe(true)
    expect(isNotNull(e, 'transfer', 'qty')).toBe(false)
  })

  it('reads a FOREIGN KEY guard', async () => {
    const e = await failure("UPDATE user SET site_id = 'NOWHERE' WHERE id = 'u-dir-cd'")
    expect(isForeignKey(e)).toBe(true)
    expect(isUnique(e) || isCheck(e)).toBe(false)
  })

  it('names the trigger whose RAISE refused the write', async () => {
    const e = await insertSite('XX1', 'storage', null)
    expect(violation(e)).toEqual({ kind: 'raise', trigger: 'site_parent' })
    expect(isRaised(e, 'site_parent')).toBe(true)
    expect(isRaised(e, 'last_admin')).toBe(false)
  })

  it('is null for an error that is no guard (the service rethrows it)', async () => {
    const e = await failure('SELECT * FROM no_such_table')
    expect(violation(e)).toBeNull()
    expect(violation(new Error('network down'))).toBeNull()
  })
})
