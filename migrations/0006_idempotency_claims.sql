-- Idempotency-Key claims for writes that record no movement_batch (a plan from live data). The claim is the
-- first statement of the write's db.batch(): a second call with the same key, even a concurrent one, fails on
-- the primary key, so nothing of it is written, and it answers the first call's entity (or 409 when the
-- request differs, by request_hash).
CREATE TABLE idempotency_claim (
  actor_id        TEXT NOT NULL REFERENCES user(id),
  idempotency_key TEXT NOT NULL,
  action          TEXT NOT NULL,   -- e.g. 'plan.create'
  request_hash    TEXT NOT NULL,
  entity_id       TEXT NOT NULL,   -- what the first call made, e.g. the plan id
  at              TEXT NOT NULL,
  PRIMARY KEY (actor_id, idempotency_key)
);
