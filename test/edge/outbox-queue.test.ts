/**
 * The outbox without a broker: the SQLite queue's bounds and drop order, restart of the file, and the
 * outbox's routing (direct or queued), ordering, PUBACK-gated deletes and refusals, over a fake link.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { join } from 'node:path'
import type { PayloadInput } from '../../src/contract/index.js'
import { DiskQueue, messageSize, Outbox, OutboxRefused, type Link, type NewMessage } from '../../src/edge/outbox/index.js'
import { tempDir, sleep } from '../helpers/mqtt.js'
import { SITE } from '../helpers/venue.js'
import { venueSamples } from '../helpers/samples.js'

const msg = (label: string, qos: 0 | 1, retain: boolean, topic = `t/${label}`): NewMessage => ({ topic, payload: Buffer.from(label), qos, retain })
const sighting = (label: string) => msg(label, 0, false, 'venue/v1/s/cameras/cam-a/sightings')
const status = (label: string, cam: string) => msg(label, 1, true, `venue/v1/s/cameras/${cam}/status`)
const event = (label: string) => msg(label, 1, false, 'venue/v1/s/commands/alerts')
const labels = (q: DiskQueue) => q.peek(1000).map((m) => m.payload.toString())

/** A connection under the test's control: up/down, QoS 1 acked at once or by hand, writes that can hang. */
class FakeLink implements Link {
  connected = false
  autoAck = true
  holdWrites = false
  readonly sent: Array<{ topic: string; payload: string; qos: 0 | 1 }> = []
  readonly unacked: Array<() => void> = []
  private readonly hanging: Array<(err: Error) => void> = []
  private readonly connectCbs = new Set<() => void>()
  private readonly disconnectCbs = new Set<() => void>()

  publish(topic: string, payload: Buffer, opts: { qos: 0 | 1; retain: boolean }): Promise<void> {
    if (!this.connected) return Promise.reject(new Error('not connected'))
    this.sent.push({ topic, payload: payload.toString(), qos: opts.qos })
    if (opts.qos === 0 && this.holdWrites) return new Promise((_resolve, reject) => this.hanging.push(reject))
    if (opts.qos === 0 || this.autoAck) return Promise.resolve()
    return new Promise((resolve) => this.unacked.push(resolve))
  }
  onConnect(cb: () => void) {
    this.connectCbs.add(cb)
    return () => this.connectCbs.delete(cb)
  }
  onDisconnect(cb: () => void) {
    this.disconnectCbs.add(cb)
    return () => this.disconnectCbs.delete(cb)
  }
  up() {
    this.connected = true
    for (const cb of this.connectCbs) cb()
  }
  down() {
    this.connected = false
    for (const fail of this.hanging.splice(0)) fail(new Error('connection closed'))
    for (const cb of this.disconnectCbs) cb()
  }
}

const frames = (link: FakeLink) => link.sent.filter((s) => s.topic.endsWith('/sightings')).map((s) => JSON.parse(s.payload).frameId as number)
const frame = (frameId: number, camera = 'cam-a') => ({ ...venueSamples.cameraSightings(camera), frameId }) as PayloadInput<'cameraSightings'>
const camStatus = (camera: string) => venueSamples.cameraStatus(camera) as PayloadInput<'cameraStatus'>
const edgeStatus = (figures: { queued: number; dropped: number }) => ({ ...venueSamples.edgeStatus('edge-1'), ...figures }) as PayloadInput<'edgeStatus'>
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

test('queue bound: sightings go first, then superseded states, then events, then the oldest state', async () => {
  const dir = await tempDir()
  const q = new DiskQueue(join(dir.path, 'q.sqlite'), { maxRows: 4, maxBytes: 1e9 })
  try {
    const dropped: string[] = []
    const add = (m: NewMessage) => dropped.push(...q.append(m, 0))
    const steps: Array<[NewMessage, string[]]> = [
      [status('A1', 'a'), ['A1']],
      [sighting('S1'), ['A1', 'S1']],
      [status('A2', 'a'), ['A1', 'S1', 'A2']],
      [event('E1'), ['A1', 'S1', 'A2', 'E1']],
      [sighting('S2'), ['A1', 'A2', 'E1', 'S2']], // oldest sighting
      [status('B1', 'b'), ['A1', 'A2', 'E1', 'B1']], // the only sighting, though newest
      [status('A3', 'a'), ['A2', 'E1', 'B1', 'A3']], // A1 is superseded by A2 and A3
      [event('E2'), ['E1', 'B1', 'A3', 'E2']], // A2 is superseded by A3
      [status('B2', 'b'), ['E1', 'A3', 'E2', 'B2']],
      [status('C1', 'c'), ['A3', 'E2', 'B2', 'C1']], // no sighting, nothing superseded: oldest event
      [status('C2', 'c'), ['A3', 'E2', 'B2', 'C2']],
      [event('E3'), ['A3', 'B2', 'C2', 'E3']],
      [status('D1', 'd'), ['A3', 'B2', 'C2', 'D1']], // the events go before any latest state
      [status('F1', 'f'), ['B2', 'C2', 'D1', 'F1']], // only latest states left: the oldest goes
    ]
    for (const [m, expected] of steps) {
      add(m)
      assert.equal(labels(q), expected, `after ${m.payload.toString()}`)
    }
    assert.is(dropped.length, steps.length - 4)
  } finally {
    q.close()
    await dir.remove()
  }
})

test('queue bound in bytes; rows the drain has in flight are never dropped; the file survives a reopen', async () => {
  const dir = await tempDir()
  const file = join(dir.path, 'q.sqlite')
  const one = messageSize(sighting('S0'))
  let q = new DiskQueue(file, { maxRows: 1000, maxBytes: 3 * one })
  try {
    for (let i = 0; i < 5; i++) q.append(sighting(`S${i}`), 0)
    assert.equal(labels(q), ['S2', 'S3', 'S4'])
    assert.is(q.bytes, 3 * one)
    q.protectedThrough = q.peek(2)[1]!.seq // S2 and S3 are being sent
    q.append(sighting('S5'), 0)
    assert.equal(labels(q), ['S2', 'S3', 'S5'], 'S4 went, not the rows in flight')
    q.protectedThrough = 0
    q.close()
    q = new DiskQueue(file, { maxRows: 1000, maxBytes: 5 * one })
    assert.equal([q.rows, q.bytes], [3, 3 * one], 'counts rebuilt from the file')
    q.prepend([sighting('P1'), sighting('P2')], 0)
    assert.equal(labels(q), ['P1', 'P2', 'S2', 'S3', 'S5'], 'prepended at the head, in order')
    q.append(sighting('S6'), 0)
    assert.equal(labels(q), ['P2', 'S2', 'S3', 'S5', 'S6'], 'the oldest dropped first')
    assert.is(q.remove(q.peek(2).map((m) => m.seq)), 2)
    assert.equal([labels(q), q.bytes], [['S3', 'S5', 'S6'], 3 * one])
  } finally {
    q.close()
    await dir.remove()
  }
})

test('outbox: direct while up and empty, queued while down, drained in order with new messages behind the old', async () => {
  const dir = await tempDir()
  const link = new FakeLink()
  const outbox = new Outbox({ file: join(dir.path, 'o.sqlite'), drainDelay_ms: 50, batchSize: 7 })
  try {
    link.connected = true
    outbox.attach(link)
    for (let i = 0; i < 5; i++) await outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(i))
    assert.equal([frames(link), outbox.counters().queued], [range(0, 5), 0], 'sent directly')
    link.down()
    for (let i = 5; i < 30; i++) await outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(i))
    assert.is(outbox.counters().queued, 25)
    link.up()
    for (let i = 30; i < 40; i++) {
      await outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(i))
      await sleep(10)
    }
    await outbox.idle(5000)
    await outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(40))
    assert.equal(frames(link), range(0, 41))
    const c = outbox.counters()
    assert.equal([c.queued, c.dropped, c.delivered, c.inFlight], [0, 0, 41, 0], JSON.stringify(c))
    assert.ok(c.drained >= 25 && c.drained <= 35, JSON.stringify(c))
  } finally {
    await outbox.close()
    await dir.remove()
  }
})

test('outbox: a queued QoS 1 message is deleted only after its PUBACK; unacknowledged ones survive a close', async () => {
  const dir = await tempDir()
  const file = join(dir.path, 'o.sqlite')
  let link = new FakeLink()
  link.autoAck = false
  let outbox = new Outbox({ file, drainDelay_ms: 0, window: 2 })
  try {
    outbox.attach(link)
    for (const cam of ['cam-a', 'cam-b', 'cam-c']) await outbox.publish('cameraStatus', { site: SITE, camera: cam }, camStatus(cam))
    link.up()
    await sleep(20)
    assert.equal([link.sent.length, outbox.counters().queued], [2, 3], 'a window of two sent, nothing deleted')
    link.down()
    await outbox.close() // the broker is away with the window full: close does not wait for it
    outbox = new Outbox({ file, drainDelay_ms: 0, window: 2 })
    assert.is(outbox.counters().queued, 3)
    link = new FakeLink()
    link.autoAck = false
    link.connected = true
    outbox.attach(link)
    await sleep(20)
    link.down()
    link.unacked[0]!()
    await sleep(20)
    assert.equal([link.sent.length, outbox.counters().queued], [2, 3], 'a disconnect does not end the wait for PUBACKs (MQTT.js resends them)')
    await outbox.close()
    outbox = new Outbox({ file, drainDelay_ms: 0 })
    assert.is(outbox.counters().queued, 2, 'the acknowledged one went at close, the other two stay for the next run')
  } finally {
    await outbox.close()
    await dir.remove()
  }
})

test('outbox: a direct QoS 0 write the connection could not finish goes back to the head of the queue', async () => {
  const dir = await tempDir()
  const link = new FakeLink()
  const outbox = new Outbox({ file: join(dir.path, 'o.sqlite'), drainDelay_ms: 0 })
  try {
    link.connected = true
    outbox.attach(link)
    link.holdWrites = true
    await outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(0))
    await outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(1))
    // frame 0 is still being written: frame 1 is queued behind it (and the drain writes it after)
    assert.equal([frames(link), outbox.counters().queued], [[0, 1], 1])
    link.down()
    await sleep(0)
    assert.is(outbox.counters().queued, 2)
    link.holdWrites = false
    link.sent.length = 0
    link.up()
    await outbox.idle(2000)
    assert.equal(frames(link), [0, 1])
  } finally {
    await outbox.close()
    await dir.remove()
  }
})

test('outbox: over the bound, sightings are dropped and counted per kind; states are kept', async () => {
  const dir = await tempDir()
  const outbox = new Outbox({ file: join(dir.path, 'o.sqlite'), maxRows: 10 })
  try {
    await outbox.publish('cameraStatus', { site: SITE, camera: 'cam-a' }, camStatus('cam-a'))
    for (let i = 0; i < 20; i++) await outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(i))
    await outbox.publish('edgeStatus', { site: SITE, node: 'edge-1' }, edgeStatus(outbox.statusFigures()))
    const c = outbox.counters()
    assert.equal([c.queued, c.dropped, c.droppedByKind], [10, 12, { cameraSightings: 12 }])
    assert.equal(outbox.statusFigures(), { queued: 10, dropped: 12 })
  } finally {
    await outbox.close()
    await dir.remove()
  }
})

test('outbox: a bad message is refused at publish() with the reason, and nothing is queued', async () => {
  const dir = await tempDir()
  const file = join(dir.path, 'o.sqlite')
  const outbox = new Outbox({ file })
  const refusal = async (f: () => Promise<void>): Promise<string> => {
    try {
      await f()
    } catch (err) {
      assert.instance(err, OutboxRefused)
      return (err as Error).message
    }
    throw new Error('was not refused')
  }
  try {
    const bad = await refusal(() => outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, { ...frame(1), frameId: -1 }))
    assert.match(bad, /cameraSightings/)
    assert.match(bad, /frameId/)
    const missing = await refusal(() => outbox.publish('cameraStatus', { site: SITE, camera: 'cam-a' }, { camera: 'cam-a' } as never))
    assert.match(missing, /state/)
    const mirror = await refusal(() => outbox.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, frame(1, 'cam-b')))
    assert.match(mirror, /camera "cam-b" does not match the topic's camera "cam-a"/)
    const level = await refusal(() => outbox.publish('cameraSightings', { site: SITE, camera: 'cam/a' }, frame(1)))
    assert.match(level, /one topic level/)
    assert.is(outbox.counters().queued, 0)
  } finally {
    await outbox.close()
  }
  const reopened = new DiskQueue(file, { maxRows: 10, maxBytes: 1e6 })
  assert.is(reopened.rows, 0, 'nothing on disk either')
  reopened.close()
  await dir.remove()
})

test.run()
