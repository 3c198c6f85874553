import { describe, expect, it } from 'vitest'
import { chooseBrowser, launchBrowser } from './browser'

// Which browser the UI tests use, and that it draws Chinese text with real glyphs on any machine.
describe('UI test browser', () => {
  it('takes CHROMIUM_PATH first, refuses one that does not exist, and falls back to the npm-installed Chromium', async () => {
    await expect(chooseBrowser({ CHROMIUM_PATH: '/nonexistent/chromium' })).rejects.toThrow(/CHROMIUM_PATH=\/nonexistent\/chromium does not exist/)
    expect(await chooseBrowser({ CHROMIUM_PATH: process.execPath })).toMatchObject({ source: 'CHROMIUM_PATH', executablePath: process.execPath })
    const bundled = await chooseBrowser({ CHROMIUM_PATH: '', CHROMIUM_SKIP_SYSTEM: '1', PATH: '' })
    expect(bundled.source).toBe('@sparticuz/chromium')
  })

  it('renders Chinese characters as glyphs, not as the missing-glyph box', async () => {
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage()
      await page.setContent('<p>血液调配</p>')
      const drawn = await page.evaluate(() => {
        // Runs in the page (the test tsconfig has no DOM types).
        const doc = (globalThis as any).document
        const draw = (text: string) => {
          const c = doc.createElement('canvas')
          c.width = c.height = 48
          const g = c.getContext('2d')
          g.font = '40px sans-serif'
          g.fillText(text, 4, 40)
          return Array.from(g.getImageData(0, 0, 48, 48).data).join()
        }
        const box = draw('\uE000') // a private-use code point: no font has it, so it is drawn as the missing-glyph box
        return [...'血液调配'].map((ch) => draw(ch) !== box)
      })
      expect(drawn).toEqual([true, true, true, true])
    } finally {
      await browser.close()
    }
  })
})
