import type { Role } from '../state'

/** The roles the nav offers the simulation page to; the API stays the judge. (Here, not in the page: the header imports no page.) */
export const SIM_ROLES: Role[] = ['planner', 'coordinator', 'admin']
