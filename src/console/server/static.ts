import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import { packageRoot } from '../../shared/paths.js'
import type { App } from './context.js'

/**
 * The page (built by its own step into `webRoot`) at `/`, and uPlot from node_modules at
 * `/vendor/uplot/`. Without a built page, `/` says how to build it instead of a bare 404.
 */
export async function serveStatic(app: App, webRoot: string): Promise<void> {
  const uplot = join(packageRoot(), 'node_modules', 'uplot', 'dist')
  if (existsSync(uplot)) await app.register(fastifyStatic, { root: uplot, prefix: '/vendor/uplot/', decorateReply: false, index: false })
  if (existsSync(join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', decorateReply: false, index: 'index.html' })
    return
  }
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(`<!doctype html><title>Venue console</title><p>The console page is not built (no ${webRoot}/index.html). The API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>`),
  )
}

/** Headers for every answer: no framing (clickjacking), no sniffing, no referrer, scripts only from here. */
export function securityHeaders(app: App): void {
  app.addHook('onSend', async (req, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff')
    void reply.header('x-frame-options', 'DENY')
    void reply.header('referrer-policy', 'no-referrer')
    void reply.header('content-security-policy', "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'")
    if (req.url.startsWith('/api/')) void reply.header('cache-control', 'no-store')
    return payload
  })
}
