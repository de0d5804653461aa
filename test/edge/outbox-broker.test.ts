/**
 * The outbox against our real broker: an outage with the edge producing throughout, the queue bound
 * during a long outage, and a restart of the edge process while the broker is away. The monitor
 * listens with a persistent session and reconnects quickly; the outbox waits `drainDelay_ms` after a
 * reconnect, so the monitor is back before the QoS 0 backlog flows (the broker drops QoS 0 messages
 * for a subscriber that is not connected).
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { Bus, type PayloadInput } from '../../src/contract/index.js'
import { busLink, Outbox } from '../../src/edge/outbox/index.js'
import type { Venue } from '../../src/config/index.js'
import { connectAs, sleep, startBroker, tempDir, type RunningBroker } from '../helpers/mqtt.js'
import { password, SITE, testVenue } from '../helpers/venue.js'
import { venueSamples } from '../helpers/samples.js'

const SIGHTINGS = `venue/v1/${SITE}/cameras/cam-a/sightings`
const frame = (frameId: number) => ({ ...venueSamples.cameraSightings('cam-a'), frameId }) as PayloadInput<'cameraSightings'>
const camStatus = (camera: string, state: string) => ({ ...venueSamples.cameraStatus(camera), state }) as PayloadInput<'cameraStatus'>

interface Received {
  topic: string
  payload: Record<string, unknown>
}

/** Everything one test starts, ended in reverse by `end()` whatever happened. */
class Rig {
  broker: RunningBroker | undefined
  port = 0
  readonly buses: Bus[] = []
  readonly outboxes: Outbox[] = []
  monitor: MqttClient | undefined
  /** Live messages the monitor received (persistent session, QoS 1 subscription; retained replays left out). */
  readonly received: Received[] = []
  /** PUBLISH packets as they left the edge, in order. */
  readonly wire: Received[] = []
  private dir: { path: string; remove: () => Promise<void> } | undefined

  constructor(private readonly venue: Venue) {}

  static async create(): Promise<Rig> {
    const rig = new Rig(await testVenue())
    rig.dir = await tempDir('venue-outbox-')
    await rig.brokerUp()
    rig.port = rig.broker!.addresses.tcp.port
    rig.monitor = await connectAs(rig.broker!.tcpUrl, 'monitor', { clientId: `monitor-outbox-${process.pid}`, clean: false, reconnectPeriod: 100 })
    rig.monitor.on('message', (topic, payload, packet) => {
      if (!packet.retain) rig.received.push({ topic, payload: JSON.parse(payload.toString()) as Record<string, unknown> })
    })
    await rig.monitor.subscribeAsync(`venue/v1/${SITE}/#`, { qos: 1 })
    return rig
  }

  get file(): string {
    return join(this.dir!.path, 'outbox.sqlite')
  }

  async brokerUp(): Promise<void> {
    this.broker = await startBroker(this.venue, { dataDir: join(this.dir!.path, 'broker'), port: this.port })
  }

  async brokerDown(): Promise<void> {
    await this.broker?.broker.stop()
    this.broker = undefined
  }

  /** The edge's Bus (reconnecting every 200 ms) and an outbox on it. */
  async edge(drainDelay_ms: number, maxRows?: number): Promise<{ bus: Bus; outbox: Outbox }> {
    const outbox = new Outbox({ file: this.file, drainDelay_ms, ...(maxRows === undefined ? {} : { maxRows }) })
    this.outboxes.push(outbox)
    const bus = await this.startBus()
    outbox.attach(busLink(bus))
    return { bus, outbox }
  }

  async startBus(): Promise<Bus> {
    const bus = new Bus({ url: `mqtt://127.0.0.1:${this.port}`, username: 'edge-1', password: password('edge-1'), clientId: `edge-1-outbox-${process.pid}`, reconnectPeriod_ms: 200 })
    await bus.start()
    this.buses.push(bus)
    bus.raw.on('packetsend', (p) => {
      if (p.cmd === 'publish') this.wire.push({ topic: p.topic, payload: JSON.parse(p.payload.toString()) as Record<string, unknown> })
    })
    return bus
  }

  sightings(): number[] {
    return this.received.filter((m) => m.topic === SIGHTINGS).map((m) => m.payload.frameId as number)
  }

  async waitFor(what: string, ok: () => boolean, timeout_ms = 10_000): Promise<void> {
    const deadline = Date.now() + timeout_ms
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`waited ${timeout_ms} ms for ${what}`)
      await sleep(10)
    }
  }

  async end(): Promise<void> {
    for (const o of this.outboxes) await o.close().catch(() => undefined)
    await this.brokerDown().catch(() => undefined)
    // with the broker gone, nothing is in flight: end at once rather than wait for PUBACKs
    for (const b of this.buses) b.raw.end(true)
    this.monitor?.end(true)
    await this.dir?.remove()
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

test('stop the broker for 3 s: everything the edge produced meanwhile arrives afterwards, in order, nothing lost', async () => {
  const rig = await Rig.create()
  let producer: NodeJS.Timeout | undefined
  try {
    const { bus, outbox } = await rig.edge(1000)
    let next = 0
    const errors: unknown[] = []
    const produce = () => outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(next++)).catch((err) => errors.push(err))
    producer = setInterval(produce, 20) // 50 frames a second
    await sleep(1000)
    // QoS 0 messages on the wire at the instant the broker dies have no acknowledgement to miss: MQTT
    // loses them and the edge cannot know. So the camera goes quiet for that instant only.
    clearInterval(producer)
    await rig.waitFor('the monitor to have every frame sent so far', () => rig.sightings().length === next, 2000)
    const beforeOutage = next
    await rig.brokerDown()
    await rig.waitFor('the edge to see the broker gone', () => !bus.connected, 2000)
    producer = setInterval(produce, 20)
    await sleep(3000)
    const queued = outbox.counters().queued
    await rig.brokerUp()
    await sleep(1500)
    clearInterval(producer)
    const produced = next
    await outbox.idle(10_000)
    await rig.waitFor(`all ${produced} frames at the monitor`, () => rig.sightings().length >= produced, 5000)
    const c = outbox.counters()
    console.log(`  outage: ${queued} frames queued in 3 s; ${c.drained} drained after it (with those made during the drain delay), ${c.delivered - c.drained} sent directly`)
    assert.equal(errors, [])
    assert.ok(beforeOutage >= 40, `${beforeOutage} frames before the outage`)
    assert.ok(queued >= 120, `${queued} frames queued during the outage`)
    assert.equal(rig.sightings(), range(produced), 'frames 0..N-1, in order, no gap, no repeat')
    assert.equal([c.queued, c.dropped, c.delivered], [0, 0, produced])
  } finally {
    clearInterval(producer)
    await rig.end()
  }
})

test('a long outage past the bound: oldest sightings dropped and counted, status messages kept, the rest in order', async () => {
  const rig = await Rig.create()
  try {
    const { bus, outbox } = await rig.edge(1000, 30)
    await outbox.publish('cameraStatus', { site: SITE, camera: 'cam-a' }, camStatus('cam-a', 'online'))
    await rig.waitFor('the first status at the monitor', () => rig.received.length === 1, 2000)
    await rig.brokerDown()
    await rig.waitFor('the edge to see the broker gone', () => !bus.connected, 2000)
    rig.received.length = 0
    rig.wire.length = 0
    await outbox.publish('cameraStatus', { site: SITE, camera: 'cam-a' }, camStatus('cam-a', 'dark'))
    for (let i = 0; i < 100; i++) {
      if (i === 50) await outbox.publish('cameraStatus', { site: SITE, camera: 'cam-b' }, camStatus('cam-b', 'stalled'))
      await outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(i))
    }
    const figures = outbox.statusFigures()
    await outbox.publish('edgeStatus', { site: SITE, node: 'edge-1' }, { ...venueSamples.edgeStatus('edge-1'), ...figures } as PayloadInput<'edgeStatus'>)
    assert.equal(figures, { queued: 30, dropped: 72 })
    assert.equal(outbox.counters().droppedByKind, { cameraSightings: 73 })
    await rig.brokerUp()
    await outbox.idle(10_000)
    await rig.waitFor('30 messages at the monitor', () => rig.received.length >= 30, 5000)
    const label = (m: Received) => (m.topic === SIGHTINGS ? m.payload.frameId : `${m.topic.split('/').slice(-2).join('/')}:${String(m.payload.state)}`)
    const statuses = ['cam-a/status:dark', 'cam-b/status:stalled', 'edge-1/status:online']
    const frames = range(27).map((i) => i + 73)
    assert.equal(rig.wire.map(label), [statuses[0], statuses[1], ...frames, statuses[2]], 'the order the edge sent')
    // MQTT orders messages per topic only: our broker (aedes) forwards a retained message after the
    // non-retained ones read in the same batch (it stores it first), so check each topic's order
    assert.equal(rig.received.map(label).filter((l) => typeof l === 'string'), statuses, 'the monitor: every status')
    assert.equal(rig.sightings(), frames, 'the monitor: the 27 newest frames in order')
    assert.equal(rig.received.at(-1)?.payload, { ...rig.received.at(-1)?.payload, queued: 30, dropped: 72 }, 'the edge status reported the figures')
  } finally {
    await rig.end()
  }
})

test('restart of the edge process while the broker is away: the reopened queue is delivered once the broker is back', async () => {
  const rig = await Rig.create()
  try {
    const first = await rig.edge(1000)
    await rig.brokerDown()
    await rig.waitFor('the edge to see the broker gone', () => !first.bus.connected, 2000)
    for (let i = 0; i < 40; i++) await first.outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(i))
    // the process goes away: outbox closed, connection dropped
    await first.outbox.close()
    first.bus.raw.end(true)
    // ... and starts again before the broker is back: the outbox opens and queues, the Bus cannot connect yet
    const outbox = new Outbox({ file: rig.file, drainDelay_ms: 1000 })
    rig.outboxes.push(outbox)
    assert.is(outbox.counters().queued, 40, 'the queue survived the restart')
    for (let i = 40; i < 60; i++) await outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(i))
    await rig.brokerUp()
    outbox.attach(busLink(await rig.startBus()))
    await outbox.idle(10_000)
    await rig.waitFor('60 frames at the monitor', () => rig.sightings().length >= 60, 5000)
    assert.equal(rig.sightings(), range(60))
    assert.equal(outbox.counters().drained, 60)
  } finally {
    await rig.end()
  }
})

test.run()
