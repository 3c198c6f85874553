/** Now as ISO-8601 UTC (2026-01-20T08:00:00.000Z), the form every stored timestamp takes. */
export const nowIso = () => new Date().toISOString()
