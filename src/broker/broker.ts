import { mkdir } from 'node:fs/promises'
import { Aedes, type Client, type PublishPacket, type Subscription } from 'aedes'
import { join } from 'node:path'
import { CallBackPersistence } from 'aedes-persistence/callBackPersistence.js'
import { SqlitePersistence } from './sqlite-persistence.js'
import type { Principal, Venue } from '../config/index.js'
import type { Logger } from '../shared/log.js'
import { Authenticator } from './auth.js'
import { mayPublish, maySubscribe, policyFor, REFUSED_ROOT, type Policy } from './acl.js'
import { checkPayload } from './validate.js'
import { TcpListener, WsListener, type Bound } from './listeners.js'

export interface BrokerOptions {
  venue: Venue
  logger: Logger
  /** Folder for on-disk persistence; null keeps everything in memory (lost on restart). */
  dataDir: string | null
  tcp: { host: string; port: number }
  ws?: { host: string; port: number; path: string } | undefined
}

export interface BrokerAddresses {
  tcp: Bound
  ws?: Bound
}

export interface BrokerCounters {
  connections: number
  authFailures: number
  refusedPublishes: number
  refusedSubscriptions: number
}

interface Session {
  principal: Principal
  policy: Policy
}

/**
 * The embedded MQTT broker: aedes with per-principal authentication, the role ACL, contract
 * validation and on-disk persistence. Everything else in Venue Sentinel is a plain MQTT client of it.
 */
export class VenueBroker {
  private aedes: Aedes | undefined
  private persistence: CallBackPersistence | undefined
  private listeners: Array<TcpListener | WsListener> = []
  private readonly sessions = new WeakMap<Client, Session>()
  private auth: Authenticator
  readonly counters: BrokerCounters = { connections: 0, authFailures: 0, refusedPublishes: 0, refusedSubscriptions: 0 }

  constructor(private readonly opts: BrokerOptions) {
    this.auth = new Authenticator(opts.venue.principals)
  }

  async start(): Promise<BrokerAddresses> {
    const { logger, dataDir } = this.opts
    let persistence: CallBackPersistence | undefined
    if (dataDir !== null) {
      await mkdir(dataDir, { recursive: true })
      const file = join(dataDir, 'broker.sqlite')
      persistence = new CallBackPersistence(() => new SqlitePersistence(file))
      this.persistence = persistence
    }
    const aedes = await Aedes.createBroker({
      ...(persistence === undefined ? {} : { persistence }),
      authenticate: (client, username, password, done) => {
        this.authenticate(client, username, password).then(
          (ok) => done(ok ? null : Object.assign(new Error('bad user name or password'), { returnCode: 4 }), ok),
          (err: Error) => done(Object.assign(err, { returnCode: 3 }), false),
        )
      },
      authorizePublish: (client, packet, done) => done(this.authorizePublish(client, packet)),
      authorizeSubscribe: (client, sub, done) => done(null, this.authorizeSubscribe(client, sub)),
      maxClientsIdLength: 128,
    })
    this.aedes = aedes
    aedes.on('clientError', (client, err) => logger.debug({ client: client.id, err: err.message }, 'client error'))
    aedes.on('connectionError', (client, err) => logger.debug({ client: client.id, err: err.message }, 'connection error'))
    aedes.on('client', (client) => {
      this.counters.connections++
      logger.debug({ client: client.id, principal: this.sessions.get(client)?.principal.name }, 'client connected')
    })

    const tcp = new TcpListener(aedes, this.opts.tcp.host, this.opts.tcp.port)
    this.listeners.push(tcp)
    const addresses: BrokerAddresses = { tcp: await tcp.start() }
    if (this.opts.ws !== undefined) {
      const ws = new WsListener(aedes, this.opts.ws.host, this.opts.ws.port, this.opts.ws.path)
      this.listeners.push(ws)
      addresses.ws = await ws.start()
    }
    logger.info({ tcp: addresses.tcp, ws: addresses.ws, persistence: dataDir ?? 'memory' }, 'broker listening')
    return addresses
  }

  async stop(): Promise<void> {
    for (const l of this.listeners.splice(0)) await l.stop()
    const aedes = this.aedes
    this.aedes = undefined
    if (aedes !== undefined) {
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
    }
    await this.persistence?.destroy()
    this.persistence = undefined
  }

  /** A reloaded venue file takes effect for new connections. */
  setVenue(venue: Venue): void {
    this.opts.venue = venue
    this.auth = new Authenticator(venue.principals)
  }

  private async authenticate(client: Client, username: string | undefined, password: Buffer | undefined): Promise<boolean> {
    const principal = await this.auth.check(username, password)
    if (principal === undefined) {
      this.counters.authFailures++
      this.opts.logger.warn({ client: client.id, username: username ?? null, remote: remoteOf(client) }, 'connection refused: bad user name or password')
      return false
    }
    this.sessions.set(client, { principal, policy: policyFor(principal, this.opts.venue) })
    return true
  }

  private authorizePublish(client: Client | null, packet: PublishPacket): Error | null {
    // A will left behind by a broker that died is published without a client; it was authorised when stored.
    if (client === null) return null
    const session = this.sessions.get(client)
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)
    let reason: string | undefined
    if (session === undefined) reason = 'not authenticated'
    else if (!mayPublish(session.policy, packet.topic)) reason = `role ${session.principal.role} may not publish here`
    else {
      const verdict = checkPayload(packet.topic, payload, packet.retain, this.opts.venue.broker.maxPayload_bytes)
      if (!verdict.ok) reason = verdict.reason
    }
    if (reason === undefined) return null
    this.refuse(client, session, packet, reason)
    return null
  }

  /**
   * MQTT 3.1.1 has no negative PUBACK [MQTT-3.3.5-2]: a refused message is acknowledged as usual and
   * diverted to `$venue/refused/{principal}`, which only admins may read. Closing the connection instead
   * would make a misbehaving robot resend the same message forever and drop everything else it says.
   */
  private refuse(client: Client, session: Session | undefined, packet: PublishPacket, reason: string): void {
    this.counters.refusedPublishes++
    const who = session?.principal.name ?? 'anonymous'
    this.opts.logger.warn({ client: client.id, principal: who, topic: packet.topic, reason }, 'publish refused')
    const report = { topic: packet.topic, principal: who, client: client.id, reason, at: new Date().toISOString() }
    packet.topic = `${REFUSED_ROOT}/${who}`
    packet.retain = false
    packet.payload = Buffer.from(JSON.stringify(report))
  }

  private authorizeSubscribe(client: Client, sub: Subscription): Subscription | null {
    const session = this.sessions.get(client)
    if (session !== undefined && maySubscribe(session.policy, sub.topic)) return sub
    this.counters.refusedSubscriptions++
    this.opts.logger.warn({ client: client.id, principal: session?.principal.name ?? 'anonymous', filter: sub.topic }, 'subscription refused')
    return null
  }
}

function remoteOf(client: Client): string | undefined {
  const conn = client.conn as { remoteAddress?: string }
  return conn.remoteAddress
}
