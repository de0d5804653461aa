import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import sharp from 'sharp'
import { WebSocketServer, type WebSocket } from 'ws'
import { loadVenue, type Venue } from '../../src/config/index.js'
import { demoVenueFile } from '../../src/shared/paths.js'
import { fromRoot } from './paths.js'
import { FakeWorld } from './fake-world.js'

/**
 * A stand-in for the console server, speaking its HTTP and WebSocket contract (issue 8) over a
 * made-up world, with the real server's Content-Security-Policy. The page's own tests and the
 * frame-rate bench use it: they test the page, with any number of people, without a venue running.
 */

const USERS: Record<string, { password: string; role: string }> = {
  operator: { password: 'dev-operator', role: 'operator' },
  supervisor: { password: 'dev-supervisor', role: 'supervisor' },
  admin: { password: 'dev-admin', role: 'admin' },
}
const CSP = "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' }

export interface FakeConsole {
  url: string
  world: FakeWorld
  /** Publish an alert (contract shape; defaults filled) to the feed and the list; returns it. */
  raise: (fields: Record<string, unknown>) => Record<string, unknown>
  /** Drop every live socket (the page must show the loss and reconnect by itself). */
  dropSockets: () => void
  /** Refuse new live sockets while true (a server that is down). */
  refuseLive: (on: boolean) => void
  /** Tell the pages that the console's link to the broker went down or came back. */
  busLink: (connected: boolean) => void
  stop: () => Promise<void>
}

function venueView(v: Venue, world: FakeWorld): Record<string, unknown> {
  return {
    site: { id: v.site.id, name: v.site.name },
    floor: { name: v.floor.name, width_m: v.floor.width_m, height_m: v.floor.height_m, zones: v.floor.zones, doors: v.floor.doors },
    graph: { nodes: v.navigation.nodes.map((n) => ({ id: n.id, xy: n.at, zone: n.zone })), edges: v.navigation.edges },
    cameras: v.cameras.map((c) => ({ id: c.id, zones: c.zones, edgeNode: c.edgeNode })),
    robots: [...world.bots.values()].map((b) => ({ id: b.id, kind: b.kind })),
    projects: v.roster.projects.map((p) => ({ id: p.id, rooms: p.rooms, experts: p.experts })),
  }
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

export async function startFakeConsole(opts: { people: number; hz?: number; robots?: number }): Promise<FakeConsole> {
  const { venue } = await loadVenue(demoVenueFile())
  const world = new FakeWorld(venue, opts.people)
  if (opts.robots !== undefined) world.addRovers(opts.robots)
  const view = venueView(venue, world)
  const alerts = new Map<string, Record<string, unknown>>()
  const sessions = new Map<string, string>()
  const sockets = new Set<WebSocket>()
  let refuse = false
  let alertSeq = 0
  const jpeg = await sharp({ create: { width: 160, height: 90, channels: 3, background: { r: 40, g: 90, b: 140 } } }).jpeg().toBuffer()
  const webRoot = fromRoot('dist', 'web')
  const uplotRoot = fromRoot('node_modules', 'uplot', 'dist')

  const cameraStatus = (camera: string, node: string, now: number): Record<string, unknown> => ({
    schemaVersion: '1.0.0',
    timestamp: new Date(now).toISOString(),
    camera,
    node,
    state: 'online',
    since: new Date(now - 60_000).toISOString(),
    fps: 5,
    lastFrameAt: new Date(now - 150).toISOString(),
    droppedFrames: 0,
  })
  const broadcast = (m: Record<string, unknown>): void => {
    const text = JSON.stringify(m)
    for (const ws of sockets) ws.send(text)
  }
  const userOf = (req: IncomingMessage): string | undefined => {
    const m = /(?:^|;\s*)fake_session=([a-z0-9]+)/.exec(req.headers.cookie ?? '')
    return m?.[1] === undefined ? undefined : sessions.get(m[1])
  }
  const json = (res: ServerResponse, code: number, v: unknown): void => {
    res.writeHead(code, { 'content-type': 'application/json', 'content-security-policy': CSP })
    res.end(JSON.stringify(v))
  }

  const api = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> => {
    const method = req.method ?? 'GET'
    if (path === '/api/session' && method === 'POST') {
      const b = await body(req)
      const u = USERS[String(b['username'])]
      if (u === undefined || u.password !== b['password']) return json(res, 401, { error: 'wrong user name or password' })
      const token = Math.random().toString(36).slice(2)
      sessions.set(token, String(b['username']))
      res.setHeader('set-cookie', `fake_session=${token}; HttpOnly; Path=/; SameSite=Strict`)
      return json(res, 200, { user: b['username'], role: u.role })
    }
    const user = userOf(req)
    if (user === undefined) return json(res, 401, { error: 'log in first' })
    const role = USERS[user]?.role ?? 'operator'
    const now = Date.now()
    if (path === '/api/session' && method === 'DELETE') {
      for (const [token, name] of sessions) if (name === user) sessions.delete(token)
      res.setHeader('set-cookie', 'fake_session=; Path=/; Max-Age=0')
      res.writeHead(204)
      return void res.end()
    }
    if (path === '/api/session') return json(res, 200, { user, role })
    if (path === '/api/venue') return json(res, 200, view)
    if (path === '/api/alerts') return json(res, 200, [...alerts.values()].filter((a) => query.get('state') === 'all' || a['state'] !== 'resolved').reverse())
    if (path === '/api/robots') return json(res, 200, [...world.bots.values()].map((b) => ({ id: b.id, kind: b.kind, status: world.robotStatus(b, now) })))
    if (path === '/api/cameras') return json(res, 200, venue.cameras.map((c) => ({ id: c.id, zones: c.zones, edgeNode: c.edgeNode, status: cameraStatus(c.id, c.edgeNode, now) })))
    if (path === '/api/missions' && method === 'GET') return json(res, 200, [...world.missions.values()])
    if (path === '/api/telemetry') {
      const samples = Array.from({ length: 60 }, (_, i) => ({ at: new Date(now - (60 - i) * 60_000).toISOString(), occupancy: { total: Math.round(opts.people * (0.6 + 0.4 * Math.sin(i / 9))), byKind: {} }, cameraFps: { 'cam-1': 5, 'cam-2': 4.8 }, openAlerts: { high: i % 7 } }))
      return json(res, 200, { every_s: 60, samples })
    }
    if (path === '/api/trajectories') {
      const points = Array.from({ length: 20 }, (_, i) => ({ at: now - (20 - i) * 3000, x: 11 + i * 0.4, y: 15 - (i > 12 ? (i - 12) * 0.5 : 0), zone: null }))
      return json(res, 200, { subject: query.get('subject'), points })
    }
    if (path === '/api/missions' && method === 'POST') {
      const b = await body(req)
      if (b['kind'] !== 'patrol') return json(res, 400, { error: 'the fake console runs patrols only' })
      const nodes = Array.isArray(b['nodes']) ? b['nodes'].map(String) : []
      const state = world.startPatrol(typeof b['robot'] === 'string' ? b['robot'] : undefined, nodes, now)
      if (typeof state === 'string') return json(res, 400, { error: state })
      broadcast({ type: 'mission', state })
      return json(res, 202, { requestId: state['requestId'] })
    }
    const cancel = /^\/api\/missions\/([^/]+)\/cancel$/.exec(path)
    if (cancel !== null && method === 'POST') {
      const bot = [...world.bots.values()].find((b) => b.mission === cancel[1])
      const state = bot === undefined ? undefined : world.finish(bot, 'cancelled')
      if (state !== undefined) broadcast({ type: 'mission', state })
      if (bot !== undefined) broadcast({ type: 'robot', status: world.robotStatus(bot, Date.now()) })
      return json(res, 202, { requestId: 'r-cancel' })
    }
    const action = /^\/api\/alerts\/([^/]+)\/(ack|resolve)$/.exec(path)
    if (action !== null && method === 'POST') {
      const a = alerts.get(action[1] ?? '')
      if (a === undefined) return json(res, 404, { error: 'no alert' })
      const b = await body(req)
      const at = new Date().toISOString()
      const next = action[2] === 'ack' ? { ...a, state: 'acknowledged', acknowledged: { by: user, at } } : { ...a, state: 'resolved', resolved: { by: user, at, note: String(b['note'] ?? '') } }
      alerts.set(String(a['id']), next)
      // the real monitor answers through the bus a little later; so does this one
      setTimeout(() => broadcast({ type: 'alert', alert: next }), 100)
      return json(res, 202, { accepted: true })
    }
    if (/^\/api\/alerts\/[^/]+\/evidence\/\d+$/.test(path)) {
      res.writeHead(200, { 'content-type': 'image/jpeg' })
      return void res.end(jpeg)
    }
    const reveal = /^\/api\/subjects\/([^/]+)\/reveal$/.exec(path)
    if (reveal !== null) return role === 'operator' ? json(res, 403, { error: 'supervisors only' }) : json(res, 200, { subject: reveal[1], name: 'Demo Person' })
    return json(res, 404, { error: 'not found' })
  }

  const file = async (res: ServerResponse, root: string, rel: string): Promise<void> => {
    const path = normalize(join(root, rel))
    if (!path.startsWith(root)) return json(res, 404, { error: 'not found' })
    try {
      const data = await readFile(path)
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-security-policy': CSP })
      res.end(data)
    } catch {
      json(res, 404, { error: 'not found' })
    }
  }

  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost')
    if (u.pathname.startsWith('/api/')) return void api(req, res, u.pathname, u.searchParams)
    if (u.pathname.startsWith('/vendor/uplot/')) return void file(res, uplotRoot, u.pathname.slice('/vendor/uplot/'.length))
    return void file(res, webRoot, u.pathname === '/' ? 'index.html' : u.pathname.slice(1))
  })
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    const user = userOf(req)
    const u = new URL(req.url ?? '/', 'http://localhost')
    if (user === undefined || refuse) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (u.pathname.startsWith('/api/cameras/')) {
        const t = setInterval(() => ws.send(jpeg), 200)
        ws.on('close', () => clearInterval(t))
        return
      }
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.send(JSON.stringify({ type: 'hello', user, role: USERS[user]?.role, now: new Date().toISOString() }))
    })
  })

  const every_ms = 1000 / (opts.hz ?? 5)
  let last = Date.now()
  let robotTick = 0
  const timer = setInterval(() => {
    const now = Date.now()
    const moved = world.step((now - last) / 1000)
    last = now
    broadcast({ type: 'tracks', at: new Date(now).toISOString(), tracks: world.tracks(now)['tracks'] })
    // robots report twice a second, as the fleet's status does
    if (++robotTick % 2 === 0) for (const b of moved) broadcast({ type: 'robot', status: world.robotStatus(b, now) })
    // camera statuses every 10 s, as the edge refreshes them
    if (robotTick % 50 === 0) for (const c of venue.cameras) broadcast({ type: 'camera', status: cameraStatus(c.id, c.edgeNode, now) })
  }, every_ms)

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    world,
    raise: (fields) => {
      const now = new Date().toISOString()
      const a = { schemaVersion: '1.0.0', timestamp: now, id: `a-${++alertSeq}`, rule: 'wrong-room', kind: 'wrong_room', severity: 'high', state: 'open', title: 'Expert in a room of another project', subjects: ['sub-fake0003'], zone: 'room-5', floor: [14, 9], cameras: ['cam-1'], robots: [], firstAt: now, lastAt: now, count: 1, escalated: false, evidence: [{ kind: 'snapshot', ref: 'ev-1' }], acknowledged: null, resolved: null, ...fields }
      alerts.set(String(a['id']), a)
      broadcast({ type: 'alert', alert: a })
      return a
    },
    dropSockets: () => {
      for (const ws of sockets) ws.terminate()
    },
    refuseLive: (on) => {
      refuse = on
    },
    busLink: (connected) => broadcast({ type: 'bus', connected, since: new Date().toISOString() }),
    stop: async () => {
      clearInterval(timer)
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
