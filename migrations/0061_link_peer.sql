-- How each peer province's link stands, as this province last saw it (issue 24): GET /api/provinces says
-- "unreachable since" when a peer does not answer, and the courier (worker/link/courier.ts) records its last
-- delivery and error here, so an admin sees a silent peer without reading the outbox.
CREATE TABLE link_peer (
  province          TEXT PRIMARY KEY,
  last_ok_at        TEXT,             -- the last time the peer answered (a delivery or its summary)
  unreachable_since TEXT,             -- set at the first failure after a success, cleared by the next success
  last_error        TEXT
);
