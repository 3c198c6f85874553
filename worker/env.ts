import type { Actor } from './services/auth'

/**
 * The Hono environment: D1 and other bindings from wrangler.toml, plus the signed-in actor.
 * ALLOW_DEMO_TOKENS is deliberately not in wrangler.toml: only `npm start`, the UI tests' wrangler dev
 * (`--var ALLOW_DEMO_TOKENS:true`) and the Workers tests (vitest.config.ts) set it, so a deployed worker
 * accepts only tokens it issued (worker/lib/token.ts).
 * PLAN_WORK_LIMIT overrides the planner's work budget (solver/budget.ts), e.g. for a test of the limit.
 * TRUST_CF_CONNECTING_IP=true (wrangler.toml, deployed) lets the failure throttle key on CF-Connecting-IP,
 * which Cloudflare's edge sets; locally a client could forge it (worker/services/throttle.ts).
 * LINK_SECRET is the link's HMAC key (worker/link/config.ts): a `wrangler secret`, never a var in wrangler.toml.
 */
export type AppEnv = {
  Bindings: Env & { ALLOW_DEMO_TOKENS?: string; PLAN_WORK_LIMIT?: string; TRUST_CF_CONNECTING_IP?: string; LINK_SECRET?: string }
  Variables: { actor: Actor }
}
