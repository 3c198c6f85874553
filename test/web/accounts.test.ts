import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiCall, eventually } from './api'
import { openApp } from './browser'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
const ADMIN = DEMO_TOKENS.admin

useApp((s, b) => {
  server = s
  browser = b
})

type Created = { user: { id: string; name: string; role: string; siteId: string | null }; token: { token: string; expiresAt: string } }

const isPost = (suffix: string) => (r: { url(): string; request(): { method(): string } }) => r.url().endsWith(suffix) && r.request().method() === 'POST'

/** Fills the admin page's add form and returns what the API answered. */
async function addUser(page: Page, name: string, role: string, siteId?: string): Promise<Created> {
  const form = page.locator('form.user-form')
  await form.locator('input[name=name]').fill(name)
  await form.locator('select[name=role]').selectOption(role)
  if (siteId) {
    await form.locator(`select[name=siteId] option[value="${siteId}"]`).waitFor({ state: 'attached' })
    await form.locator('select[name=siteId]').selectOption(siteId)
  }
  const answered = page.waitForResponse(isPost('/api/users'))
  await form.locator('button.add-user').click()
  const res = await answered
  expect(res.status()).toBe(201)
  return (await res.json()) as Created
}

/** Signs in through the header's token box, as a person would. */
async function signIn(page: Page, token: string) {
  await page.locator('form.sign-in input[name=token]').fill(token)
  await page.locator('form.sign-in button[type=submit]').click()
  await page.locator('.app-header .sign-out').waitFor()
}

describe('accounts page', () => {
  it('an admin adds a director; the token signs in and sees the station; revoked, the next action returns to the sign-in form with the reason', async () => {
    const admin = await openApp(browser, server.url, { token: ADMIN, path: '/admin' })
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    const nav = admin.locator('.app-header nav a[href="/admin"]')
    await nav.waitFor()
    expect(await nav.textContent()).toBe('账号管理')
    await admin.locator('table.user-table').waitFor()
    expect(await admin.locator('h2').textContent()).toBe('账号与访问权限')

    const made = await addUser(admin, '周站长', 'director', 'YB')
    expect(made.user).toMatchObject({ name: '周站长', role: 'director', siteId: 'YB' })
    // the token, shown once, is the one the API issued; the copy button puts it on the clipboard
    const shown = admin.locator('.new-token code')
    await shown.waitFor()
    expect(await shown.textContent()).toBe(made.token.token)
    await admin.locator('.new-token button.copy-token').click()
    await eventually(() => admin.locator('.new-token button.copy-token').textContent()).toBe('已复制')
    // the root tsconfig has no DOM types: the page function is typed loosely
    expect(
      await admin.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()),
    ).toBe(made.token.token)
    // who has access: the new row, with role, station and a live token
    const row = admin.locator(`tr[data-user="${made.user.id}"]`)
    await row.waitFor()
    expect(await row.locator('td').nth(0).textContent()).toBe('周站长')
    expect(await row.locator('.badge.role').textContent()).toBe('站长')
    expect(await row.locator('td').nth(2).textContent()).toContain('YB')
    expect(await row.locator('td').nth(4).textContent()).toBe('从未使用')
    expect(await row.locator('td.tokens').textContent()).toContain('到期')
    // once dismissed, the token is gone from the page for good
    await admin.locator('.new-token button.dismiss-token').click()
    expect(await admin.locator('.new-token').count()).toBe(0)
    expect(await admin.content()).not.toContain(made.token.token)

    // the director signs in with it and sees their own station
    const director = await openApp(browser, server.url)
    await signIn(director, made.token.token)
    expect(await director.locator('.app-header .who').textContent()).toBe('周站长')
    expect(await director.locator('.app-header nav a[href="/admin"]').count()).toBe(0)
    await director.locator('.app-header nav a[href="/station"]').click()
    await eventually(() => director.locator('.station-page h2').textContent()).toContain('宜宾')
    // and the station's stock, from the map's list
    await director.goto(`${server.url}/sites/YB`)
    await eventually(() => director.locator('.site-page h2').textContent()).toBe('宜宾市中心血站 库存')
    await director.locator('.site-page table').first().waitFor()

    // the admin sees the use, then revokes
    await admin.reload()
    await eventually(() => admin.locator(`tr[data-user="${made.user.id}"] td`).nth(4).textContent()).not.toBe('从未使用')
    await row.locator('button.revoke').click()
    await eventually(() => row.locator('td.tokens').textContent()).toBe('无有效令牌')

    // the director's next action: back to the sign-in form, with the reason, and the token forgotten
    await director.locator('.app-header nav a[href="/requests"]').click()
    const reason = director.locator('form.sign-in .signed-out')
    await reason.waitFor()
    expect(await reason.getAttribute('data-code')).toBe('token_revoked')
    expect(await reason.textContent()).toBe('您的令牌已被撤销，请向管理员索取新令牌后重新登录。')
    expect(await director.locator('main .signin-hint').textContent()).toBe('请先登录以查看库存与计划。')
    expect(await director.evaluate(() => localStorage.getItem('bd.token'))).toBeNull()
    await director.context().close()
    await admin.context().close()
  })

  it('in English: rotating shows a new token and retires the old one; disabling signs the user out at once', async () => {
    const admin = await openApp(browser, server.url, { token: ADMIN, lang: 'en', path: '/admin' })
    await admin.locator('form.user-form').waitFor()
    expect(await admin.locator('h2').textContent()).toBe('Accounts and access')
    const made = await addUser(admin, 'Planner Lin', 'planner')
    expect(made.user.siteId).toBeNull()
    const old = made.token.token
    expect((await apiCall(server.url, old, '/api/me')).status).toBe(200)

    const row = admin.locator(`tr[data-user="${made.user.id}"]`)
    await row.waitFor()
    expect(await row.locator('.badge.role').textContent()).toBe('Planner')
    const rotated = admin.waitForResponse(isPost(`/api/users/${made.user.id}/tokens`))
    await row.locator('button.rotate').click()
    const fresh = ((await (await rotated).json()) as { token: { token: string } }).token.token
    await eventually(() => admin.locator('.new-token code').textContent()).toBe(fresh)
    expect(await admin.locator('.new-token').textContent()).toContain('New token for Planner Lin')
    expect((await apiCall(server.url, old, '/api/me')).status).toBe(401)
    expect((await apiCall(server.url, fresh, '/api/me')).status).toBe(200)

    // signed in as that planner, then disabled by the admin: the next action signs them out with the reason
    const planner = await openApp(browser, server.url, { lang: 'en' })
    await signIn(planner, fresh)
    await row.locator('button.toggle').click()
    await eventually(() => row.locator('td.state').textContent()).toBe('Disabled')
    await planner.locator('.app-header nav a[href="/requests"]').click()
    const reason = planner.locator('form.sign-in .signed-out')
    await reason.waitFor()
    expect(await reason.textContent()).toBe('Your account has been disabled. Contact an administrator.')
    // sign-in with the same token is refused while disabled
    await planner.locator('form.sign-in input[name=token]').fill(fresh)
    await planner.locator('form.sign-in button[type=submit]').click()
    await eventually(() => planner.locator('form.sign-in .error').textContent()).toContain('user_disabled')

    // a non-admin sees no accounts link, and the page says why
    const coord = await openApp(browser, server.url, { token: DEMO_TOKENS.coordinator, lang: 'en', path: '/admin' })
    await eventually(() => coord.locator('.admin-page .meta').textContent()).toBe('Only administrators manage accounts.')
    expect(await coord.locator('.app-header nav a[href="/admin"]').count()).toBe(0)
    for (const p of [admin, planner, coord]) await p.context().close()
  })
})
