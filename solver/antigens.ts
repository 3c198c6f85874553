// Rare antigen profiles (e.g. 'Fy(a-),Jk(a-b-)'): the form the API's lots and aid requests use.
// One place for the matching rule, for the solver's network and the worker's rare-donor pool.

/** A rare antigen profile such as 'Fy(a-),Jk(a-b-)' as a set; '' (or absent) is the empty set. */
export const antigenSet = (s: string | undefined) =>
  new Set(
    (s ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  )

/** The profile written one way (sorted, no spaces), so equal sets give equal keys; '' for none. */
export const profileKey = (s: string | undefined) => [...antigenSet(s)].sort().join(',')

/** A lot may serve an antigen-matched need when it carries every antigen the need asks for. */
export const coversAntigens = (lot: string | undefined, need: string | undefined) => {
  const have = antigenSet(lot)
  return [...antigenSet(need)].every((a) => have.has(a))
}

/** The planner's rule: a need asking for antigens takes only lots carrying every one of them, and
 *  lots with a profile are kept for such needs (the regional rare pool): an ordinary need never
 *  takes them. Profiles in `profileKey` form. */
export const antigensServe = (lotProfile: string, needProfile: string) =>
  needProfile === '' ? lotProfile === '' : lotProfile !== '' && coversAntigens(lotProfile, needProfile)
