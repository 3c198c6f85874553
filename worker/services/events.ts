import { selectEvents, selectLastEventId } from '../db/events'
import type { EventPageT } from '../schemas/event'
import type { Actor } from './auth'

/**
 * Changes to requests, transfers and plans after a cursor. A director sees those concerning their own station;
 * coordinators, planners and admins see all. Without a cursor the answer is the current one, so a page that has
 * just loaded polls from now on.
 */
export async function listEvents(db: D1Database, actor: Actor, q: { since?: number; limit: number }): Promise<EventPageT> {
  if (q.since === undefined) return { events: [], cursor: await selectLastEventId(db) }
  // a director: their station's (its hospitals' orders included); a hospital's blood bank: its own hospital's
  const site = actor.role === 'director' || actor.role === 'hospital' || actor.role === 'feed' ? actor.siteId : null
  const events = await selectEvents(db, { since: q.since, limit: q.limit, site })
  // a director's filtered page may skip rows: the cursor still moves past what was read
  return { events, cursor: events.length ? events[events.length - 1].id : q.since }
}
