-- A new plan supersedes the open plans that cover the same aid requests (docs/plans-and-transfers.md, "Superseded
-- plans"): the older plan becomes `superseded` (naming the newer one) and its proposed and approved transfers are
-- closed with close_reason `superseded`, so only one plan per request is ever live. SQLite cannot change a CHECK in
-- place: each column is rebuilt beside the old one (same values), the old one dropped and the new one renamed.

ALTER TABLE plan ADD COLUMN status_v2 TEXT NOT NULL DEFAULT 'review' CHECK (status_v2 IN ('review', 'committed', 'closed', 'superseded'));
UPDATE plan SET status_v2 = status;
ALTER TABLE plan DROP COLUMN status;
ALTER TABLE plan RENAME COLUMN status_v2 TO status;
ALTER TABLE plan ADD COLUMN superseded_by TEXT REFERENCES plan(id);
ALTER TABLE plan ADD COLUMN superseded_at TEXT;

ALTER TABLE transfer ADD COLUMN close_reason_v2 TEXT CHECK (close_reason_v2 IN ('rejected', 'not_approved_at_commit', 'cancelled', 'superseded'));
UPDATE transfer SET close_reason_v2 = close_reason;
ALTER TABLE transfer DROP COLUMN close_reason;
ALTER TABLE transfer RENAME COLUMN close_reason_v2 TO close_reason;

-- A superseded plan stays superseded: committing it (which sets it committed) fails inside the commit's batch, and a
-- superseded plan always names the plan that replaced it.
CREATE TRIGGER plan_superseded_final BEFORE UPDATE OF status ON plan
WHEN OLD.status = 'superseded' AND NEW.status <> 'superseded'
BEGIN
  SELECT RAISE(ABORT, 'plan superseded');
END;

CREATE TRIGGER plan_superseded_names_newer BEFORE UPDATE OF status ON plan
WHEN NEW.status = 'superseded' AND NEW.superseded_by IS NULL
BEGIN
  SELECT RAISE(ABORT, 'a superseded plan names the plan that replaced it');
END;
