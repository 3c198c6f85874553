declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
    NATIONAL_DB_A: D1Database
    NATIONAL_DB_B: D1Database
  }
}
