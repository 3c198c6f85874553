// Runs a compiled entry point as its own main script and prints its peak resident memory on
// exit (stderr), so the bench can time and weigh `plan FILE.json` as a whole process:
//   node bench/whole-process.mjs dist/node/solver/cli.mjs FILE.json
// VmHWM (Linux) is this program's own high-water mark; getrusage's maxRSS would also count the
// parent's pages that a forked child maps before it execs node.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const [node, , script, ...args] = process.argv
process.argv = [node, path.resolve(script), ...args]
process.on('exit', () => {
  let kb = process.resourceUsage().maxRSS
  try {
    kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? kb)
  } catch {
    /* not Linux */
  }
  process.stderr.write(`\nmaxRSS ${kb}\n`)
})
await import(pathToFileURL(path.resolve(script)).href)
