/** Incidents: declare, estimate, plan (with every open request, in disaster mode), green channel, close and report. */
export { declareIncident, patchIncident, putEstimate } from './declare'
export { getIncident, incidentTimeline, listIncidents } from './read'
export { afterIncidentPlan, materialiseIncident, openGreenChannel } from './respond'
export { closeIncident, incidentReport, reportCsv } from './report'
