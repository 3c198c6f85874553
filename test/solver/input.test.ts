import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { main } from '../../solver/cli'
import { InstanceError, parseInstance, planFromJson, PlanInstanceSchema } from '../../solver/index'
import { checkFeasible } from './check'

const example = JSON.parse(readFileSync('solver/example-instance.json', 'utf8'))
const mutate = (f: (x: any) => void) => {
  const x = structuredClone(example)
  f(x)
  return x
}
function errorOf(input: unknown): InstanceError {
  try {
    parseInstance(input)
  } catch (e) {
    if (e instanceof InstanceError) return e
    throw e
  }
  throw new Error('expected an InstanceError')
}

describe('bad input names the field', () => {
  it.each([
    ['fractional qty', (x: any) => (x.lots[3].qty = 1.5), 'lots.3.qty', /whole number/],
    ['negative qty', (x: any) => (x.needs[0].qty = -2), 'needs.0.qty', /negative/],
    ['negative reserve', (x: any) => (x.reserves[0].qty = -1), 'reserves.0.qty', /negative/],
    ['unknown site on a lot', (x: any) => (x.lots[2].site = 'ZZ'), 'lots.2.site', /unknown site "ZZ"/],
    ['unknown site on a need', (x: any) => (x.needs[1].site = 'XX'), 'needs.1.site', /unknown site/],
    ['unknown site on a reserve', (x: any) => (x.reserves[0].site = 'QQ'), 'reserves.0.site', /unknown site/],
    ['unknown site in travelHours', (x: any) => (x.travelHours = { CD: { QQ: 2 } }), 'travelHours.CD.QQ', /unknown site/],
    ['unknown component', (x: any) => (x.lots[0].component = 'PLASMA'), 'lots.0.component', /RBC/],
    ['unknown ABO group', (x: any) => (x.needs[2].abo = 'C'), 'needs.2.abo', /AB/],
    ['unknown RhD', (x: any) => (x.lots[1].rhd = 'pos'), 'lots.1.rhd', /expected one of "\+"\|"-"/],
    ['malformed expiry', (x: any) => (x.lots[4].expiresAt = '2026-02-30 noon'), 'lots.4.expiresAt', /ISO-8601/],
    ['malformed now', (x: any) => (x.now = 'yesterday'), 'now', /ISO-8601/],
    ['malformed deadline', (x: any) => (x.needs[0].neededBy = 12), 'needs.0.neededBy', /expected string, received number/],
    ['duplicate need id', (x: any) => (x.needs[2].id = 'r1'), 'needs.2.id', /duplicate need id "r1"/],
    ['duplicate lot id', (x: any) => (x.lots[1].id = 'L1'), 'lots.1.id', /duplicate lot id/],
    [
      'lot id colliding with an implicit #i name',
      (x: any) => {
        delete x.lots[0].id
        x.lots[1].id = '#0'
      },
      'lots.1.id',
      /duplicate lot id "#0"/,
    ],
    ['duplicate site id', (x: any) => (x.sites[2].id = 'CD'), 'sites.2.id', /duplicate site/],
    ['missing urgency', (x: any) => delete x.needs[1].urgency, 'needs.1.urgency', /expected one of "emergency"\|"urgent"\|"routine"/],
    ['missing qty', (x: any) => delete x.lots[0].qty, 'lots.0.qty', /missing/],
    [
      'allowRhPositive on a routine RhD− need',
      (x: any) => Object.assign(x.needs[0], { rhd: '-', urgency: 'routine', allowRhPositive: true }),
      'needs.0.allowRhPositive',
      /only in an emergency/,
    ],
    [
      'allowRhPositive on an urgent RhD− need',
      (x: any) => Object.assign(x.needs[1], { rhd: '-', urgency: 'urgent', allowRhPositive: true }),
      'needs.1.allowRhPositive',
      /only in an emergency/,
    ],
    [
      'allowRhPositive on an RhD+ need',
      (x: any) => Object.assign(x.needs[0], { rhd: '+', urgency: 'emergency', allowRhPositive: true }),
      'needs.0.allowRhPositive',
      /RhD-negative need/,
    ],
    ['frozen on a lot that is not red cells', (x: any) => Object.assign(x.lots[0], { component: 'FFP', frozen: true }), 'lots.0.frozen', /only red cells/],
    ['maxTransitHours below zero', (x: any) => Object.assign(x, { options: { maxTransitHours: { RBC: -1 } } }), 'options.maxTransitHours.RBC', /.+/],
    ['unknown component in options', (x: any) => (x.options = { minRemainingHours: { XX: 1 } }), 'options.minRemainingHours.XX', /XX/],
  ])('%s', (_name, f, field, msg) => {
    const e = errorOf(mutate(f))
    expect(e.field).toBe(field)
    expect(e.message).toContain(field)
    expect(e.message).toMatch(msg)
  })

  it('non-object input', () => {
    expect(errorOf(null)).toBeInstanceOf(InstanceError)
    expect(errorOf({}).field).toBe('now')
  })

  it('planFromJson never returns a plan for bad input', () => {
    expect(() => planFromJson(mutate((x) => (x.lots[0].qty = 0.5)))).toThrow(InstanceError)
  })

  it('the schema is a zod schema with descriptions (for OpenAPI)', () => {
    const json = PlanInstanceSchema.safeParse(example)
    expect(json.success).toBe(true)
    expect(PlanInstanceSchema.meta()?.description).toMatch(/plan instance/)
  })
})

describe('example instance', () => {
  it('is solved completely and feasibly', () => {
    const inst = parseInstance(example)
    const r = planFromJson(example)
    checkFeasible(inst, r)
    expect(r.unmet).toEqual([
      { need: 'r1', qty: 0 },
      { need: 'r2', qty: 0 },
      { need: 'r3', qty: 0 },
    ])
    // r2 (O− emergency, 8 h) can only be served by NC's O−; r3 by NC's B+ platelets
    expect(r.allocations.find((a) => a.need === 'r2')).toMatchObject({ fromSite: 'NC', abo: 'O', rhd: '-', qty: 4, lots: [{ id: 'L3', qty: 4 }] })
    expect(r.allocations.find((a) => a.need === 'r3')).toMatchObject({ fromSite: 'NC', abo: 'B', rhd: '+', qty: 3, lots: [{ id: 'L4', qty: 3 }] })
    // r1 (A+): local A+ first, then Chengdu's A+ (identical before O+)
    expect(r.allocations.filter((a) => a.need === 'r1').map((a) => [a.fromSite, a.abo + a.rhd, a.qty])).toEqual([
      ['CD', 'A+', 30],
      ['YB', 'A+', 10],
    ])
  })
})

describe('CLI', () => {
  it('prints the plan for a file and exits 0', () => {
    const r = main(['solver/example-instance.json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(planFromJson(example))
    expect(r.stderr).toBe('')
  })

  it('reads standard input with -', () => {
    const r = main(['-'], () => JSON.stringify(example))
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).status).toBe('optimal')
  })

  it('exits 2 naming the field on a bad instance', () => {
    const r = main(['-'], () => JSON.stringify(mutate((x) => (x.lots[3].qty = -4))))
    expect(r).toMatchObject({ code: 2, stdout: '' })
    expect(r.stderr).toMatch(/lots\.3\.qty/)
    const rhPos = main(['-'], () => JSON.stringify(mutate((x) => Object.assign(x.needs[0], { rhd: '-', urgency: 'routine', allowRhPositive: true }))))
    expect(rhPos).toMatchObject({ code: 2, stdout: '' })
    expect(rhPos.stderr).toMatch(/needs\.0\.allowRhPositive/)
  })

  it('exits 2 on invalid JSON, a missing file or no argument', () => {
    expect(main(['-'], () => '{"now":')).toMatchObject({ code: 2, stdout: '' })
    expect(main(['-'], () => '{"now":').stderr).toMatch(/invalid JSON/)
    expect(main(['/nonexistent/file.json'])).toMatchObject({ code: 2, stdout: '' })
    expect(main([]).code).toBe(2)
  })

  it('as a process: exit status 0 with JSON on stdout, 2 with the field on stderr', async () => {
    const run = promisify(execFile)
    const ok = await run('node_modules/.bin/tsx', ['solver/cli.ts', 'solver/example-instance.json'])
    expect(JSON.parse(ok.stdout).unmet).toHaveLength(3)
    const bad = await run('node_modules/.bin/tsx', ['solver/cli.ts', 'package.json']).then(
      () => null,
      (e: { code: number; stderr: string; stdout: string }) => e,
    )
    expect(bad).not.toBeNull()
    expect(bad!.code).toBe(2)
    expect(bad!.stdout).toBe('')
    expect(bad!.stderr).toMatch(/invalid instance: now/)
  })
})
