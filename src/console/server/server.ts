import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifySwagger from '@fastify/swagger'
import fastifyWebsocket from '@fastify/websocket'
import Fastify, { LogController } from 'fastify'
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { loadVenue, VenueFileError, formatProblem } from '../../config/index.js'
import type { Venue } from '../../config/schema/venue.js'
import { AlertStore, AuditLog, ConsoleUserStore, EvidenceStore, IdentityStore, openDatabase, TrajectoryStore, type Db } from '../../store/index.js'
import type { Logger } from '../../shared/log.js'
import { packageRoot } from '../../shared/paths.js'
import { LiveHub } from '../live/hub.js'
import { installAuth } from './auth.js'
import type { App, ConsoleContext } from './context.js'
import { loadIdentityKey, seedDemoIdentities } from './identities.js'
import { LiveFeed } from './live-socket.js'
import { LiveState } from './live-state.js'
import { alertRoutes } from './routes/alerts.js'
import { cameraLiveRoute } from './routes/camera-live.js'
import { missionRoutes } from './routes/missions.js'
import { peopleRoutes } from './routes/people.js'
import { trackRoutes } from './routes/tracks.js'
import { venueRoutes } from './routes/venue.js'
import { LoginLimiter, SessionTable } from './sessions.js'
import { TelemetrySampler } from './telemetry.js'
import { securityHeaders, serveStatic } from './static.js'

export interface ConsoleServerOptions {
  venue: Venue
  venueFile: string
  /** MQTT broker and the login of the venue's `console` principal. */
  url: string
  username: string
  password: string
  logger: Logger
  /** The store file the monitor writes (alerts, evidence, trajectories, audit). */
  dbFile: string
  /** Default: the venue file's console.http. */
  host?: string
  port?: number
  /** Sim clock for timestamps (`venue up`'s demo); sessions always use the wall clock. */
  clock?: () => number
  /** Folder of the page's static files (default dist/web under the package root). */
  webRoot?: string
  /** ffmpeg binary for the live view (default: ffmpeg on PATH). */
  ffmpeg?: string
}

export interface ConsoleAddress {
  host: string
  port: number
  url: string
}

/** The console role: HTTP API, page and WebSockets for venue staff (issue 8). No I/O until start(). */
export class ConsoleServer {
  private app: App | undefined
  private db: Db | undefined
  private state: LiveState | undefined
  private feed: LiveFeed | undefined
  private hub: LiveHub | undefined
  private sampler: TelemetrySampler | undefined
  private venue: Venue

  constructor(private readonly o: ConsoleServerOptions) {
    this.venue = o.venue
  }

  async start(): Promise<ConsoleAddress> {
    try {
      return await this.startInner()
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  private async startInner(): Promise<ConsoleAddress> {
    const o = this.o
    const logger = o.logger
    const clock = o.clock ?? Date.now
    const db = (this.db = openDatabase(o.dbFile))
    const users = new ConsoleUserStore(db)
    users.seed(this.venue.console.users, clock())
    // an in-memory store keeps nothing, so a throwaway key serves it (and no key file is created)
    const key = o.dbFile === ':memory:' ? randomBytes(32) : loadIdentityKey(this.venue, o.venueFile)
    const identities = new IdentityStore(db, key)
    if (this.venue.console.identities.demoNames) {
      const n = seedDemoIdentities(this.venue, identities)
      if (n > 0) logger.warn({ subjects: n }, 'seeded made-up demo names into the identity directory (console.identities.demoNames)')
    }
    const state = (this.state = new LiveState({ site: this.venue.site.id, url: o.url, username: o.username, password: o.password, logger }))
    await state.start()
    const hub = (this.hub = new LiveHub(() => ({ format: 'jpeg', ...this.venue.console.live }), logger, o.ffmpeg))
    let feed: LiveFeed | undefined
    const sampler = (this.sampler = new TelemetrySampler(state, this.venue, clock, (s) => feed?.telemetry(s)))
    const ctx: ConsoleContext = {
      venue: () => this.venue,
      reloadVenue: () => this.reload(users),
      state,
      audit: new AuditLog(db, () => new Date(clock())),
      alerts: new AlertStore(db),
      evidence: new EvidenceStore(db),
      trajectories: new TrajectoryStore(db, { flushInterval_ms: 0 }),
      users,
      identities,
      sessions: new SessionTable(this.venue.console.sessionIdle_min * 60_000),
      limiter: new LoginLimiter(),
      telemetry: sampler,
      live: hub,
      clock,
      logger,
    }
    feed = this.feed = new LiveFeed(ctx)
    const app = (this.app = await this.build(ctx, feed))
    feed.start()
    sampler.start()
    const host = o.host ?? this.venue.console.http.host
    await app.listen({ host, port: o.port ?? this.venue.console.http.port })
    const port = (app.server.address() as AddressInfo).port
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    logger.info({ url, users: users.list().length }, 'console listening')
    return { host, port, url }
  }

  private async build(ctx: ConsoleContext, feed: LiveFeed): Promise<App> {
    const proxies = this.venue.console.http.trustedProxies
    const app = Fastify({
      loggerInstance: this.o.logger,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 64 * 1024,
      // only the named proxies' forwarding headers are believed: anyone else could forge a client address
      trustProxy: proxies.length > 0 ? [...proxies] : false,
    }).withTypeProvider<ZodTypeProvider>()
    app.setValidatorCompiler(validatorCompiler)
    app.setSerializerCompiler(serializerCompiler)
    app.setErrorHandler((err, _req, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        return reply.code(400).send({ error: 'invalid request', issues: err.validation.map((v) => `${v.instancePath || '/'} ${v.message ?? ''}`.trim()) })
      }
      const code = typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500
      if (code >= 500) this.o.logger.error({ err }, 'console request failed')
      return reply.code(code).send({ error: code >= 500 ? 'internal error' : err instanceof Error ? err.message : String(err) })
    })
    app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not found' }))
    await app.register(fastifyCookie)
    await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } })
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'Venue Sentinel console API', version: '1', description: 'Session cookie venue_session from POST /api/session; roles operator, supervisor, admin.' },
        components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'venue_session' } } },
        security: [{ session: [] }],
      },
      transform: jsonSchemaTransform,
    })
    securityHeaders(app)
    installAuth(app, ctx)
    const origins = (): readonly string[] => this.venue.console.allowedOrigins
    venueRoutes(app, ctx)
    alertRoutes(app, ctx)
    trackRoutes(app, ctx)
    missionRoutes(app, ctx)
    peopleRoutes(app, ctx)
    feed.register(app, origins)
    cameraLiveRoute(app, ctx, origins)
    app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger())
    await serveStatic(app, this.o.webRoot ?? join(packageRoot(), 'dist', 'web'))
    await app.ready()
    return app
  }

  /** Cameras being watched live and by how many viewers. */
  liveViewers(): Record<string, number> {
    return this.hub?.viewers() ?? {}
  }

  /** Re-read the venue file; the running venue stays when it has problems. */
  private async reload(users: ConsoleUserStore): Promise<{ ok: true } | { ok: false; errors: string[] }> {
    try {
      const { venue } = await loadVenue(this.o.venueFile)
      if (venue.site.id !== this.venue.site.id) return { ok: false, errors: [`site.id changed (${this.venue.site.id} -> ${venue.site.id}): restart the console`] }
      this.venue = venue
      users.seed(venue.console.users, Date.now())
      this.o.logger.info({ file: this.o.venueFile }, 'venue file reloaded')
      return { ok: true }
    } catch (err) {
      if (err instanceof VenueFileError) return { ok: false, errors: err.problems.map((p) => formatProblem(p)) }
      return { ok: false, errors: [err instanceof Error ? err.message : String(err)] }
    }
  }

  async stop(): Promise<void> {
    this.feed?.stop()
    this.hub?.stop()
    this.sampler?.stop()
    await this.app?.close()
    await this.state?.stop()
    this.db?.close()
    this.app = undefined
    this.state = undefined
    this.db = undefined
    this.feed = undefined
    this.hub = undefined
    this.sampler = undefined
  }
}
