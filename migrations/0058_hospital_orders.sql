-- Hospital orders (issue 23): a hospital's blood bank orders from the station that supplies it (its parent site),
-- routinely or as an emergency call. Filling an order is the station's issue to that hospital: a transfer
-- station → hospital written dispatched, with its transport record; the hospital receives it as any transfer is
-- received, and the order follows (trigger below).
CREATE TABLE hospital_order (
  id          TEXT PRIMARY KEY,
  hospital_id TEXT NOT NULL REFERENCES site(id),
  station_id  TEXT NOT NULL REFERENCES site(id),
  kind        TEXT NOT NULL CHECK (kind IN ('routine', 'emergency')),
  component   TEXT NOT NULL REFERENCES component(code),
  abo         TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
  rhd         TEXT NOT NULL CHECK (rhd IN ('+', '-')),
  qty         INTEGER NOT NULL CHECK (qty > 0),
  needed_by   TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'received', 'cancelled', 'declined')),
  transfer_id TEXT UNIQUE REFERENCES transfer(id),   -- one transfer fills one order
  reason      TEXT,                                  -- why it was cancelled or declined
  created_by  TEXT NOT NULL REFERENCES user(id),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  decided_by  TEXT REFERENCES user(id),
  decided_at  TEXT,
  -- filled and received orders have their transfer; others none. A declined order says why.
  CHECK ((status IN ('filled', 'received')) = (transfer_id IS NOT NULL)),
  CHECK (status <> 'declined' OR length(reason) > 0)
);
CREATE INDEX hospital_order_hospital ON hospital_order(hospital_id, status);
CREATE INDEX hospital_order_station ON hospital_order(station_id, status);

-- The ordering site is a hospital and the station is the one that supplies it.
CREATE TRIGGER hospital_order_parties BEFORE INSERT ON hospital_order
WHEN COALESCE((SELECT kind = 'hospital' AND parent_id = NEW.station_id FROM site WHERE id = NEW.hospital_id), 0) = 0
BEGIN
  SELECT RAISE(ABORT, 'hospital_order_parties: an order goes from a hospital to the station that supplies it');
END;

-- The only moves an order may make: two directors filling at once, or a fill racing a cancel, fail whole.
CREATE TRIGGER hospital_order_status BEFORE UPDATE OF status ON hospital_order
WHEN NEW.status <> OLD.status AND NOT (
     (OLD.status = 'open'   AND NEW.status IN ('filled', 'cancelled', 'declined'))
  OR (OLD.status = 'filled' AND NEW.status = 'received'))
  OR (NEW.status = OLD.status)
BEGIN
  SELECT RAISE(ABORT, 'hospital_order_status: not allowed from the order''s current status');
END;

-- The hospital's receipt of the transfer is the order's receipt.
CREATE TRIGGER hospital_order_received AFTER UPDATE OF status ON transfer
WHEN NEW.status = 'received'
BEGIN
  UPDATE hospital_order SET status = 'received', updated_at = NEW.updated_at WHERE transfer_id = NEW.id AND status = 'filled';
END;
