import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's headless Chromium; the network is closed, so nothing is downloaded. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A fresh page (own storage) at the app, optionally signed in with a token and a language. */
export async function openApp(browser: Browser, url: string, opts: { token?: string; lang?: 'zh' | 'en'; path?: string; phone?: boolean } = {}): Promise<Page> {
  // phone: an iPhone-sized viewport (390 × 844), where tables become cards
  const context = await browser.newContext({ viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 860 }, ...(opts.phone ? { isMobile: true, hasTouch: true } : {}) })
  // Tiles stay off (no network); a tile request would only fail quietly anyway.
  await context.route(/tile\.openstreetmap\.org/, (r) => r.abort())
  await context.addInitScript(([token, lang]) => {
    if (token) localStorage.setItem('bd.token', token)
    if (lang) localStorage.setItem('bd.lang', lang)
  }, [opts.token ?? '', opts.lang ?? ''] as const)
  const page = await context.newPage()
  await page.goto(url + (opts.path ?? '/'))
  return page
}
