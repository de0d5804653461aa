import { TopicCache } from '../shared/topic-cache.js'
import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import { decodeMessage, encodePayload, filterOf, topicOf } from './codec.js'
import { TOPICS, type Payload, type PayloadInput, type TopicKey, type TopicParams } from './topics.js'
import { topicMatches } from './topic-filter.js'

export interface BusOptions {
  /** mqtt://host:port or ws://host:port/mqtt */
  url: string
  username: string
  password: string
  clientId: string
  /** Keep the session (subscriptions and QoS 1 messages) while offline [MQTT-3.1.2-4]. */
  persistentSession?: boolean
  /** Built with `willFor`, so the will is a valid contract message. */
  will?: Will
  reconnectPeriod_ms?: number
  /** Called for every received message that fails its schema; the message is dropped. */
  onInvalid?: (topic: string, error: string) => void
  /** Resolve `start()` at once and connect in the background (edge nodes queue while the broker is away). Default: wait. */
  background?: boolean
  /** Called when a handler throws; the other handlers still run. */
  onHandlerError?: (topic: string, error: unknown) => void
}

export interface Will {
  topic: string
  payload: Buffer
  qos: 0 | 1
  retain: boolean
}

/** A last will on a contract topic, checked like any message [MQTT-3.1.2-8]. */
export function willFor<K extends TopicKey>(key: K, params: TopicParams<K>, payload: PayloadInput<K>): Will {
  return { topic: topicOf(key, params), payload: encodePayload(key, payload), qos: TOPICS[key].qos, retain: TOPICS[key].retained }
}

export type Handler<K extends TopicKey> = (payload: Payload<K>, params: TopicParams<K>, topic: string) => void

interface Route {
  key: TopicKey
  filter: string
  handler: (payload: unknown, params: Record<string, string>, topic: string) => void
}

/**
 * A role's typed connection to the broker: topics are built from the contract, payloads are
 * validated on the way out and on the way in, and a bad message never reaches a handler.
 */
export class Bus {
  private client: MqttClient | undefined
  private readonly routes: Route[] = []
  /** Routes matching each topic seen (matching is per message). */
  private readonly routesByTopic = new TopicCache<Route[]>()
  private readonly connectionListeners = new Set<(up: boolean) => void>()
  private up = false
  invalidCount = 0

  constructor(private readonly opts: BusOptions) {}

  async start(): Promise<void> {
    const o = this.opts
    const options: IClientOptions = {
      username: o.username,
      password: o.password,
      clientId: o.clientId,
      clean: !(o.persistentSession ?? false),
      protocolVersion: 4,
      reconnectPeriod: o.reconnectPeriod_ms ?? 1000,
      connectTimeout: 10_000,
      resubscribe: true,
    }
    if (o.will !== undefined) options.will = { ...o.will }
    // The message listener goes on before CONNACK: a persistent session's queued messages arrive right
    // after it, and routes added by `subscribe()` before `start()` must see them.
    const client = (this.client = connect(o.url, options))
    client.on('message', (topic, payload) => this.dispatch(topic, payload))
    client.on('connect', () => this.setUp(true))
    client.on('close', () => this.setUp(false))
    if (o.background !== true) await firstConnect(client)
    for (const r of this.routes) await this.request(r)
  }

  /**
   * Disconnect. MQTT.js's graceful end waits for every QoS 1 message to be acknowledged, which never
   * happens while the broker is away: then (or after `timeout_ms`) the connection is closed at once.
   */
  async stop(timeout_ms = 2000): Promise<void> {
    const c = this.client
    this.client = undefined
    if (c === undefined) return
    if (!c.connected) {
      await c.endAsync(true)
      return
    }
    let timer: NodeJS.Timeout | undefined
    const forced = new Promise<void>((resolve) => {
      timer = setTimeout(() => void c.endAsync(true).then(resolve, resolve), timeout_ms)
    })
    await Promise.race([c.endAsync(), forced])
    clearTimeout(timer)
  }

  get connected(): boolean {
    return this.client?.connected ?? false
  }

  /** Be told when the connection to the broker goes down or comes back (not of repeated failures). */
  onConnection(listener: (up: boolean) => void): () => void {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  private setUp(up: boolean): void {
    // a stop is not a lost connection: stop() lets go of the client before it closes
    if (this.client === undefined) {
      this.up = false
      return
    }
    if (up === this.up) return
    this.up = up
    for (const l of this.connectionListeners) {
      try {
        l(up)
      } catch (err) {
        this.opts.onHandlerError?.('$connection', err)
      }
    }
  }

  get raw(): MqttClient {
    if (this.client === undefined) throw new Error('bus not started')
    return this.client
  }

  async publish<K extends TopicKey>(key: K, params: TopicParams<K>, payload: PayloadInput<K>, opts: { retain?: boolean } = {}): Promise<void> {
    const topic = topicOf(key, params)
    const def = TOPICS[key]
    await this.raw.publishAsync(topic, encodePayload(key, payload), { qos: def.qos, retain: opts.retain ?? def.retained })
  }

  /** Clear a retained message (an empty retained payload [MQTT-3.3.1-10]). */
  async clearRetained<K extends TopicKey>(key: K, params: TopicParams<K>): Promise<void> {
    await this.raw.publishAsync(topicOf(key, params), Buffer.alloc(0), { qos: TOPICS[key].qos, retain: true })
  }

  /**
   * Route a topic to a handler and subscribe. Before `start()` the route is only recorded, and the
   * subscription is made on connect: a role that keeps a persistent session then misses nothing.
   */
  async subscribe<K extends TopicKey>(key: K, params: Partial<TopicParams<K>>, handler: Handler<K>): Promise<void> {
    const route: Route = { key, filter: filterOf(key, params), handler: handler as Route['handler'] }
    this.routes.push(route)
    this.routesByTopic.clear()
    if (this.client !== undefined) await this.request(route)
  }

  private async request(r: Route): Promise<void> {
    const granted = await this.raw.subscribeAsync(r.filter, { qos: TOPICS[r.key].qos })
    if (granted.some((g) => g.qos === 128)) throw new Error(`subscription to ${r.filter} refused by the broker`)
  }

  private dispatch(topic: string, payload: Buffer): void {
    if (payload.length === 0) return // a cleared retained message
    const routes = this.routesByTopic.get(topic, (t) => this.routes.filter((r) => topicMatches(r.filter, t)))
    if (routes.length === 0) return
    const decoded = decodeMessage(topic, payload)
    if (decoded === undefined) return
    if (!decoded.ok) {
      this.invalidCount++
      this.opts.onInvalid?.(topic, decoded.error)
      return
    }
    for (const r of routes) {
      if (r.key !== decoded.key) continue
      try {
        r.handler(decoded.value, decoded.params, topic)
      } catch (err) {
        this.opts.onHandlerError?.(topic, err)
      }
    }
  }
}


/** Resolve on the first CONNACK; reject (and end the client) on an error before it, as MQTT.js's connectAsync does. */
function firstConnect(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      client.off('connect', onConnect)
      client.off('error', onError)
      client.off('end', onConnect)
    }
    const onConnect = (): void => {
      done()
      resolve()
    }
    const onError = (err: Error): void => {
      done()
      client.end(true)
      reject(err)
    }
    client.on('connect', onConnect)
    client.on('error', onError)
    client.on('end', onConnect)
  })
}
