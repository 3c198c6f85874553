import { Validator, type Schema } from '@cfworker/json-schema'
import { exports } from 'cloudflare:workers'

/**
 * Every response a Workers test receives is checked against the app's own /api/openapi.json, so a schema that
 * drifts from what a route really answers fails the test that saw it. @cfworker/json-schema rather than Ajv:
 * Ajv compiles with `new Function`, which workerd refuses (EvalError under wrangler dev; the test pool allows it
 * only for vitest's own module loading, and the check should not lean on that).
 *
 * The check is stricter than the document in one way: an object accepts only the properties it describes
 * (zod's objects are open in OpenAPI), since an undocumented field is exactly the drift to catch.
 */

type Json = any
type Operation = { responses?: Record<string, { content?: Record<string, { schema?: Json }> }> }
type Route = { pattern: RegExp; path: string; methods: Record<string, Operation> }

let spec: Promise<{ routes: Route[]; defs: Record<string, Json> }> | undefined
const validators = new Map<string, Validator>()

async function loadSpec() {
  const res = await exports.default.fetch('http://test/api/openapi.json')
  const doc = (await res.json()) as Json
  const routes: Route[] = Object.entries(doc.paths as Record<string, Record<string, Operation>>).map(([path, methods]) => ({
    path,
    methods,
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
  }))
  // A literal segment wins over a parameter (/api/plans/preview before /api/plans/{id}).
  routes.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0))
  const defs: Record<string, Json> = {}
  for (const [name, schema] of Object.entries((doc.components?.schemas ?? {}) as Record<string, Json>)) {
    defs[name] = closed(schema, false)
    defs[`${name}__open`] = closed(schema, true)
  }
  return { routes, defs }
}

/** The schema with `#/components/schemas/X` as `#/$defs/X` and every object closed; `open` leaves the top level open (a member of an allOf). */
function closed(node: Json, open: boolean): Json {
  if (Array.isArray(node)) return node.map((n) => closed(n, false))
  if (!node || typeof node !== 'object') return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace('#/components/schemas/', '#/$defs/') + (open ? '__open' : '')
    else if (k === 'allOf') out.allOf = (v as Json[]).map((m) => closed(m, true))
    else if (k === 'properties' || k === 'patternProperties' || k === '$defs')
      out[k] = Object.fromEntries(Object.entries(v as Record<string, Json>).map(([p, s]) => [p, closed(s, false)]))
    else if (typeof v === 'object') out[k] = closed(v, false)
    else out[k] = v
  }
  if (!open && node.allOf && node.unevaluatedProperties === undefined) out.unevaluatedProperties = false
  else if (!open && node.properties && node.additionalProperties === undefined && node.unevaluatedProperties === undefined) out.additionalProperties = false
  return out
}

/** Throws, naming the route and what differs, when a response is not what /api/openapi.json says it is. */
export async function checkResponse(method: string, url: string, status: number, contentType: string | null, body: unknown) {
  spec ??= loadSpec()
  const { routes, defs } = await spec
  const path = new URL(url, 'http://test').pathname
  if (path === '/api/openapi.json' || path === '/api/health') return
  const route = routes.find((r) => r.pattern.test(path) && r.methods[method.toLowerCase()])
  if (!route) {
    if (status === 404 || status === 405) return // an unknown route: the app's not-found answer
    throw new Error(`OpenAPI drift: ${method} ${path} answered ${status} but /api/openapi.json has no such operation`)
  }
  const op = route.methods[method.toLowerCase()]
  const response = op.responses?.[String(status)] ?? op.responses?.default
  const where = `${method.toUpperCase()} ${route.path} ${status}`
  if (!response) throw new Error(`OpenAPI drift: ${where} is not a documented response (documented: ${Object.keys(op.responses ?? {}).join(', ')})`)
  if (!contentType?.includes('application/json')) return // CSV and other non-JSON bodies: the status is checked above
  const schema = response.content?.['application/json']?.schema
  if (!schema) throw new Error(`OpenAPI drift: ${where} answers JSON but documents no JSON body`)
  let validator = validators.get(where)
  if (!validator) {
    validator = new Validator({ ...closed(schema, false), $defs: defs } as Schema, '2020-12', false)
    validators.set(where, validator)
  }
  const result = validator.validate(body)
  if (!result.valid) {
    // the deepest errors say what is wrong; the rest repeat it up the tree
    const errors = result.errors.filter((e) => !/^(Property|Items|Item at index|A subschema had errors)/.test(e.error)).slice(0, 8)
    const say = (e: { error: string }) => (/False boolean schema/.test(e.error) ? 'a field /api/openapi.json does not describe' : e.error)
    const lines = (errors.length ? errors : result.errors.slice(0, 8)).map((e) => `  ${e.instanceLocation}: ${say(e)} (schema ${e.keywordLocation})`)
    throw new Error(`OpenAPI drift: ${where} body does not match /api/openapi.json\n${lines.join('\n')}`)
  }
}
