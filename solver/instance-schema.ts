// zod 4 schema of a plan instance, with the cross-field checks the contract asks for.
// Descriptions are attached with .meta() so the API can publish the same schema in OpenAPI.
import { z } from 'zod'
import { ABOS, COMPONENTS, RHDS, URGENCIES } from './types'
import type { Instance } from './types'

const siteId = z.string().min(1).max(128).meta({ description: 'id of a site listed in `sites`' })
const component = z
  .enum(COMPONENTS)
  .meta({ description: 'WB whole blood, RBC red cells, PLT apheresis platelets, FFP fresh frozen plasma (100 mL units), CRYO cryoprecipitate' })
const abo = z.enum(ABOS).meta({ description: 'ABO group' })
const rhd = z.enum(RHDS).meta({ description: 'RhD type' })
const dateTime = z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601 date-time, e.g. 2026-01-20T08:00:00Z' })
/** The API's own bound on a quantity (a receipt, an aid request): larger numbers are typing errors, and an
 *  instance within these bounds plans in well under 2 s (README, "Limits"). */
export const MAX_UNITS = 100_000
export const MAX_SITES = 500
export const MAX_LOTS = 25_000
export const MAX_NEEDS = 2_500
export const MAX_RESERVES = 25_000
export const MAX_HOURS = 8_760
const units = z
  .number()
  .int()
  .nonnegative()
  .max(MAX_UNITS)
  .meta({ description: `whole units, 0 to ${MAX_UNITS}` })
const hours = z.number().nonnegative().max(MAX_HOURS)
const name = z.string().max(200)

export const SiteSchema = z
  .object({
    id: siteId,
    name,
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
  })
  .strict()
  .meta({ description: 'a site that holds stock or has a need' })

export const LotSchema = z
  .object({
    id: z.string().min(1).max(128).optional().meta({ description: 'lot id; a lot without one is named `#i` (its index in `lots`)' }),
    site: siteId,
    component,
    abo,
    rhd,
    qty: units,
    expiresAt: dateTime,
    antigens: z.string().max(200).optional().meta({
      description:
        "rare antigen profile the units carry, comma-separated, e.g. 'Fy(a-),Jk(a-b-)'; a lot with one serves only needs asking for antigens it covers (the rare pool is kept for them), and no reserve holds it",
    }),
    frozen: z.boolean().optional().meta({
      description:
        'frozen red cells (RBC only; 10 years at ≤ −65 °C): thawed and deglycerolised (options.thawHours, default 2 h) before dispatch, then 24 h of life; used only where no liquid unit serves as well',
    }),
  })
  .strict()
  .meta({ description: 'stock on hand' })

export const ReserveSchema = z
  .object({ site: siteId, component, abo, rhd, qty: units })
  .strict()
  .meta({ description: 'safety stock: transfers out of the site may not take its stock of this component and group below qty; local needs may use it' })

export const NeedSchema = z
  .object({
    id: z.string().min(1).max(128),
    site: siteId,
    component,
    abo,
    rhd,
    qty: units,
    urgency: z.enum(URGENCIES),
    neededBy: dateTime.optional().meta({ description: 'latest arrival; absent = any time' }),
    allowRhPositive: z.boolean().optional().meta({ description: 'RhD+ units may serve this RhD− need: only on an RhD− emergency need (consent, no anti-D)' }),
    antigens: z
      .string()
      .max(200)
      .optional()
      .meta({ description: "rare antigen profile the patient needs, e.g. 'Fy(a-)': only lots carrying every antigen listed serve it" }),
  })
  .strict()
  .meta({ description: 'what a site must have' })

export const OptionsSchema = z
  .object({
    minRemainingHours: z
      .object(Object.fromEntries(COMPONENTS.map((c) => [c, hours.optional()])) as Record<(typeof COMPONENTS)[number], z.ZodOptional<z.ZodNumber>>)
      .strict()
      .optional()
      .meta({ description: 'hours of shelf life a unit must still have on arrival, per component (defaults WB 72, RBC 72, PLT 12, FFP 168, CRYO 168)' }),
    mode: z.enum(['routine', 'disaster']).optional(),
    maxTransitHours: z
      .object(Object.fromEntries(COMPONENTS.map((c) => [c, hours.optional()])) as Record<(typeof COMPONENTS)[number], z.ZodOptional<z.ZodNumber>>)
      .strict()
      .optional()
      .meta({
        description:
          'longest road hours a unit may travel, per component; a longer route is never planned (defaults WB 24, RBC 24: 2–10 °C for at most 24 h; none for PLT, FFP, CRYO)',
      }),
    thawHours: hours.optional().meta({ description: 'hours to thaw and deglycerolise a frozen red-cell unit before dispatch (default 2)' }),
    thawedMinRemainingHours: hours.optional().meta({ description: 'hours of its 24 h after thawing a frozen unit must still have on arrival (default 6)' }),
  })
  .strict()

export const PlanInstanceSchema = z
  .object({
    now: dateTime.meta({ description: 'the moment the plan is made; arrival = now + travel hours' }),
    sites: z.array(SiteSchema).max(MAX_SITES),
    travelHours: z
      .record(z.string(), z.record(z.string(), hours))
      .optional()
      .meta({ description: 'road hours {from: {to: hours}}; a missing pair uses great-circle km × 1.3 / 60 km/h' }),
    lots: z.array(LotSchema).max(MAX_LOTS),
    reserves: z.array(ReserveSchema).max(MAX_RESERVES).optional(),
    needs: z.array(NeedSchema).max(MAX_NEEDS),
    options: OptionsSchema.optional(),
  })
  .strict()
  .superRefine((inst, ctx) => {
    // Cross-field checks: every referenced site exists, ids are unique.
    const sites = new Set<string>()
    inst.sites.forEach((s, i) => {
      if (sites.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sites', i, 'id'], message: `duplicate site id "${s.id}"` })
      sites.add(s.id)
    })
    const checkSite = (path: (string | number)[], id: string) => {
      if (!sites.has(id)) ctx.addIssue({ code: 'custom', path, message: `unknown site "${id}"` })
    }
    const lotNames = new Set<string>()
    inst.lots.forEach((l, i) => {
      checkSite(['lots', i, 'site'], l.site)
      const name = l.id ?? `#${i}`
      if (lotNames.has(name)) ctx.addIssue({ code: 'custom', path: ['lots', i, 'id'], message: `duplicate lot id "${name}"` })
      lotNames.add(name)
      if (l.frozen && l.component !== 'RBC') ctx.addIssue({ code: 'custom', path: ['lots', i, 'frozen'], message: 'only red cells (RBC) are banked frozen' })
    })
    // a given id may collide with the implicit name of an earlier id-less lot
    inst.reserves?.forEach((r, i) => {
      checkSite(['reserves', i, 'site'], r.site)
    })
    const needIds = new Set<string>()
    inst.needs.forEach((n, i) => {
      checkSite(['needs', i, 'site'], n.site)
      if (needIds.has(n.id)) ctx.addIssue({ code: 'custom', path: ['needs', i, 'id'], message: `duplicate need id "${n.id}"` })
      needIds.add(n.id)
      // The same rule as the API's aid requests: RhD+ units for an RhD− patient only in an emergency.
      if (n.allowRhPositive && n.rhd !== '-')
        ctx.addIssue({ code: 'custom', path: ['needs', i, 'allowRhPositive'], message: 'allowRhPositive only applies to an RhD-negative need' })
      else if (n.allowRhPositive && n.urgency !== 'emergency')
        ctx.addIssue({ code: 'custom', path: ['needs', i, 'allowRhPositive'], message: 'RhD-positive units for an RhD-negative patient only in an emergency' })
    })
    for (const [from, row] of Object.entries(inst.travelHours ?? {})) {
      checkSite(['travelHours', from], from)
      for (const to of Object.keys(row)) checkSite(['travelHours', from, to], to)
    }
  })
  .meta({ description: 'A plan instance: stock, reserves and needs of a region at one moment (docs/plan-instance.md)' })

export type PlanInstanceInput = z.input<typeof PlanInstanceSchema>

/** Bad input: `field` is the dotted path of the first offending field, e.g. `lots.3.qty`. */
export class InstanceError extends Error {
  readonly field: string
  readonly issues: { field: string; message: string }[]
  constructor(issues: { field: string; message: string }[]) {
    const first = issues[0] ?? { field: '', message: 'invalid instance' }
    super(first.field ? `${first.field}: ${first.message}` : first.message)
    this.name = 'InstanceError'
    this.field = first.field
    this.issues = issues
  }
}

/** Validate unknown input into an Instance; throws InstanceError naming the field. */
export function parseInstance(input: unknown): Instance {
  const r = PlanInstanceSchema.safeParse(input)
  if (r.success) return r.data as Instance
  // an unknown key is reported at its parent object: name the key itself
  const path = (iss: z.core.$ZodIssue) => (iss.code === 'unrecognized_keys' ? [...iss.path, iss.keys[0]] : iss.path)
  const issues = r.error.issues.map((iss) => ({ field: path(iss).map(String).join('.'), message: describeIssue(iss) }))
  throw new InstanceError(issues)
}

function describeIssue(iss: z.core.$ZodIssue): string {
  // zod's default messages are terse ("Invalid input"); make the common ones self-explanatory.
  const last = iss.path[iss.path.length - 1]
  if (iss.code === 'invalid_type' && iss.expected === 'int') return 'must be a whole number of units'
  if (iss.code === 'invalid_type' && /received undefined/.test(iss.message)) return `required field "${String(last)}" is missing`
  if (iss.code === 'too_small' && last === 'qty') return 'must not be negative'
  if (iss.code === 'too_big' && last === 'qty') return `at most ${MAX_UNITS} units`
  if (iss.code === 'too_big' && iss.origin === 'array') return `at most ${String(iss.maximum)} ${String(last)}`
  if (iss.code === 'unrecognized_keys') return `unknown field "${iss.keys[0]}"`
  if (iss.code === 'invalid_format' && iss.format === 'datetime') return 'must be an ISO-8601 date-time such as 2026-01-20T08:00:00Z'
  if (iss.code === 'invalid_value') return `${iss.message}`
  return iss.message
}
