import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { selectSite } from '../db/sites'
import { reply } from '../errors'

/**
 * A hospital's blood bank (role hospital) may call only the routes below, and a route that names a site in its
 * query only for its own site; everything else answers 403 before any handler runs, so a route added later is
 * closed to it until listed here. Site-level checks that need the database (whose order, whose transfer, whose
 * lot) stay in the services (services/auth.ts canWriteSite / canReadSite).
 */
type Rule = { method: string; path: RegExp; ownSite?: 'query' | 'path' | 'pathOrStation' }
const HOSPITAL_ROUTES: Rule[] = [
  { method: 'GET', path: /^\/api\/me\/?$/ },
  // the stations' list names the sender of a delivery and the station in an alert; never the other hospitals
  { method: 'GET', path: /^\/api\/sites\/?$/ },
  { method: 'GET', path: /^\/api\/sites\/([A-Z0-9]+)$/, ownSite: 'pathOrStation' },
  { method: 'GET', path: /^\/api\/stock\/?$/, ownSite: 'query' },
  { method: 'GET', path: /^\/api\/stock\/lots\/?$/, ownSite: 'query' },
  { method: 'GET', path: /^\/api\/movements\/?$/, ownSite: 'query' },
  { method: 'POST', path: /^\/api\/movements\/?$/ },
  { method: 'GET', path: /^\/api\/transfers\/?$/, ownSite: 'query' },
  { method: 'GET', path: /^\/api\/transfers\/[^/]+$/ },
  { method: 'POST', path: /^\/api\/transfers\/[^/]+\/receive$/ },
  { method: 'GET', path: /^\/api\/orders\/?$/ },
  { method: 'POST', path: /^\/api\/orders\/?$/ },
  { method: 'GET', path: /^\/api\/orders\/[^/]+$/ },
  { method: 'POST', path: /^\/api\/orders\/[^/]+\/(cancel|receive)$/ },
  { method: 'POST', path: /^\/api\/hospitals\/([A-Z0-9]+)\/returns$/, ownSite: 'path' },
  { method: 'GET', path: /^\/api\/events\/?$/ },
]

export const siteScope = createMiddleware<AppEnv>(async (c, next) => {
  const actor = c.get('actor')
  if (actor?.role !== 'hospital') return next()
  const own = actor.siteId
  const rule = HOSPITAL_ROUTES.find((r) => r.method === c.req.method && r.path.test(c.req.path))
  if (!rule) return reply(c, 403, 'forbidden', `A hospital blood bank may not call ${c.req.method} ${c.req.path}`)
  if (rule.ownSite === 'path' && rule.path.exec(c.req.path)?.[1] !== own)
    return reply(c, 403, 'forbidden', `You may act only for your own hospital ${own}`, 'id')
  if (rule.ownSite === 'pathOrStation') {
    const id = rule.path.exec(c.req.path)?.[1]
    if (id !== own && id !== (await selectSite(c.env.DB, own!))?.parentId)
      return reply(c, 403, 'forbidden', `Your blood bank reads its own site and its station's only`, 'id')
  }
  if (c.req.path.match(/^\/api\/sites\/?$/) && (c.req.query('kind') === 'hospital' || c.req.query('parent')))
    return reply(c, 403, 'forbidden', 'A hospital blood bank does not list other hospitals', 'kind')
  if (rule.ownSite === 'query' && c.req.query('site') !== own)
    return reply(c, 403, 'forbidden', `Your blood bank reads only its own site: add site=${own}`, 'site')
  await next()
})
