import path from 'node:path'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// Tests (and the wrangler dev the UI tests start) need nothing from request.cf: don't download it.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'
process.env.WRANGLER_SEND_METRICS ??= 'false'

// Three projects: the pure solver in Node, the API inside workerd against a real
// local D1 with the real migrations, and the UI in headless Chromium on `wrangler dev`.
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'solver', include: ['test/solver/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              // ALLOW_DEMO_TOKENS: what `npm start` sets locally (test/worker/routes/users.test.ts checks the deployed config without it)
              // TRUST_CF_CONNECTING_IP: the tests play Cloudflare's edge, one address per client (worker/services/throttle.ts)
              bindings: {
                ALLOW_DEMO_TOKENS: 'true',
                TRUST_CF_CONNECTING_IP: 'true',
                TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, 'migrations')),
              },
              // two more databases: two provinces for the national summary (test/worker/services/national-summary.test.ts)
              d1Databases: ['NATIONAL_DB_A', 'NATIONAL_DB_B'],
            },
          }),
        ],
        test: { name: 'worker', include: ['test/worker/**/*.test.ts'], setupFiles: ['./test/apply-migrations.ts'] },
      },
      {
        test: { name: 'web', include: ['test/web/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false },
      },
      {
        // two provincial systems (two wrangler dev) and the link between them, killed and restarted: heavy, run alone
        test: { name: 'link', include: ['test/link/**/*.test.ts'], environment: 'node', testTimeout: 300_000, hookTimeout: 300_000, fileParallelism: false },
      },
    ],
  },
})
