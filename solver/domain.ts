// The domain's lists, written once. The solver is pure, so the API (worker/), the demo seed and the UI
// (web/, through Vite) import them from here instead of writing them out again.

/** Blood components, in the catalogue's order: whole blood, red cells, platelets, plasma, cryoprecipitate. */
export const COMPONENTS = ['WB', 'RBC', 'PLT', 'FFP', 'CRYO'] as const
export type Component = (typeof COMPONENTS)[number]

/** ABO groups, O first (the universal red-cell donor). */
export const ABOS = ['O', 'A', 'B', 'AB'] as const
export type Abo = (typeof ABOS)[number]

/** RhD: + positive, - negative. */
export const RHDS = ['+', '-'] as const
export type Rhd = (typeof RHDS)[number]

/** Urgencies, most urgent first; URGENCY_RANK[u] is u's place in that order (0 = emergency). */
export const URGENCIES = ['emergency', 'urgent', 'routine'] as const
export type Urgency = (typeof URGENCIES)[number]
export const URGENCY_RANK = Object.fromEntries(URGENCIES.map((u, i) => [u, i])) as Record<Urgency, number>

/** Stock warning levels (库存预警), least severe first; LEVEL_RANK[l] is l's severity (0 = normal). */
export const LEVELS = ['normal', 'yellow', 'orange', 'red'] as const
export type Level = (typeof LEVELS)[number]
export const LEVEL_RANK = Object.fromEntries(LEVELS.map((l, i) => [l, i])) as Record<Level, number>
