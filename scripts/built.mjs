// Runs a Node entry point from its compiled bundle: `node scripts/built.mjs solver/cli.ts ARGS…`.
// The TypeScript is bundled once with esbuild into dist/node/ and rebuilt only when a source
// file under solver/, bench/ or test/solver/ is newer than the bundle, so a run pays no
// TypeScript compilation (tsx costs about 0.4 s at start-up). Packages are bundled too (one file
// loads faster than zod's many modules), except highs, which loads its WebAssembly by path.
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const entry = process.argv[2]
if (!entry) { console.error('usage: node scripts/built.mjs ENTRY.ts [args…]'); process.exit(2) }
const out = path.join(root, 'dist/node', entry.replace(/\.ts$/, '.mjs'))

function newest(dir) {
  let t = 0
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name)
    if (d.isDirectory()) t = Math.max(t, newest(p))
    else if (d.name.endsWith('.ts') || d.name.endsWith('.json')) t = Math.max(t, statSync(p).mtimeMs)
  }
  return t
}
const sources = ['solver', 'bench', 'test/solver'].map((d) => path.join(root, d)).filter(existsSync)
if (!existsSync(out) || statSync(out).mtimeMs < Math.max(...sources.map(newest))) {
  const { build } = await import('esbuild')
  await build({ entryPoints: [path.join(root, entry)], outfile: out, bundle: true, platform: 'node', format: 'esm',
    target: 'node22', external: ['highs'], sourcemap: 'linked', logLevel: 'warning' })
}
process.argv.splice(1, 2, out) // the bundle sees itself as the script, its arguments unchanged
await import(pathToFileURL(out).href)
