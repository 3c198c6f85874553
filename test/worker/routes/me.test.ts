import { beforeAll, expect, it } from 'vitest'
import { call, seedBase } from '../fixtures'

beforeAll(() => seedBase())

it('tells a director who they are and which site they run', async () => {
  const res = await call('GET', '/api/me', { as: 'directorYB' })
  expect(res.status).toBe(200)
  expect(res.json).toEqual({ id: 'u-dir-yb', name: 'Director YB', role: 'director', siteId: 'YB', province: null })
})

it('gives province-wide roles no site', async () => {
  const res = await call('GET', '/api/me', { as: 'planner' })
  expect(res.json).toMatchObject({ role: 'planner', siteId: null })
})

it('accepts the scheme case-insensitively but nothing but a bearer token', async () => {
  expect((await call('GET', '/api/me', { as: null, headers: { authorization: 'bearer test-admin-token' } })).status).toBe(200)
  expect((await call('GET', '/api/me', { as: null, headers: { authorization: 'Basic dGVzdA==' } })).status).toBe(401)
  expect((await call('GET', '/api/me', { as: null, headers: { authorization: 'Bearer' } })).status).toBe(401)
})
