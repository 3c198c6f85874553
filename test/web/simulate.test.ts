import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { apiCall, eventually } from './api'
import { openApp, overflow, screenshotPath } from './browser'
import { DEMO_TOKENS } from '../../seed/demo'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
const PLANNER = DEMO_TOKENS.planner
const DIRECTOR = DEMO_TOKENS['director-yb']

useApp((s, b) => {
  server = s
  browser = b
})

type Policy = { name: string; dispatch: string; reserveDays: number; triggerDays: number }
type PolicyResult = {
  policy: Policy
  shortageUnits: number
  demandUnits: number
  shortageByComponent: Record<string, number>
  fillRate: number
  redDays: number
  redSiteDays: Record<string, number>
  transferredUnits: number
  transferCount: number
  wastageUnits: number
  series: { day: number; shortageUnits: number }[]
}
type SimResult = { scenario: string; days: number; components: string[]; assumptions: string[]; policies: PolicyResult[] }
type ErrorBody = { error: { code: string; message: string; field?: string } }

/** The page's defaults in Chinese (the default language): what Run must send. */
const DEFAULT_BODY = {
  scenario: 'spring-festival',
  days: 30,
  seed: 1,
  policies: [
    { name: '不调配', dispatch: 'none', reserveDays: 3, triggerDays: 5 },
    { name: '规划器·红线', dispatch: 'planner', reserveDays: 3, triggerDays: 5 },
    { name: '规划器·黄线', dispatch: 'planner', reserveDays: 7, triggerDays: 7 },
  ],
}

/** A table cell's figure as a number (thousands separators and a trailing % dropped). */
const figure = (text: string | null) => Number((text ?? '').replace(/[,\s%]/g, ''))

/** The cells of one metric row, one per policy column. */
const rowCells = (page: Page, metric: string) => page.locator(`.sim-table tr[data-metric="${metric}"] td:not(.diff)`).allTextContents()
/** A difference cell's figure: − is the minus sign, ± zero. */
const diffCell = async (page: Page, metric: string) =>
  figure(
    (await page.locator(`.sim-table tr[data-metric="${metric}"] td.diff`).textContent())!
      .replace('−', '-')
      .replace('±', '')
      .replace(/[^\d.+-]/g, ''),
  )
/** Latin words a Chinese page may show: blood groups, RhD and units. */
const latinWords = (text: string) => (text.match(/[A-Za-z][A-Za-z()]*/g) ?? []).filter((w) => !['O', 'A', 'B', 'AB', 'RhD', 'U', 'mL'].includes(w))

const isSimPost = (r: { url(): string; method(): string }) => r.url().endsWith('/api/simulations') && r.method() === 'POST'

describe('simulation page', () => {
  it("runs the default spring-festival comparison and shows the API's figures, a line per policy and the assumptions", async () => {
    const page = await openApp(browser, server.url, { token: PLANNER, path: '/simulate' })
    // Hold the API call for a moment so the loading state is observable.
    await page.route('**/api/simulations', async (route) => {
      await new Promise((r) => setTimeout(r, 400))
      await route.continue()
    })
    const form = page.locator('form.sim-form')
    await form.waitFor()
    const nav = page.locator('.app-header nav a[href="/simulate"]')
    expect(await nav.textContent()).toBe('模拟推演')
    expect(await nav.getAttribute('class')).toBe('active')
    expect(await form.locator('select[name=scenario]').inputValue()).toBe('spring-festival')
    expect(await form.locator('select[name=scenario] option:checked').textContent()).toBe('春节')
    expect(await form.locator('input[name=days]').inputValue()).toBe('30')
    expect(await form.locator('tbody tr[data-policy]').count()).toBe(3)

    const posted = page.waitForRequest(isSimPost)
    const answered = page.waitForResponse((r) => isSimPost(r.request()))
    await form.locator('button.run-sim').click()
    expect((await posted).postDataJSON()).toEqual(DEFAULT_BODY)
    // loading: the button says so and is disabled until the answer arrives
    await eventually(() => form.locator('button.run-sim').textContent()).toBe('推演中…')
    expect(await form.locator('button.run-sim').isDisabled()).toBe(true)
    const response = await answered
    expect(response.status()).toBe(200)
    const shown = (await response.json()) as SimResult
    await page.locator('.sim-table').waitFor()
    expect(await form.locator('button.run-sim').textContent()).toBe('开始推演')
    expect(await form.locator('button.run-sim').isDisabled()).toBe(false)

    // The same body straight to the API (same seed, same data: the same draws).
    const api = await apiCall<SimResult>(server.url, PLANNER, '/api/simulations', { method: 'POST', body: DEFAULT_BODY })
    expect(api.status).toBe(200)
    const res = api.body
    // What the page got is what the API answers (if not, the server changed between the calls: the
    // worker reloads when its source changes).
    expect(
      shown.policies.map((p) => p.shortageUnits),
      'the API gave the page and the test different answers',
    ).toEqual(res.policies.map((p) => p.shortageUnits))
    expect(res.policies.map((p) => p.policy.name)).toEqual(DEFAULT_BODY.policies.map((p) => p.name))
    expect(await page.locator('.sim-table thead th[data-policy]').allTextContents()).toEqual(DEFAULT_BODY.policies.map((p) => p.name))

    expect((await rowCells(page, 'shortage')).map(figure)).toEqual(res.policies.map((p) => p.shortageUnits))
    for (const c of res.components)
      expect((await rowCells(page, `shortage.${c}`)).map(figure), `shortage ${c}`).toEqual(res.policies.map((p) => p.shortageByComponent[c] ?? 0))
    expect((await rowCells(page, 'demand')).map(figure)).toEqual(res.policies.map((p) => p.demandUnits))
    expect((await rowCells(page, 'fillRate')).map(figure)).toEqual(res.policies.map((p) => Math.round(p.fillRate * 10_000) / 100))
    expect((await rowCells(page, 'redDays')).map(figure)).toEqual(res.policies.map((p) => p.redDays))
    expect((await rowCells(page, 'redSiteDays')).map(figure)).toEqual(res.policies.map((p) => Object.values(p.redSiteDays).reduce((a, b) => a + b, 0)))
    for (const c of res.components)
      expect((await rowCells(page, `redSiteDays.${c}`)).map(figure), `red site-days ${c}`).toEqual(res.policies.map((p) => p.redSiteDays[c] ?? 0))
    expect((await rowCells(page, 'transferred')).map(figure)).toEqual(res.policies.map((p) => p.transferredUnits))
    expect((await rowCells(page, 'transfers')).map(figure)).toEqual(res.policies.map((p) => p.transferCount))
    expect((await rowCells(page, 'wastage')).map(figure)).toEqual(res.policies.map((p) => p.wastageUnits))
    // The comparison is not degenerate: no dispatch moves nothing, the planners move something.
    expect(res.policies.map((p) => p.transferCount > 0)).toEqual([false, true, true])

    // The chart: one polyline per policy with a point per day, the legend names them, and each point's
    // tooltip reads the API's daily shortage.
    const chart = page.locator('.line-chart')
    expect(await chart.locator('polyline').count()).toBe(3)
    expect(await chart.locator('.legend-item').allTextContents()).toEqual(DEFAULT_BODY.policies.map((p) => ` ${p.name}`))
    for (const [k, p] of res.policies.entries()) {
      const series = chart.locator('g.series').nth(k)
      expect(await series.getAttribute('data-series')).toBe(p.policy.name)
      expect((await series.locator('polyline').getAttribute('points'))!.split(' ').length).toBe(30)
      const values = (await series.locator('circle title').allTextContents()).map((s) => Number(s.split(': ').at(-1)))
      expect(values).toEqual(p.series.map((d) => d.shortageUnits))
    }

    // Which policy did better, by how much: the one short of the fewest units against the first (no dispatch).
    const sorted = [...res.policies].sort((a, b) => a.shortageUnits - b.shortageUnits)
    const better = sorted[0]
    const other = better === res.policies[0] ? sorted[1] : res.policies[0]
    expect(better.shortageUnits, 'the planner helps: a comparison worth making').toBeLessThan(other.shortageUnits)
    const verdict = page.locator('.sim-verdict')
    expect(await verdict.getAttribute('data-units')).toBe(String(other.shortageUnits - better.shortageUnits))
    expect(await verdict.textContent()).toBe(
      `「${better.policy.name}」优于「${other.policy.name}」：缺口少 ${(other.shortageUnits - better.shortageUnits).toLocaleString('zh-CN')} 单位（少 ${(((other.shortageUnits - better.shortageUnits) / other.shortageUnits) * 100).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} %），满足率高 ${((better.fillRate - other.fillRate) * 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 个百分点。`,
    )
    expect(await page.locator('.sim-table thead th.diff').textContent()).toBe(`差值（${better.policy.name} − ${other.policy.name}）`)
    expect(await diffCell(page, 'shortage')).toBe(better.shortageUnits - other.shortageUnits)
    expect(await diffCell(page, 'transfers')).toBe(better.transferCount - other.transferCount)
    expect(await diffCell(page, 'wastage')).toBe(better.wastageUnits - other.wastageUnits)
    expect(await page.locator('.sim-table tr[data-metric="fillRate"] td.diff').textContent()).toMatch(/^[+−±][\d.]+ 个百分点$/)

    // The axis is dated: its first tick is the first day's date (month-day), each point's tooltip the whole date.
    const dates = res.policies[0].series.map((d) => (d as { date?: string }).date!)
    expect(await chart.locator('svg > text.tick').first().textContent()).toBe(dates[0].slice(5))
    expect(await chart.locator('g.series').first().locator('circle title').first().textContent()).toBe(
      `${res.policies[0].policy.name} · ${dates[0]}: ${res.policies[0].series[0].shortageUnits}`,
    )
    expect(await chart.locator('text.axis-label').first().textContent()).toBe('日期')

    // The response's assumptions, each in Chinese (no English words left).
    expect(res.assumptions.length).toBeGreaterThan(0)
    const assumptions = await page.locator('.sim-assumptions li').allTextContents()
    expect(assumptions.length).toBe(res.assumptions.length)
    for (const a of assumptions) expect(latinWords(a), a).toEqual([])
    await page.screenshot({ path: screenshotPath('ui-sim.png'), fullPage: true })

    // English on request: the scenario and nav entry are translated, the figures stay.
    await page.locator('button.lang-toggle').click()
    await eventually(() => form.locator('select[name=scenario] option:checked').textContent()).toBe('Spring Festival')
    expect(await form.locator('select[name=scenario] option').allTextContents()).toEqual([
      'Spring Festival',
      'Summer vacation',
      'Epidemic',
      'A year (each shock on its dates)',
      'Custom',
    ])
    expect(await nav.textContent()).toBe('Simulation')
    expect(await page.locator('.sim-results .meta').textContent()).toMatch(/^Spring Festival from /)
    expect(await page.locator('.sim-table tr[data-metric="shortage"] th').textContent()).toBe('Shortage (units)')
    expect((await rowCells(page, 'shortage')).map(figure)).toEqual(res.policies.map((p) => p.shortageUnits))
    expect(await page.locator('.sim-assumptions li').allTextContents()).toEqual(res.assumptions)
    expect(await verdict.textContent()).toMatch(new RegExp(`^“${better.policy.name}” did better than “${other.policy.name}”: [\\d,]+ fewer units short`))
    await page.screenshot({ path: screenshotPath('ui-sim-en.png'), fullPage: true })
    await page.context().close()
  })

  it('runs a whole year on a phone: progress while it works, then a chart that stays readable', async () => {
    const page = await openApp(browser, server.url, { token: PLANNER, path: '/simulate', lang: 'en', phone: true })
    const form = page.locator('form.sim-form')
    await form.waitFor()
    await form.locator('select[name=scenario]').selectOption('year')
    await form.locator('input[name=days]').fill('365')
    const answered = page.waitForResponse((r) => isSimPost(r.request()))
    await form.locator('button.run-sim').click()
    // while the one long request works: the time elapsed against an estimate for 365 days
    const progress = page.locator('.sim-progress[role=status]')
    await progress.waitFor()
    expect(await progress.textContent()).toMatch(/s elapsed, about \d+ s expected for 365 days/)
    expect(await progress.locator('progress').count()).toBe(1)
    const res = (await (await answered).json()) as SimResult
    expect(res.days).toBe(365)
    await page.locator('.sim-table').waitFor()
    expect(await progress.count()).toBe(0)
    // a year of lines: 365 points each, no per-day markers (they would merge into a band), x ticks
    // every 30 days without the last day crowding 360
    const chart = page.locator('.line-chart')
    expect(await chart.locator('polyline').count()).toBe(res.policies.length)
    expect((await chart.locator('polyline').first().getAttribute('points'))!.split(' ').length).toBe(365)
    expect(await chart.locator('circle').count()).toBe(0)
    // on a phone: a handful of dated ticks (month-day), the first day's among them, none overlapping, text
    // that stays at least 9 px high on screen, and the chart within the screen
    const dates = res.policies[0].series.map((d) => (d as { date?: string }).date!)
    const ticks = chart.locator('svg > text.tick')
    const labels = await ticks.allTextContents()
    expect(labels[0]).toBe(dates[0].slice(5))
    expect(labels.length).toBeGreaterThanOrEqual(4)
    expect(labels.length).toBeLessThanOrEqual(6)
    for (const l of labels) expect(l).toMatch(/^\d{2}-\d{2}$/)
    const boxes = await ticks.evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect()
        return { left: r.left, right: r.right, height: r.height }
      }),
    )
    for (const [i, b] of boxes.entries()) {
      expect(b.height, `tick ${labels[i]} readable`).toBeGreaterThanOrEqual(9)
      if (i > 0) expect(b.left, `tick ${labels[i]} clear of ${labels[i - 1]}`).toBeGreaterThan(boxes[i - 1].right)
    }
    const box = (await chart.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    // the difference column is there on a phone too, as a labelled line of each card
    expect(await page.locator('.sim-table tr[data-metric="shortage"] td.diff').getAttribute('data-label')).toMatch(/^Difference \(/)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: screenshotPath('ui-sim-year-phone.png'), fullPage: true })
    await page.context().close()
  })

  it("shows the API's field error beside days for 367 days", async () => {
    const probe = await apiCall<ErrorBody>(server.url, PLANNER, '/api/simulations', { method: 'POST', body: { ...DEFAULT_BODY, days: 367 } })
    expect(probe.status).toBe(400)
    expect(probe.body.error.field).toBe('days')

    const page = await openApp(browser, server.url, { token: PLANNER, path: '/simulate' })
    const form = page.locator('form.sim-form')
    await form.waitFor()
    // policy rows: up to four, at least one
    await form.locator('button.add-policy').click()
    expect(await form.locator('tbody tr[data-policy]').count()).toBe(4)
    expect(await form.locator('input[name="policies.3.name"]').inputValue()).toBe('策略 4')
    expect(await form.locator('button.add-policy').isDisabled()).toBe(true)
    await form.locator('tr[data-policy="3"] button.remove-policy').click()
    expect(await form.locator('tbody tr[data-policy]').count()).toBe(3)
    expect(await form.locator('button.add-policy').isDisabled()).toBe(false)
    await form.locator('input[name=days]').fill('367')
    const posted = page.waitForRequest(isSimPost)
    await form.locator('button.run-sim').click()
    expect((await posted).postDataJSON()).toEqual({ ...DEFAULT_BODY, days: 367 })
    const err = form.locator('label:has(input[name=days]) [data-field-error="days"]')
    await err.waitFor()
    // the API's English (Too big: expected number to be <=366) in Chinese, with the field's name
    expect(probe.body.error.message).toMatch(/^Too big/)
    expect(await err.textContent()).toBe('天数不能大于 366')
    expect(await page.locator('[data-field-error]').count()).toBe(1)
    expect(await page.locator('.sim-table').count()).toBe(0)
    await page.context().close()
  })

  it("hides the nav entry from a director, and a director opening /simulate gets the API's 403", async () => {
    const probe = await apiCall<ErrorBody>(server.url, DIRECTOR, '/api/simulations', { method: 'POST', body: DEFAULT_BODY })
    expect(probe.status).toBe(403)

    const home = await openApp(browser, server.url, { token: DIRECTOR, path: '/', lang: 'en' })
    await home.locator('.app-header .badge.role[data-role="director"]').waitFor()
    expect(await home.locator('.app-header nav a').allTextContents()).toEqual([
      'My station',
      'Region map',
      'Aid requests',
      'Dispatch plan',
      'Incidents',
      'Rare donors',
      'Supply report',
    ])
    expect(await home.locator('a[href="/simulate"]').count()).toBe(0)
    await home.context().close()

    const page = await openApp(browser, server.url, { token: DIRECTOR, path: '/simulate', lang: 'en' })
    const alert = page.locator('.simulate-page .error[role=alert]')
    await alert.waitFor()
    // the API's 403 in the page's language, its own words in the title
    expect(await alert.textContent()).toBe('Your role may not do this')
    expect(await alert.getAttribute('title')).toBe(probe.body.error.message)
    expect(probe.body.error.code).toBe('forbidden')
    expect(await page.locator('.sim-table').count()).toBe(0)
    expect(await page.locator('.app-header nav a[href="/simulate"]').count()).toBe(0)
    await page.context().close()
  })
})
