// The link in the UI (issue 24), on both provincial systems as `npm start` runs them, in Chromium: Chongqing's
// coordinator sends a notice from the linked-provinces page on a phone (asked first), Sichuan's coordinator sees it
// arrive as an alert, the map draws Chongqing's station from its summary, and Sichuan's admin sees the message.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROVINCE_USERS } from '../../seed/provinces'
import { launchBrowser, openApp, overflow, pageErrors, screenshotPath } from '../web/browser'
import { startProvinces, type ProvinceServer } from '../web/server'

let sichuan: ProvinceServer
let chongqing: ProvinceServer
let stop: () => Promise<void> = async () => {}
let browser: Browser | undefined
const token = (p: ProvinceServer, role: string) => PROVINCE_USERS[p.province].find((u) => u.role === role)!.token

beforeAll(async () => {
  ;({ sichuan, chongqing, stop } = await startProvinces())
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await stop()
})

describe('the link in the UI', () => {
  it("delivers a coordinator's notice to the other province's coordinator as an alert, and shows both provinces", async () => {
    // Sichuan's coordinator is on the map (English) before the notice is sent
    const sc = await openApp(browser!, sichuan.url, { token: token(sichuan, 'coordinator'), lang: 'en', path: '/' })
    const scErrors = pageErrors(sc)
    await sc.locator('[data-peer-site="CQ"]').waitFor({ timeout: 30_000 })
    await sc.getByRole('link', { name: 'Linked provinces' }).waitFor()

    // Chongqing's coordinator, on a phone, in Chinese
    const cq = await openApp(browser!, chongqing.url, { token: token(chongqing, 'coordinator'), path: '/provinces', phone: true })
    const cqErrors = pageErrors(cq)
    await cq.getByRole('heading', { name: '本省：重庆 2 个站点' }).waitFor({ timeout: 30_000 })
    await cq.getByRole('heading', { name: /互联省份：四川/ }).waitFor()
    // Sichuan's stations fold under a line counting them by level (Garze and Yibin are red in the demo)
    const folded = cq.locator('.peer[data-province="Sichuan"] details.province-stations')
    await expect(folded.locator('summary').textContent()).resolves.toMatch(/红色预警\s*2 个站点/)
    await folded.locator('summary').click()
    await cq.locator('.peer[data-province="Sichuan"] tr[data-site="CD"]').waitFor({ state: 'visible' })
    await cq.getByLabel('通知内容').fill('万州突发事故，需O型RhD阴性红细胞 20 U')
    await cq.getByLabel('紧急').check()
    await cq.getByRole('button', { name: '发送通知' }).click()
    // asked first, naming whom it goes to; nothing is sent before yes
    const ask = cq.getByRole('alertdialog')
    await expect(ask.textContent()).resolves.toContain('发送这条通知给四川的协调员？')
    await ask.getByRole('button', { name: '发送通知' }).click()
    await cq.getByText('已写入发件箱，正在投递给四川。').waitFor()
    expect(await overflow(cq)).toBeLessThanOrEqual(0)
    await cq.screenshot({ path: screenshotPath('link-provinces-phone.png'), fullPage: true })

    // within 15 s on Sichuan's screen (events poll every 5 s)
    const alert = sc.locator('[data-event="notice.receive"]')
    await alert.waitFor({ timeout: 15_000 })
    await sc.screenshot({ path: screenshotPath('link-map-notice.png') })
    await expect(alert.textContent()).resolves.toContain("Urgent · notice from Chongqing's coordinator 赵协调: 万州突发事故，需O型RhD阴性红细胞 20 U")

    // Sichuan's admin sees it received and applied; Chongqing's admin sees it sent and applied
    const admin = await openApp(browser!, sichuan.url, { token: token(sichuan, 'admin'), lang: 'en', path: '/admin' })
    const row = admin.locator('.link-messages tr[data-status="applied"]')
    await row.first().waitFor({ timeout: 20_000 })
    await expect(row.first().textContent()).resolves.toMatch(/Received.*Chongqing.*province\.notice.*Applied/)
    const cqAdmin = await openApp(browser!, chongqing.url, { token: token(chongqing, 'admin'), path: '/admin' })
    const sent = cqAdmin.locator('.link-messages tr[data-status="applied"]')
    await sent.first().waitFor({ timeout: 20_000 })
    await expect(sent.first().textContent()).resolves.toMatch(/发出.*四川.*province\.notice.*已处理/)

    expect(scErrors).toEqual([])
    expect(cqErrors).toEqual([])
  })
})
