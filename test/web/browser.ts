import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { inflateSync } from 'node:zlib'
import { chromium, type Browser, type Page } from 'playwright-core'

/**
 * The one place the UI tests get a browser. Nothing is downloaded (the network is closed); in this order:
 * 1. CHROMIUM_PATH, when set and not empty (it must exist);
 * 2. a system Chromium or Chrome on PATH or in its usual place (skipped with CHROMIUM_SKIP_SYSTEM=1, which
 *    is how a run without one is checked on a machine that has one);
 * 3. the Chromium inside the `@sparticuz/chromium` npm package, unpacked once into node_modules/.cache.
 * Whichever it is, it gets a fontconfig file that adds a CJK font from the `@fontsource/noto-sans-sc` npm
 * package to the system's fonts, so Chinese text renders (not boxes) on a machine with no CJK font installed.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const CACHE = path.join(ROOT, 'node_modules/.cache/ui-browser')
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']
const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome']

export type BrowserChoice = { executablePath: string; source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium'; fontDirs: string[] }

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const p = path.join(dir, name)
    if (existsSync(p)) return p
  }
  return null
}

/** Builds `dir` with `make(tmp)` into a temporary sibling and renames it into place: never half-made. */
function once(dir: string, make: (tmp: string) => void | Promise<void>): Promise<string> | string {
  if (existsSync(dir)) return dir
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`
  mkdirSync(tmp, { recursive: true })
  const finish = () => {
    try {
      renameSync(tmp, dir)
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true })
      if (!existsSync(dir)) throw e // another process finished first: use theirs
    }
    return dir
  }
  const fail = (e: unknown) => {
    rmSync(tmp, { recursive: true, force: true })
    throw e
  }
  try {
    const r = make(tmp)
    return r instanceof Promise ? r.then(finish, fail) : finish()
  } catch (e) {
    return fail(e)
  }
}

/** Unpacks the Chromium shipped inside @sparticuz/chromium (brotli files in the package) and returns its binary. */
async function bundledChromium(): Promise<{ executablePath: string; fontDirs: string[] }> {
  const pkg = path.join(ROOT, 'node_modules/@sparticuz/chromium')
  if (!existsSync(pkg))
    throw new Error('No browser for the UI tests: no CHROMIUM_PATH, no system Chromium, and @sparticuz/chromium is not installed (run npm install)')
  const version = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).version as string
  const dir = await once(path.join(CACHE, `sparticuz-chromium-${version}`), async (tmp) => {
    // The package unpacks into os.tmpdir(); point that at our own folder for the call.
    const { default: sparticuz } = await import('@sparticuz/chromium')
    const before = process.env.TMPDIR
    process.env.TMPDIR = tmp
    try {
      await sparticuz.executablePath()
    } finally {
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
    }
  })
  return { executablePath: path.join(dir, 'chromium'), fontDirs: [path.join(dir, 'fonts/fonts')] }
}

export async function chooseBrowser(env: NodeJS.ProcessEnv = process.env): Promise<BrowserChoice> {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`)
    return { executablePath: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH', fontDirs: [] }
  }
  if (env.CHROMIUM_SKIP_SYSTEM !== '1') {
    const found = SYSTEM_NAMES.map(onPath).find(Boolean) ?? SYSTEM_PATHS.find((p) => existsSync(p))
    if (found) return { executablePath: found, source: 'system', fontDirs: [] }
  }
  return { ...(await bundledChromium()), source: '@sparticuz/chromium' }
}

/**
 * WOFF 1.0 → the TrueType/OpenType file inside it (each table zlib-compressed or stored; no other transform).
 * Chromium's own FreeType reads neither WOFF nor WOFF2 from disk, and the font package ships only those.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 file')
  const flavor = woff.readUInt32BE(4)
  const n = woff.readUInt16BE(12)
  const tables = Array.from({ length: n }, (_, i) => {
    const o = 44 + i * 20
    const [tag, offset, compLength, origLength, checksum] = [0, 4, 8, 12, 16].map((d) => woff.readUInt32BE(o + d))
    const raw = woff.subarray(offset, offset + compLength)
    return { tag, checksum, data: compLength < origLength ? inflateSync(raw) : raw }
  })
  let pow = 1
  let log = 0
  while (pow * 2 <= n) (pow *= 2), log++
  const head = Buffer.alloc(12 + 16 * n)
  head.writeUInt32BE(flavor, 0)
  head.writeUInt16BE(n, 4)
  head.writeUInt16BE(pow * 16, 6)
  head.writeUInt16BE(log, 8)
  head.writeUInt16BE(n * 16 - pow * 16, 10)
  const parts: Buffer[] = [head]
  let offset = head.length
  tables.forEach((t, i) => {
    head.writeUInt32BE(t.tag, 12 + i * 16)
    head.writeUInt32BE(t.checksum, 16 + i * 16)
    head.writeUInt32BE(offset, 20 + i * 16)
    head.writeUInt32BE(t.data.length, 24 + i * 16)
    const pad = (4 - (t.data.length % 4)) % 4
    parts.push(t.data, Buffer.alloc(pad))
    offset += t.data.length + pad
  })
  return Buffer.concat(parts)
}

/** Noto Sans SC (regular weight) as TrueType files, converted once from the npm package's WOFF subsets. */
function cjkFontDir(): string {
  const files = path.join(ROOT, 'node_modules/@fontsource/noto-sans-sc/files')
  const version = JSON.parse(readFileSync(path.join(files, '../package.json'), 'utf8')).version as string
  return once(path.join(CACHE, `noto-sans-sc-${version}`), (tmp) => {
    for (const f of readdirSync(files).filter((f) => f.endsWith('-400-normal.woff'))) {
      writeFileSync(path.join(tmp, f.replace(/\.woff$/, '.ttf')), woffToSfnt(readFileSync(path.join(files, f))))
    }
  }) as string
}

/** A fontconfig file: the system's configuration (when there is one) plus the given font folders. */
function fontConfig(dirs: string[]): string {
  const text =
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
    `  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n` +
    dirs.map((d) => `  <dir>${d}</dir>\n`).join('') +
    `  <cachedir>${path.join(CACHE, 'fontconfig')}</cachedir>\n</fontconfig>\n`
  const file = path.join(CACHE, `fonts-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.conf`)
  mkdirSync(CACHE, { recursive: true })
  writeFileSync(file, text)
  return file
}

/**
 * Where a test saves a screenshot: test-results/ in this checkout (git-ignored), not a fixed /tmp path that
 * another checkout or another user on the same machine may own.
 */
export function screenshotPath(name: string): string {
  mkdirSync(path.join(ROOT, 'test-results'), { recursive: true })
  return path.join(ROOT, 'test-results', name)
}

/** Headless Chromium for the UI tests (see chooseBrowser for which one). */
export async function launchBrowser(): Promise<Browser> {
  const choice = await chooseBrowser()
  return chromium.launch({
    executablePath: choice.executablePath,
    env: { ...process.env, FONTCONFIG_FILE: fontConfig([cjkFontDir(), ...choice.fontDirs]) },
    args: [
      '--headless',
      '--no-sandbox',
      '--no-zygote',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A fresh page (own storage) at the app, optionally signed in with a token and a language. */
export async function openApp(browser: Browser, url: string, opts: { token?: string; lang?: 'zh' | 'en'; path?: string; phone?: boolean } = {}): Promise<Page> {
  // phone: an iPhone-sized viewport (390 × 844), where tables become cards
  const context = await browser.newContext({
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 860 },
    ...(opts.phone ? { isMobile: true, hasTouch: true } : {}),
  })
  // Tiles stay off (no network); a tile request would only fail quietly anyway.
  await context.route(/tile\.openstreetmap\.org/, (r) => r.abort())
  await context.addInitScript(
    ([token, lang]) => {
      if (token) localStorage.setItem('bd.token', token)
      if (lang) localStorage.setItem('bd.lang', lang)
    },
    [opts.token ?? '', opts.lang ?? ''] as const,
  )
  const page = await context.newPage()
  await page.goto(url + (opts.path ?? '/'))
  return page
}

/**
 * Console errors and uncaught exceptions a page produces from now on; tests expect none. A resource that failed to
 * load (a refused map tile) is not an error of the app's own, unless `strict`.
 */
export function pageErrors(page: Page, opts: { strict?: boolean } = {}): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => void errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && (opts.strict || !/Failed to load resource/.test(m.text()))) errors.push(`console: ${m.text()}`)
  })
  return errors
}

/** How far the page reaches past the right edge of the screen, in px (0 or less: nothing does). */
export const overflow = (page: Page) =>
  page.evaluate(() => {
    const el = (globalThis as any).document.documentElement
    return (el.scrollWidth - el.clientWidth) as number
  })
