import type { Actor } from './services/auth'

/**
 * The Hono environment: D1 and other bindings from wrangler.toml, plus the signed-in actor.
 * ALLOW_DEMO_TOKENS is deliberately not in wrangler.toml: only `npm start`, the UI tests' wrangler dev
 * (`--var ALLOW_DEMO_TOKENS:true`) and the Workers tests (vitest.config.ts) set it, so a deployed worker
 * accepts only tokens it issued (worker/lib/token.ts).
 */
export type AppEnv = { Bindings: Env & { ALLOW_DEMO_TOKENS?: string }; Variables: { actor: Actor } }
