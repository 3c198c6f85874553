import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './env'
import { issueField, renderError, reply } from './errors'
import { authenticate } from './middleware/authenticate'
import { pokeCouriers } from './link/courier'
import { limitBody } from './middleware/body-limit'
import { siteScope } from './middleware/site-scope'
import { pokeLinkAfterWrites } from './middleware/link-poke'
import { feedScope } from './middleware/feed-scope'
import { audit } from './routes/audit'
import { callups } from './routes/callups'
import { callupLinks } from './routes/callup-links'
import { linkDonors } from './routes/link-donors'
import { csv } from './routes/csv'
import { deferrals } from './routes/deferrals'
import { donors } from './routes/donors'
import { events } from './routes/events'
import { feed } from './routes/feed'
import { incidents } from './routes/incidents'
import { link } from './routes/link'
import { me } from './routes/me'
import { movements } from './routes/movements'
import { network } from './routes/network'
import { plans } from './routes/plans'
import { provinceAid } from './routes/province-aid'
import { provinces } from './routes/provinces'
import { reports } from './routes/reports'
import { requests } from './routes/requests'
import { roadTimes } from './routes/road-times'
import { simulations } from './routes/simulations'
import { sites } from './routes/sites'
import { siteContactRoutes } from './routes/site-contact'
import { hospitals } from './routes/hospitals'
import { orders } from './routes/orders'
import { stock } from './routes/stock'
import { transfers } from './routes/transfers'
import { users } from './routes/users'
import { warnings } from './routes/warnings'
import { refreshAllWarnings } from './services/warnings'

/** Any schema failure answers 400 naming the first field at fault. */
const app = new OpenAPIHono<AppEnv>({
  defaultHook: (result, c) => {
    if (!result.success) {
      const issue = result.error.issues[0]
      return reply(c, 400, 'invalid_input', issue.message, issueField(issue))
    }
  },
})

app.doc31('/api/openapi.json', {
  openapi: '3.1.0',
  info: {
    title: 'Blood dispatch API',
    version: '0.1.0',
    description: 'Regional blood stock, warnings, aid requests and transfer planning for Sichuan–Chongqing.',
  },
})
app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
app.openAPIRegistry.registerComponent('securitySchemes', 'link', { type: 'apiKey', in: 'header', name: 'X-Link-Signature' })
app.get('/api/health', (c) => c.json({ ok: true }))

app.use('/api/*', limitBody)
app.use('/api/*', authenticate)
app.use('/api/*', siteScope)
app.use('/api/*', pokeLinkAfterWrites)
app.use('/api/*', feedScope)
app.route('/api/me', me)
app.route('/api/sites', sites)
app.route('/api/stock', stock)
app.route('/api/movements', movements)
app.route('/api/csv', csv)
app.route('/api/requests', requests)
app.route('/api/warnings', warnings)
app.route('/api/plans', plans)
app.route('/api/transfers', transfers)
app.route('/api/audit', audit)
app.route('/api/events', events)
app.route('/api/simulations', simulations)
app.route('/api/users', users)
app.route('/api/incidents', incidents)
app.route('/api/donors', donors)
app.route('/api/deferrals', deferrals)
app.route('/api/callups', callups)
app.route('/api/callup-links', callupLinks)
app.route('/api/link/donors', linkDonors)
app.route('/api/road-times', roadTimes)
app.route('/api/network', network)
app.route('/api/site-contact', siteContactRoutes)
app.route('/api/hospitals', hospitals)
app.route('/api/orders', orders)
app.route('/api/link', link)
app.route('/api/provinces', provinces)
app.route('/api/reports', reports)
app.route('/api/feed', feed)
app.route('/api/province-aid', provinceAid)

app.notFound((c) => reply(c, 404, 'not_found', 'No such route'))
app.onError(renderError)

export default {
  fetch: app.fetch,
  // Hourly: recompute warning levels so a change is recorded even when no stock moves.
  scheduled: async (_controller: ScheduledController, env: Env, ctx: ExecutionContext) => {
    ctx.waitUntil(refreshAllWarnings(env.DB))
    // and the link's couriers, in case a poke was lost (their alarms persist; this is the belt to those braces)
    ctx.waitUntil(pokeCouriers(env))
  },
} satisfies ExportedHandler<Env>

export { app }
export { LinkCourier } from './link/courier'
