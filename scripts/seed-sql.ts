// Prints the demo region's SQL for the current time (or --now <ISO>), for
//   npx tsx scripts/seed-sql.ts > demo.sql && npx wrangler d1 execute DB --local --file demo.sql
// Load it into a database with the migrations applied and no other data.
// --province Sichuan|Chongqing prints that province's own system only (issue 24: its sites, stock, users, donors).
import { demoRegion } from '../seed/demo'
import { demoRegionSql } from '../seed/demo-sql'
import { PROVINCES, provinceRegion, type Province } from '../seed/provinces'

const arg = (name: string) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}
const now = arg('--now') ? new Date(arg('--now')!) : new Date()
const province = arg('--province')
if (Number.isNaN(now.getTime()) || (province !== undefined && !PROVINCES.includes(province as Province))) {
  console.error(`Usage: tsx scripts/seed-sql.ts [--now 2026-11-23T08:00:00Z] [--province ${PROVINCES.join('|')}]`)
  process.exit(2)
}
const region = await demoRegion({ now })
const statements = demoRegionSql(province ? await provinceRegion(region, province as Province) : region)
process.stdout.write(`-- Blood-dispatch demo region${province ? ` (${province})` : ''} at ${now.toISOString()} (${statements.length} statements)\n`)
process.stdout.write(statements.map((s) => `${s};\n`).join(''))
