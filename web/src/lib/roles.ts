import type { Me, Role } from '../state'

/** The roles the nav offers the simulation page to; the API stays the judge. (Here, not in the page: the header imports no page.) */
export const SIM_ROLES: Role[] = ['planner', 'coordinator', 'admin']

/** Province-wide decisions (plans, incidents): a coordinator or admin. The API stays the judge. */
export const isCoordinator = (me: Me | null | undefined): boolean => me?.role === 'coordinator' || me?.role === 'admin'

/** The API's one rule for acting for a site (worker/services/auth.ts canWriteSite): a coordinator or admin, or this site's director or blood bank. */
export const canWriteSite = (me: Me | null | undefined, siteId: string | null | undefined): boolean =>
  isCoordinator(me) || ((me?.role === 'director' || me?.role === 'hospital') && !!siteId && me.siteId === siteId)

/** A user bound to one hospital (its blood bank) or a machine feed: the nav offers them only their own pages. */
export const isSiteOnly = (me: Me | null | undefined): boolean => me?.role === 'hospital' || me?.role === 'feed'
