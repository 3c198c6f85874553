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
