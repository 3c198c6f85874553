-- Aid across the border (issue 24): one province asks another for blood; the other plans with its own planner and
-- offers, counters or declines; the asker accepts or declines the offer; the giver's stations dispatch and the asker's
-- station receives. Each side keeps its own row of the same aid (id minted by the asker), so both sides' rows can live
-- in one database (the Workers tests drive both sides in one D1): the primary key is (id, side).

CREATE TABLE province_aid (
  id             TEXT NOT NULL,                 -- 'aid_' + hex, minted by the asking province
  side           TEXT NOT NULL CHECK (side IN ('asker', 'giver')),
  asker          TEXT NOT NULL,                 -- the asking province
  giver          TEXT NOT NULL,                 -- the province asked
  site_id        TEXT NOT NULL,                 -- the asker's receiving station (its id in the asker's system)
  site_name_zh   TEXT NOT NULL,
  site_name_en   TEXT NOT NULL,
  site_lat       REAL NOT NULL,
  site_lng       REAL NOT NULL,
  dest_site      TEXT REFERENCES site(id),      -- giver: the external site standing for the receiving station, once planned
  component      TEXT NOT NULL REFERENCES component(code),
  abo            TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
  rhd            TEXT NOT NULL CHECK (rhd IN ('+', '-')),
  antigens       TEXT NOT NULL DEFAULT '',
  qty            INTEGER NOT NULL CHECK (qty > 0),
  urgency        TEXT NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'routine')),
  needed_by      TEXT NOT NULL,
  reason         TEXT NOT NULL,
  request_id     TEXT REFERENCES aid_request(id),  -- asker: the local request it serves (optional); giver: the need planned
  plan_id        TEXT REFERENCES plan(id),         -- giver: the plan the offer comes from
  status         TEXT NOT NULL CHECK (status IN ('requested', 'offered', 'declined', 'accepted', 'refused')),
  offer          TEXT,                          -- JSON {lines:[{transferId, fromSite, …, qty, etaHours}], qty, arriveBy, counter, note}
  offered_at     TEXT,
  decline_reason TEXT,                          -- the giver's reason to decline, or the asker's to refuse the offer
  created_by     TEXT NOT NULL,                 -- the asker's user (on the giver's side, as the message named them)
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  PRIMARY KEY (id, side),
  CHECK ((status IN ('offered', 'accepted', 'refused')) = (offer IS NOT NULL)),
  CHECK ((status IN ('declined', 'refused')) = (decline_reason IS NOT NULL))
);
CREATE INDEX province_aid_status ON province_aid(side, status, created_at);

-- The only moves an aid may make; a second accept (or an offer after a decline) fails its whole batch.
CREATE TRIGGER province_aid_status_guard BEFORE UPDATE OF status ON province_aid
WHEN NOT ((OLD.status = 'requested' AND NEW.status IN ('offered', 'declined'))
       OR (OLD.status = 'offered' AND NEW.status IN ('accepted', 'refused')))
BEGIN
  SELECT RAISE(ABORT, 'province_aid_status');
END;

-- What was sent and how it arrived, per transfer of the giver. Both sides keep a row (side), keyed by the giver's
-- transfer id; local_transfer is this side's transfer (the giver's own, or the asker's incoming one).
CREATE TABLE province_aid_shipment (
  transfer_id    TEXT NOT NULL,                 -- the giver's transfer id
  side           TEXT NOT NULL CHECK (side IN ('asker', 'giver')),
  aid_id         TEXT NOT NULL,
  local_transfer TEXT NOT NULL REFERENCES transfer(id),
  from_site      TEXT NOT NULL,                 -- the giver's station id
  from_name_zh   TEXT NOT NULL,
  from_name_en   TEXT NOT NULL,
  qty            INTEGER NOT NULL CHECK (qty > 0),
  units          TEXT NOT NULL,                 -- JSON [{component, abo, rhd, antigens, collectedAt, expiresAt, qty}]
  dispatch       TEXT NOT NULL,                 -- JSON transport record {temperatureC, carrier, packedAt, sealedAt, by, at}
  receipt        TEXT,                          -- JSON {receivedQty, acceptedQty, rejectedQty, rejectReason, temperatureC, by, at}
  status         TEXT NOT NULL CHECK (status IN ('dispatched', 'received')),
  PRIMARY KEY (transfer_id, side),
  FOREIGN KEY (aid_id, side) REFERENCES province_aid(id, side),
  CHECK ((status = 'received') = (receipt IS NOT NULL))
);
CREATE INDEX province_aid_shipment_aid ON province_aid_shipment(aid_id, side);

CREATE TRIGGER province_aid_shipment_once BEFORE UPDATE OF status ON province_aid_shipment
WHEN NOT (OLD.status = 'dispatched' AND NEW.status = 'received')
BEGIN
  SELECT RAISE(ABORT, 'province_aid_status');
END;

-- Asked, not taken, and not given before it is accepted: a transfer serving the need a giver planned for another
-- province's aid is committed (its stock reserved) only once that aid is accepted, whichever route commits it.
CREATE TRIGGER province_aid_commit_guard BEFORE UPDATE OF status ON transfer
WHEN NEW.status = 'committed' AND EXISTS (
  SELECT 1 FROM transfer_request tr JOIN province_aid pa ON pa.request_id = tr.request_id AND pa.side = 'giver'
  WHERE tr.transfer_id = NEW.id AND pa.status <> 'accepted')
BEGIN
  SELECT RAISE(ABORT, 'province_aid_not_accepted');
END;
