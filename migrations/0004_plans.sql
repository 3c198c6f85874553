-- Review, dispatch and receipt details of a transfer: who reviewed it and when, why it was rejected, and when
-- it was committed, dispatched and received (despite the file's name, it changes only the transfer tables;
-- there is no 0003). Comments may be corrected; an applied migration's SQL never changes.
-- proposed_lots / proposed_requests keep the planner's original lines (JSON [{lotId|requestId, qty}]) so a
-- quantity lowered in review can be raised again up to proposed_qty and the lines rebuilt from them.
ALTER TABLE transfer ADD COLUMN proposed_lots TEXT NOT NULL DEFAULT '[]';
ALTER TABLE transfer ADD COLUMN proposed_requests TEXT NOT NULL DEFAULT '[]';
ALTER TABLE transfer ADD COLUMN reviewed_by TEXT;
ALTER TABLE transfer ADD COLUMN reviewed_at TEXT;
ALTER TABLE transfer ADD COLUMN reject_reason TEXT;
ALTER TABLE transfer ADD COLUMN committed_at TEXT;
ALTER TABLE transfer ADD COLUMN dispatched_at TEXT;
ALTER TABLE transfer ADD COLUMN received_at TEXT;
CREATE INDEX transfer_from ON transfer(from_site, status);
CREATE INDEX transfer_request_request ON transfer_request(request_id);
