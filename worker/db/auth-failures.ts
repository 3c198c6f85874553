// Failed authentication per client: SQL only (the rules are in services/throttle.ts).

export const selectFailures = (db: D1Database, client: string) =>
  db.prepare('SELECT failures, first_at AS firstAt FROM auth_failure WHERE client = ?1').bind(client).first<{ failures: number; firstAt: string }>()

/** One more failure, atomically; a window that started before `windowStart` starts again at 1. */
export const recordFailure = (db: D1Database, client: string, at: string, windowStart: string) =>
  db
    .prepare(
      `INSERT INTO auth_failure (client, failures, first_at, last_at) VALUES (?1, 1, ?2, ?2)
       ON CONFLICT (client) DO UPDATE SET
         failures = CASE WHEN first_at < ?3 THEN 1 ELSE failures + 1 END,
         first_at = CASE WHEN first_at < ?3 THEN ?2 ELSE first_at END,
         last_at = ?2
       RETURNING failures, first_at AS firstAt`,
    )
    .bind(client, at, windowStart)
    .first<{ failures: number; firstAt: string }>()
