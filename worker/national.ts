// The national view: one worker bound read-only to every province's own D1 database (wrangler.national.toml,
// written by scripts/national-config.ts). It answers GET /api/national/summary; its users live in its own DB.
import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './env'
import { issueField, renderError, reply } from './errors'
import { authenticate } from './middleware/authenticate'
import type { NationalEnv } from './national-env'
import { national } from './routes/national'

const app = new OpenAPIHono<NationalEnv>({
  defaultHook: (result, c) => {
    if (!result.success) {
      const issue = result.error.issues[0]
      return reply(c, 400, 'invalid_input', issue.message, issueField(issue))
    }
  },
})
app.doc31('/api/openapi.json', { openapi: '3.1.0', info: { title: 'Blood dispatch: national view', version: '0.1.0' } })
app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
app.get('/api/health', (c) => c.json({ ok: true }))
// the province worker's authentication, over the national view's own users (DB)
app.use('/api/*', authenticate)
app.route('/api/national', national)
app.notFound((c) => reply(c, 404, 'not_found', 'No such route'))
app.onError(renderError)

export default { fetch: app.fetch } satisfies ExportedHandler<AppEnv['Bindings']>
export { app }
