import type { FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { ConsoleRole } from '../../config/schema/console.js'
import type { Venue } from '../../config/schema/venue.js'
import type { AlertStore, AuditLog, ConsoleUserStore, EvidenceStore, IdentityStore, TrajectoryStore } from '../../store/index.js'
import type { Logger } from '../../shared/log.js'
import type { LiveHub } from '../live/hub.js'
import type { LiveState } from './live-state.js'
import type { LoginLimiter, Session, SessionTable } from './sessions.js'
import type { TelemetrySampler } from './telemetry.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a session (login, the OpenAPI document, the page's static files). */
    public?: boolean
    /** Roles allowed; absent: any logged-in user. */
    roles?: readonly ConsoleRole[]
  }
  interface FastifyRequest {
    session?: Session
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, ZodTypeProvider>

/** Everything the routes share. */
export interface ConsoleContext {
  /** The venue as last loaded (an admin reload replaces it). */
  venue(): Venue
  reloadVenue(): Promise<{ ok: true } | { ok: false; errors: string[] }>
  state: LiveState
  audit: AuditLog
  alerts: AlertStore
  evidence: EvidenceStore
  trajectories: TrajectoryStore
  users: ConsoleUserStore
  identities: IdentityStore
  sessions: SessionTable
  limiter: LoginLimiter
  telemetry: TelemetrySampler
  live: LiveHub
  clock: () => number
  logger: Logger
}

/** The session a route's hook checked; routes that are not public always have one. */
export function sessionOf(req: FastifyRequest): Session {
  if (req.session === undefined) throw new Error(`no session on ${req.url}: the route must not be public`)
  return req.session
}

export const fail = (reply: FastifyReply, code: number, error: string): FastifyReply => reply.code(code).send({ error })
