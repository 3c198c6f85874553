// Runs a Node entry point from its compiled bundle: `node scripts/built.mjs solver/cli.ts ARGS…`.
// The TypeScript is bundled once with esbuild into dist/node/ and rebuilt only when one of the
// project files it was built from is newer than the bundle (or gone), so a run pays no
// TypeScript compilation (tsx costs about 0.4 s at start-up). Packages are bundled too (one file
// loads faster than zod's many modules), except highs, which loads its WebAssembly by path.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const entry = process.argv[2]
if (!entry) {
  console.error('usage: node scripts/built.mjs ENTRY.ts [args…]')
  process.exit(2)
}
const out = path.join(root, 'dist/node', entry.replace(/\.ts$/, '.mjs'))

// The bundle's own inputs (esbuild's metafile, kept beside it) say what it was built from.
const inputsFile = `${out}.inputs.json`
function stale() {
  if (!existsSync(out) || !existsSync(inputsFile)) return true
  const built = statSync(out).mtimeMs
  for (const f of JSON.parse(readFileSync(inputsFile, 'utf8'))) {
    const p = path.join(root, f)
    if (!existsSync(p) || statSync(p).mtimeMs > built) return true
  }
  return false
}
if (stale()) {
  const { build } = await import('esbuild')
  const r = await build({
    entryPoints: [path.join(root, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['highs'],
    sourcemap: 'linked',
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: root,
  })
  const inputs = Object.keys(r.metafile.inputs).filter((f) => !f.includes('node_modules/'))
  writeFileSync(inputsFile, JSON.stringify(inputs))
}
process.argv.splice(1, 2, out) // the bundle sees itself as the script, its arguments unchanged
await import(pathToFileURL(out).href)
