-- RhD-positive red cells for an RhD-negative patient: a record, not a flag (issue 20 §6). Who gave consent (the
-- patient or their representative) and when, that the antibody screen shows no anti-D, and a note on the patient
-- (age, sex, condition) so the plan review and the dispatch sheet can show why it is acceptable.
ALTER TABLE aid_request ADD COLUMN rh_consent_by TEXT;
ALTER TABLE aid_request ADD COLUMN rh_consent_at TEXT;
ALTER TABLE aid_request ADD COLUMN rh_anti_d_screen TEXT CHECK (rh_anti_d_screen IN ('negative'));
ALTER TABLE aid_request ADD COLUMN rh_patient_note TEXT;

-- Requests still to plan that accepted RhD-positive units without a record accept them no longer: the station files
-- the record (a new request) if the patient still needs them. Audited; requests already closed keep their history.
INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
  SELECT 'migration-0051', 'request.rh_consent_missing', 'aid_request', id,
         json_object('allowRhPositive', json('false'), 'reason', 'RhD-positive units now need a consent record with a negative anti-D screen'),
         strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM aid_request WHERE allow_rh_positive = 1 AND status IN ('open', 'planned', 'partly_fulfilled');
UPDATE aid_request SET allow_rh_positive = 0 WHERE allow_rh_positive = 1 AND status IN ('open', 'planned', 'partly_fulfilled');

-- The guard: no new or changed request accepts RhD-positive units without the whole record.
CREATE TRIGGER aid_request_rh_consent_insert BEFORE INSERT ON aid_request
WHEN NEW.allow_rh_positive = 1 AND (NEW.rh_consent_by IS NULL OR NEW.rh_consent_at IS NULL OR NEW.rh_anti_d_screen IS NOT 'negative' OR NEW.rh_patient_note IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'rh_consent: RhD-positive units need who consented, when, a negative anti-D screen and a patient note');
END;
CREATE TRIGGER aid_request_rh_consent_update BEFORE UPDATE OF allow_rh_positive, rh_consent_by, rh_consent_at, rh_anti_d_screen, rh_patient_note ON aid_request
WHEN NEW.allow_rh_positive = 1 AND (NEW.rh_consent_by IS NULL OR NEW.rh_consent_at IS NULL OR NEW.rh_anti_d_screen IS NOT 'negative' OR NEW.rh_patient_note IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'rh_consent: RhD-positive units need who consented, when, a negative anti-D screen and a patient note');
END;

-- Frozen red cells (issue 20 §2; GB 18469-2012: 10 years at ≤ −65 °C, 24 h at 2–6 °C once thawed and
-- deglycerolised). A lot is frozen or liquid; only red cells are banked frozen. A lot of thawed units records when
-- they were thawed (its expiry is 24 h from then): they are never frozen again.
ALTER TABLE lot ADD COLUMN frozen INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1));
ALTER TABLE lot ADD COLUMN thawed_at TEXT;

CREATE TRIGGER lot_frozen_insert BEFORE INSERT ON lot
WHEN (NEW.frozen = 1 AND NEW.component <> 'RBC') OR (NEW.frozen = 1 AND NEW.thawed_at IS NOT NULL)
BEGIN
  SELECT RAISE(ABORT, 'lot_frozen: only red cells are kept frozen, and thawed units are never frozen again');
END;
CREATE TRIGGER lot_frozen_update BEFORE UPDATE OF frozen, thawed_at, component ON lot
WHEN NEW.frozen <> OLD.frozen OR NEW.thawed_at IS NOT OLD.thawed_at OR NEW.component <> OLD.component
BEGIN
  SELECT RAISE(ABORT, 'lot_frozen: a lot stays frozen or liquid as received');
END;

-- Thawing is a step of the transfer: who thawed the frozen units it carries, and when (once, while committed).
-- thaw_hours: the thawing and deglycerolising time the planner counted in eta_hours (null: none, or not planned so).
ALTER TABLE transfer ADD COLUMN thaw_hours REAL CHECK (thaw_hours IS NULL OR thaw_hours >= 0);
ALTER TABLE transfer ADD COLUMN thawed_at TEXT;
ALTER TABLE transfer ADD COLUMN thawed_by TEXT REFERENCES user(id);

CREATE TRIGGER transfer_thaw_once BEFORE UPDATE OF thawed_at, thawed_by ON transfer
WHEN OLD.thawed_at IS NOT NULL OR NEW.thawed_at IS NULL OR NEW.thawed_by IS NULL OR OLD.status <> 'committed'
  OR NOT EXISTS (SELECT 1 FROM transfer_lot tl JOIN lot l ON l.id = tl.lot_id WHERE tl.transfer_id = OLD.id AND l.frozen = 1)
BEGIN
  SELECT RAISE(ABORT, 'transfer_thaw: only a committed transfer of frozen units is thawed, once');
END;

-- A transfer carrying frozen units leaves the donor only thawed.
CREATE TRIGGER transfer_frozen_dispatch BEFORE UPDATE OF status ON transfer
WHEN NEW.status = 'dispatched' AND NEW.thawed_at IS NULL
  AND EXISTS (SELECT 1 FROM transfer_lot tl JOIN lot l ON l.id = tl.lot_id WHERE tl.transfer_id = OLD.id AND l.frozen = 1)
BEGIN
  SELECT RAISE(ABORT, 'transfer_not_thawed: thaw the frozen units before dispatch');
END;
