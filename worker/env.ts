import type { Actor } from './services/auth'

/** The Hono environment: D1 and other bindings from wrangler.toml, plus the signed-in actor. */
export type AppEnv = { Bindings: Env; Variables: { actor: Actor } }
