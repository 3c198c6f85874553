// `npm run --silent plan -- FILE.json` (or `-` for stdin): prints the plan result as JSON.
// Exit 2 on unreadable file, invalid JSON or an invalid instance, with the field named on stderr.
import { readFileSync } from 'node:fs'
import { InstanceError, planFromJson } from './index'

export function main(argv: string[], readStdin: () => string = () => readFileSync(0, 'utf8')): { code: number; stdout: string; stderr: string } {
  const file = argv[0]
  if (!file) return { code: 2, stdout: '', stderr: 'usage: plan FILE.json   (or - for standard input)\n' }
  let text: string
  try {
    text = file === '-' ? readStdin() : readFileSync(file, 'utf8')
  } catch (e) {
    return { code: 2, stdout: '', stderr: `cannot read ${file}: ${(e as Error).message}\n` }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return { code: 2, stdout: '', stderr: `invalid JSON in ${file}: ${(e as Error).message}\n` }
  }
  try {
    return { code: 0, stdout: JSON.stringify(planFromJson(json), null, 2) + '\n', stderr: '' }
  } catch (e) {
    if (e instanceof InstanceError) {
      const rest = e.issues
        .slice(1)
        .map((i) => `\n  ${i.field}: ${i.message}`)
        .join('')
      return { code: 2, stdout: '', stderr: `invalid instance: ${e.field}: ${e.issues[0]?.message}${rest}\n` }
    }
    throw e
  }
}

const isMain = process.argv[1] !== undefined && /cli\.(ts|mjs)$/.test(process.argv[1])
if (isMain) {
  const r = main(process.argv.slice(2))
  process.stdout.write(r.stdout)
  process.stderr.write(r.stderr)
  process.exitCode = r.code
}
