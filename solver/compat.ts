// ABO/RhD compatibility and the clinical preference rank (docs/domain-facts.md).
import type { Abo, Component, Rhd } from './types'

/** Red-cell ABO rule: O→any, A→A/AB, B→B/AB, AB→AB. */
function redCellAbo(donor: Abo, recipient: Abo): boolean {
  return donor === 'O' || donor === recipient || recipient === 'AB'
}
/** Plasma ABO rule (FFP, CRYO, PLT): AB→any, A→A/O, B→B/O, O→O. */
function plasmaAbo(donor: Abo, recipient: Abo): boolean {
  return donor === 'AB' || donor === recipient || recipient === 'O'
}
export const usesPlasmaRule = (c: Component) => c === 'FFP' || c === 'CRYO' || c === 'PLT'
export const ignoresRhd = (c: Component) => c === 'FFP' || c === 'CRYO'
/** the ABO group that serves everyone under the component's rule */
const universalAbo = (c: Component): Abo => (usesPlasmaRule(c) ? 'AB' : 'O')

export interface NeedGroup {
  abo: Abo
  rhd: Rhd
  allowRhPositive?: boolean
}

export function isCompatible(c: Component, donorAbo: Abo, donorRhd: Rhd, need: NeedGroup): boolean {
  const aboOk = c === 'WB' ? donorAbo === need.abo : usesPlasmaRule(c) ? plasmaAbo(donorAbo, need.abo) : redCellAbo(donorAbo, need.abo)
  if (!aboOk) return false
  if (ignoresRhd(c)) return true
  // RhD− may serve RhD+; RhD+ may serve RhD− only with explicit consent on the need.
  return donorRhd === '-' || need.rhd === '+' || need.allowRhPositive === true
}

/**
 * Preference rank of a compatible donor group for a need: 0 = identical, higher = later.
 * ABO tier: 0 identical, 1 other, 2 universal donor (O for red cells, AB for plasma) — the
 * universal group is the last resort. RhD: for an RhD− need every RhD− option comes before any
 * RhD+ one (domain order A−: A−, O−, A+, O+); for an RhD+ need RhD+ stock comes first so the
 * scarce RhD− stock (and O− last of all) is kept for RhD− patients. Ranks are 0..5.
 */
export function preferenceRank(c: Component, donorAbo: Abo, donorRhd: Rhd, need: NeedGroup): number {
  const aboTier = donorAbo === need.abo ? 0 : donorAbo === universalAbo(c) ? 2 : 1
  if (ignoresRhd(c)) return aboTier * 2 + (donorRhd === need.rhd ? 0 : 1)
  return (donorRhd === need.rhd ? 0 : 3) + aboTier
}
