import type { AppEnv } from './env'

/**
 * The national view's bindings (wrangler.national.toml, written by scripts/national-config.ts): DB, its own
 * database (its users), and each province's database as DB_<CODE>, named in NATIONAL_PROVINCES. It reads them only.
 */
export type NationalEnv = {
  Bindings: AppEnv['Bindings'] & { NATIONAL_PROVINCES?: string } & { [binding: `DB_${string}`]: D1Database | undefined }
  Variables: AppEnv['Variables']
}
