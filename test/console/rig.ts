import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { stamp, type Alert } from '../../src/contract/index.js'
import { hashSecret } from '../../src/broker/passwords.js'
import type { Venue, VenueInput } from '../../src/config/index.js'
import { ConsoleServer } from '../../src/console/server/server.js'
import { silentLogger } from '../../src/shared/log.js'
import { startBroker, tempDir, type RunningBroker } from '../helpers/mqtt.js'
import { password, testVenue } from '../helpers/venue.js'

/** A console on a real broker and a real SQLite file, with users operator, supervisor and admin (`pw-<name>`). */
export interface ConsoleRig {
  venue: Venue
  broker: RunningBroker
  server: ConsoleServer
  base: string
  dir: string
  dbFile: string
  venueFile: string
  login: (user: string, pw?: string) => Promise<string>
  api: (path: string, init?: { method?: string; cookie?: string; body?: unknown }) => Promise<Response>
  socket: (path: string, cookie?: string, headers?: Record<string, string>) => WebSocket
  stop: () => Promise<void>
}

export async function startConsoleRig(overrides: Partial<VenueInput> = {}, consoleExtra: Omit<NonNullable<VenueInput['console']>, 'users' | 'identities'> = {}): Promise<ConsoleRig> {
  const dir = await tempDir('venue-console-')
  const users = await Promise.all(
    (['operator', 'supervisor', 'admin'] as const).map(async (name) => ({ name, role: name, secretHash: await hashSecret(password(name)) })),
  )
  const venue = await testVenue({ console: { users, identities: { keyFile: join(dir.path, 'identity.key'), demoNames: true }, ...consoleExtra }, ...overrides })
  const venueFile = join(dir.path, 'venue.yaml')
  writeFileSync(venueFile, 'schemaVersion: 1\n')
  const broker = await startBroker(venue)
  const dbFile = join(dir.path, 'store.sqlite')
  const server = new ConsoleServer({
    venue,
    venueFile,
    url: broker.tcpUrl,
    username: 'console',
    password: password('console'),
    logger: silentLogger(),
    dbFile,
    host: '127.0.0.1',
    port: 0,
    webRoot: dir.path,
  })
  let base: string
  try {
    base = (await server.start()).url
  } catch (err) {
    await broker.broker.stop()
    await dir.remove()
    throw err
  }
  const api: ConsoleRig['api'] = (path, init = {}) =>
    fetch(base + path, {
      method: init.method ?? 'GET',
      headers: { ...(init.cookie === undefined ? {} : { cookie: init.cookie }), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
  const login: ConsoleRig['login'] = async (user, pw = password(user)) => {
    const r = await api('/api/session', { method: 'POST', body: { username: user, password: pw } })
    if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${await r.text()}`)
    const set = r.headers.get('set-cookie') ?? ''
    return set.split(';')[0] ?? ''
  }
  const socket: ConsoleRig['socket'] = (path, cookie, headers = {}) =>
    new WebSocket(base.replace('http:', 'ws:') + path, { headers: { ...(cookie === undefined ? {} : { cookie }), ...headers } })
  return {
    venue,
    broker,
    server,
    base,
    dir: dir.path,
    dbFile,
    venueFile,
    login,
    api,
    socket,
    stop: async () => {
      await server.stop()
      await broker.broker.stop()
      await dir.remove()
    },
  }
}

/** Messages of a socket as they arrive; `next(pred)` waits (bounded) for one that matches. */
export function inbox(ws: WebSocket): { all: unknown[]; next: (pred: (m: unknown) => boolean, timeout_ms?: number) => Promise<unknown> } {
  const all: unknown[] = []
  const waiters: Array<() => void> = []
  ws.on('message', (data, isBinary) => {
    all.push(isBinary ? data : JSON.parse(String(data)))
    for (const w of waiters.splice(0)) w()
  })
  const next = (pred: (m: unknown) => boolean, timeout_ms = 10_000): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeout_ms} ms; got ${all.length}`)), timeout_ms)
      const check = (): void => {
        const hit = all.find(pred)
        if (hit !== undefined) {
          clearTimeout(timer)
          resolve(hit)
        } else waiters.push(check)
      }
      check()
    })
  return { all, next }
}

/** The HTTP status a refused WebSocket upgrade got, or 101 when it opened. */
export function upgradeStatus(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(101))
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
    })
    ws.once('error', (err) => reject(err))
  })
}

/** An open wrong-room alert as the monitor would publish it. */
export const sampleAlert = (id: string, over: Partial<Alert> = {}): Alert => ({
  ...stamp(),
  id,
  rule: 'wrong-room',
  kind: 'wrong_room',
  severity: 'high',
  state: 'open',
  title: 'Expert in the wrong room',
  subjects: ['sub-aaaa1111'],
  zone: 'room-1',
  floor: [12, 5],
  cameras: ['cam-b'],
  robots: [],
  firstAt: new Date().toISOString(),
  lastAt: new Date().toISOString(),
  count: 1,
  escalated: false,
  evidence: [],
  acknowledged: null,
  resolved: null,
  ...over,
})

