/** SQL for machine feeds: the lots a site holds now (a complete snapshot counts the unlisted ones as 0). */
export const selectHeldLotIds = (db: D1Database, siteId: string) =>
  db
    .prepare('SELECT id FROM lot WHERE site_id = ?1 AND qty > 0 ORDER BY id')
    .bind(siteId)
    .all<{ id: string }>()
    .then((r) => r.results.map((x) => x.id))
