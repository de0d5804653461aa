import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt'
import type { Venue } from '../../src/config/index.js'
import { VenueBroker, type BrokerAddresses } from '../../src/broker/broker.js'
import { silentLogger } from '../../src/shared/log.js'
import { password } from './venue.js'

export async function tempDir(prefix = 'venue-test-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

export interface RunningBroker {
  broker: VenueBroker
  addresses: BrokerAddresses
  tcpUrl: string
  wsUrl: string
}

export async function startBroker(venue: Venue, opts: { dataDir?: string | null; port?: number; wsPort?: number } = {}): Promise<RunningBroker> {
  const broker = new VenueBroker({
    venue,
    logger: silentLogger(),
    dataDir: opts.dataDir ?? null,
    tcp: { host: '127.0.0.1', port: opts.port ?? 0 },
    ws: { host: '127.0.0.1', port: opts.wsPort ?? 0, path: '/mqtt' },
  })
  const addresses = await broker.start()
  return {
    broker,
    addresses,
    tcpUrl: `mqtt://127.0.0.1:${addresses.tcp.port}`,
    wsUrl: `ws://127.0.0.1:${addresses.ws?.port ?? 0}/mqtt`,
  }
}

let clientCounter = 0

/** Connect as a principal of the test venue (password `pw-<name>`). */
export function connectAs(url: string, name: string, extra: IClientOptions = {}): Promise<MqttClient> {
  return connectAsync(url, {
    username: name,
    password: password(name),
    clientId: `${name}-${process.pid}-${++clientCounter}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...extra,
  })
}

/** Collect messages on a client; `next(n)` waits for the n-th, with a bound so a test fails rather than hangs. */
export function collect(client: MqttClient): { messages: Array<{ topic: string; payload: string }>; waitFor: (n: number, timeout_ms?: number) => Promise<void> } {
  const messages: Array<{ topic: string; payload: string }> = []
  const waiters: Array<() => void> = []
  client.on('message', (topic, payload) => {
    messages.push({ topic, payload: payload.toString() })
    for (const w of waiters.splice(0)) w()
  })
  const waitFor = (n: number, timeout_ms = 5000) =>
    new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`waited ${timeout_ms} ms for ${n} messages, got ${messages.length}: ${messages.map((m) => m.topic).join(', ')}`)), timeout_ms)
      const check = () => {
        if (messages.length >= n) {
          clearTimeout(deadline)
          resolve()
        } else waiters.push(check)
      }
      check()
    })
  return { messages, waitFor }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
