import type { WebSocket } from 'ws'
import type { App, ConsoleContext } from './context.js'
import { fail, sessionOf } from './context.js'
import type { BusUpdate } from './live-state.js'
import { originAllowed } from './origin.js'
import { SESSION_COOKIE } from './sessions.js'
import type { TelemetrySample } from './telemetry.js'

/** At most 5 track messages a second: the monitor may publish faster than a page can draw. */
const TRACKS_EVERY_MS = 200
const PING_EVERY_MS = 15_000
/** A page this far behind gets no more track frames until it catches up (the next one replaces them anyway). */
const MAX_BUFFERED = 1 << 20

export type LiveMessage = BusUpdate | { type: 'hello'; user: string; role: string; now: string } | { type: 'telemetry'; sample: TelemetrySample }

/**
 * GET /api/live: the page's feed. On connect a hello and the latest of everything, then every bus
 * change as it comes, tracks throttled to 5 Hz, and a telemetry sample every 10 s. A session that
 * ends (logout, idle, user removed) closes the socket at the next ping.
 */
export class LiveFeed {
  private readonly sockets = new Set<WebSocket>()
  private pendingTracks: BusUpdate | undefined
  private timer: NodeJS.Timeout | undefined
  private unsubscribe: (() => void) | undefined

  constructor(private readonly ctx: ConsoleContext) {}

  start(): void {
    this.unsubscribe = this.ctx.state.onUpdate((u) => {
      if (u.type === 'tracks') this.pendingTracks = u
      else this.broadcast(u)
    })
    this.timer = setInterval(() => {
      const t = this.pendingTracks
      this.pendingTracks = undefined
      if (t !== undefined) this.broadcast(t, true)
    }, TRACKS_EVERY_MS)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
    this.unsubscribe?.()
    for (const ws of this.sockets) ws.close(1001, 'console stopping')
    this.sockets.clear()
  }

  telemetry(sample: TelemetrySample): void {
    this.broadcast({ type: 'telemetry', sample })
  }

  register(app: App, allowedOrigins: () => readonly string[]): void {
    app.route({
      method: 'GET',
      url: '/api/live',
      schema: { summary: 'WebSocket: live updates (hello, bus, tracks, alert, robot, camera, mission, edge, telemetry)', tags: ['live'] },
      preHandler: async (req, reply) => {
        if (!originAllowed(req, allowedOrigins())) return fail(reply, 403, 'origin not allowed')
      },
      handler: async (_req, reply) => fail(reply, 426, 'this is a WebSocket'),
      wsHandler: (socket, req) => {
        const s = sessionOf(req)
        const token = req.cookies[SESSION_COOKIE]
        this.sockets.add(socket)
        let alive = true
        socket.on('pong', () => (alive = true))
        const ping = setInterval(() => {
          if (!alive || this.ctx.sessions.touch(token) === undefined) {
            socket.close(4401, 'session ended')
            return
          }
          alive = false
          socket.ping()
        }, PING_EVERY_MS)
        socket.on('close', () => {
          clearInterval(ping)
          this.sockets.delete(socket)
        })
        socket.on('error', () => socket.terminate())
        this.send(socket, { type: 'hello', user: s.user, role: s.role, now: new Date(this.ctx.clock()).toISOString() })
        for (const u of this.ctx.state.snapshot()) this.send(socket, u)
      },
    })
  }

  private broadcast(m: LiveMessage, droppable = false): void {
    const text = JSON.stringify(m)
    for (const ws of this.sockets) {
      if (droppable && ws.bufferedAmount > MAX_BUFFERED) continue
      if (ws.readyState === ws.OPEN) ws.send(text)
    }
  }

  private send(ws: WebSocket, m: LiveMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m))
  }
}
