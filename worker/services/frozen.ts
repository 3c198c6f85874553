// Frozen red cells (issue 20 §2; GB 18469-2012, docs/domain-facts.md): rare red cells are banked frozen at
// ≤ −65 °C for up to 10 years; once thawed and deglycerolised they keep 24 h at 2–6 °C and are never refrozen.

/** The longest a frozen red-cell lot may keep from collection: 10 years, leap days included. */
export const FROZEN_RBC_SHELF_LIFE_HOURS = 3653 * 24
/** How long thawed (deglycerolised) red cells keep. */
export const THAWED_SHELF_LIFE_HOURS = 24
/** The ledger reason of thawed units that were not used: discarded, never back to frozen stock. */
export const THAWED_UNUSED = 'thawed, unused'

/** The expiry of units thawed at `thawedAt` from a lot expiring at `lotExpiresAt`: 24 h, never beyond the lot's own. */
export function thawedExpiry(thawedAt: string, lotExpiresAt: string): string {
  const t = Date.parse(thawedAt) + THAWED_SHELF_LIFE_HOURS * 3_600_000
  return new Date(Math.min(t, Date.parse(lotExpiresAt))).toISOString()
}
