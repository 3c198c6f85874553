import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchBrowser } from './browser'
import { startServer, type Server } from './server'

/** Each UI test file gets its own wrangler dev (fresh demo D1) and Chromium, stopped when the file ends. */
export function useApp(ready: (server: Server, browser: Browser) => void, opts: Parameters<typeof startServer>[0] = {}): void {
  let server: Server | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    server = await startServer(opts)
    browser = await launchBrowser()
    ready(server, browser)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })
}
