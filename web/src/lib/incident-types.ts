/** The incident API's shapes, inferred from worker/schemas/incident (type-only: nothing of the worker is bundled). */
type Schemas = typeof import('../../../worker/schemas/incident')
type Infer<T> = import('zod').infer<T>

export type Incident = Infer<Schemas['Incident']>
export type IncidentSummary = Infer<Schemas['IncidentSummary']>
export type IncidentReport = Infer<Schemas['IncidentReport']>
export type EstimateLine = Incident['estimate']['lines'][number]
export type StationOutlook = NonNullable<Incident['response']>['stations'][number]
export type TimelineEntry = Infer<Schemas['TimelineEntry']>
/** The kinds of incident, in the order the declare form offers them. */
export { INCIDENT_KINDS } from '../../../solver/incident-demand'
