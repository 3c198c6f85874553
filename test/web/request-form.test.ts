// The aid-request form (issue 19): picking 紧急 proposes a deadline in hours (6 h), not +24 h; antigens and
// "accept RhD-positive" with its consent record are filed from the form; every field error shows at once; on a
// phone the form comes first. Real Chromium against a real wrangler dev.
import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiGet } from './api'
import { openApp, overflow, pageErrors, screenshotPath } from './browser'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
useApp((s, b) => {
  server = s
  browser = b
})

const COORD = DEMO_TOKENS.coordinator
const YB = DEMO_TOKENS['director-yb']
type Req = {
  id: string
  siteId: string
  rhd: string
  urgency: string
  antigens: string
  neededBy: string
  reason: string
  allowRhPositive: boolean
  rhPositiveConsent: { consentBy: string; consentAt: string; antiDScreen: string; patientNote: string } | null
}
/** The form's local date-time text (2026-12-01 14:30) as epoch ms. */
const parseLocal = (s: string) => {
  const m = s.match(/^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/)!
  return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]).getTime()
}
const HOUR = 3_600_000

describe('the aid-request form', () => {
  it('on a phone the form comes first; 紧急 proposes 6 h; every field error shows at once, and nothing is filed', async () => {
    const page = await openApp(browser, server.url, { token: YB, path: '/requests', phone: true })
    const errors = pageErrors(page)
    const form = page.locator('form.request-form')
    await form.waitFor()
    await page.locator('table.request-list').waitFor()
    const formTop = (await form.boundingBox())!.y
    expect(formTop).toBeLessThan((await page.locator('table.request-list').boundingBox())!.y)
    expect(formTop).toBeLessThan(844) // in the first screen

    // 紧急 proposes a deadline 6 h from now; 一般 3 days; a typed deadline is kept
    await form.locator('select[name=urgency]').selectOption('emergency')
    const due = parseLocal(await form.locator('input[name=neededBy]').inputValue())
    expect(Math.abs(due - (Date.now() + 6 * HOUR))).toBeLessThan(2 * 60_000)
    expect(await form.locator('[data-deadline-hours]').textContent()).toBe('紧急：默认 6 小时内，可修改')
    await form.locator('select[name=urgency]').selectOption('routine')
    expect(Math.abs(parseLocal(await form.locator('input[name=neededBy]').inputValue()) - (Date.now() + 72 * HOUR))).toBeLessThan(2 * 60_000)

    // everything wrong at once: no quantity, no reason, a deadline in the past, a bad antigen list
    await form.locator('input[name=neededBy]').fill('2020-01-01 08:00')
    await form.locator('input[name=antigens]').fill('Fy(a-);DROP')
    const before = (await apiGet<{ requests: Req[] }>(server.url, COORD, '/api/requests?site=YB')).requests.length
    await form.locator('button[type=submit]').click()
    for (const field of ['qty', 'reason', 'neededBy', 'antigens']) await form.locator(`[data-field-error="${field}"]`).waitFor()
    expect(await form.locator('[data-field-error]').count()).toBe(4)
    expect(await form.locator('[data-field-error="qty"]').textContent()).toMatch(/^(请输入正整数|数量须为正整数)$/)
    expect(await form.locator('[data-field-error="neededBy"]').textContent()).toBe('需求时间须为将来的时间，格式 2026-12-01 14:30')
    expect((await apiGet<{ requests: Req[] }>(server.url, COORD, '/api/requests?site=YB')).requests.length).toBe(before)
    // the typed deadline stays when the urgency changes afterwards
    await form.locator('select[name=urgency]').selectOption('emergency')
    expect(await form.locator('input[name=neededBy]').inputValue()).toBe('2020-01-01 08:00')
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: screenshotPath('ui-request-form-errors-phone.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('files an RhD-negative emergency with antigens that accepts RhD-positive units, with the consent record', async () => {
    const page = await openApp(browser, server.url, { token: YB, path: '/requests', lang: 'en' })
    const errors = pageErrors(page)
    const form = page.locator('form.request-form')
    await form.waitFor()
    await form.locator('select[name=rhd]').selectOption('-')
    // RhD-positive is offered only for an RhD-negative emergency
    expect(await form.locator('input[name=allowRhPositive]').count()).toBe(0)
    await form.locator('select[name=urgency]').selectOption('emergency')
    await form.locator('input[name=allowRhPositive]').check()
    expect(await form.locator('.rh-consent-form').textContent()).toContain('no anti-D')
    await form.locator('input[name=qty]').fill('2')
    await form.locator('input[name=antigens]').fill('Fy(a-)')
    await form.locator('input[name=reason]').fill('GI haemorrhage, shock')
    // the record is incomplete: each missing part is named at once
    await form.locator('button[type=submit]').click()
    for (const field of ['rhPositiveConsent.consentBy', 'rhPositiveConsent.antiDScreen', 'rhPositiveConsent.patientNote']) {
      await form.locator(`[data-field-error="${field}"]`).waitFor()
    }
    expect(await form.locator('[data-field-error]').count()).toBe(3)
    await form.locator('input[name=consentBy]').fill("the patient's son (representative)")
    await form.locator('input[name=antiDNegative]').check()
    await form.locator('input[name=patientNote]').fill('man, 74, haemorrhagic shock')
    await form.locator('button[type=submit]').click()
    await form.locator('[role=status]').waitFor()

    const { requests } = await apiGet<{ requests: Req[] }>(server.url, COORD, '/api/requests?site=YB')
    const filed = requests.find((r) => r.reason === 'GI haemorrhage, shock')!
    expect(filed).toMatchObject({
      rhd: '-',
      urgency: 'emergency',
      antigens: 'Fy(a-)',
      allowRhPositive: true,
      rhPositiveConsent: { consentBy: "the patient's son (representative)", antiDScreen: 'negative', patientNote: 'man, 74, haemorrhagic shock' },
    })
    expect(Math.abs(Date.parse(filed.neededBy) - (Date.now() + 6 * HOUR))).toBeLessThan(3 * 60_000)
    expect(Date.now() - Date.parse(filed.rhPositiveConsent!.consentAt)).toBeLessThan(3 * 60_000)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
