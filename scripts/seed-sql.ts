// Prints the demo region's SQL for the current time (or --now <ISO>), for
//   npx tsx scripts/seed-sql.ts > demo.sql && npx wrangler d1 execute DB --local --file demo.sql
// Load it into a database with the migrations applied and no other data.
import { demoSql } from '../seed/demo-sql'

const i = process.argv.indexOf('--now')
const now = i > 0 ? new Date(process.argv[i + 1]) : new Date()
if (Number.isNaN(now.getTime())) {
  console.error('Usage: tsx scripts/seed-sql.ts [--now 2026-11-23T08:00:00Z]')
  process.exit(2)
}
const statements = await demoSql({ now })
process.stdout.write(`-- Blood-dispatch demo region at ${now.toISOString()} (${statements.length} statements)\n`)
process.stdout.write(statements.map((s) => `${s};\n`).join(''))
