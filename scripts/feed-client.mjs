#!/usr/bin/env node
// Example machine feed client (README, "Stock feeds for machines"): posts a stock snapshot or a batch of movements
// for the site its token is bound to, as JSON or CSV, under a batch key, and prints the answer: what was applied,
// or every bad line (lines.3.abo …) when nothing was. A retry with the same batch key is applied once.
//
//   FEED_TOKEN=bd_… node scripts/feed-client.mjs snapshot YB stock.csv   [--key snapshot-2026-12-06T08]
//   FEED_TOKEN=bd_… node scripts/feed-client.mjs movements YB moves.json [--url http://127.0.0.1:8787]
//
// The file's extension says its format: .csv is sent as text/csv, anything else as JSON. No dependencies: Node 18+.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

const args = process.argv.slice(2)
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args.splice(i, 2)[1] : fallback
}
const base = flag('url', process.env.FEED_URL ?? 'http://127.0.0.1:8787')
const keyArg = flag('key', null)
const [kind, site, file] = args
const token = process.env.FEED_TOKEN
if (!['snapshot', 'movements'].includes(kind) || !site || !file || !token) {
  console.error('usage: FEED_TOKEN=… node scripts/feed-client.mjs snapshot|movements <site> <file.csv|file.json> [--key <batch key>] [--url <base>]')
  process.exit(2)
}

const body = readFileSync(file, 'utf8')
const csv = file.endsWith('.csv')
// The batch key: one per batch the sender's system produces. A resend of the same batch (after a timeout, say) must
// reuse it; by default it is derived from the file's name and content, so resending the same file is harmless.
const key = keyArg ?? `${kind}-${basename(file)}-${await digest(body)}`

const res = await fetch(`${base}/api/feed/${kind}?site=${encodeURIComponent(site)}`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': csv ? 'text/csv' : 'application/json' },
  body,
})
const answer = await res.json()
if (res.ok) {
  const replayed = res.headers.get('idempotent-replayed') === 'true'
  console.log(
    `${res.status} ${replayed ? 'already applied (same batch key)' : 'applied'}: batch ${answer.batchId}, ${answer.lines} lines, ` +
      `${answer.movements.length} ledger rows (${answer.received} new lots, ${answer.adjusted} counts changed)`,
  )
} else {
  console.log(`${res.status} ${answer.error.code}: ${answer.error.message}`)
  for (const [field, problem] of Object.entries(answer.error.detail ?? {})) console.log(`  ${field}: ${problem}`)
  process.exitCode = 1
}

async function digest(text) {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Buffer.from(hash).toString('hex').slice(0, 16)
}
