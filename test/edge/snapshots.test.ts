/**
 * Evidence must arrive: a busy 1080p frame at JPEG quality 80 is larger, in base64, than the broker's
 * default maxPayload (256 KiB), and the broker refuses such a message. The edge's snapshot cache encodes
 * within the budget, and the message goes through a real broker to the monitor.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import sharp from 'sharp'
import type { MqttClient } from 'mqtt'
import { decodePayload, encodePayload, filterOf, stamp, topicOf } from '../../src/contract/index.js'
import { jpegBudget, SnapshotCache } from '../../src/edge/snapshots.js'
import type { Frame } from '../../src/edge/types.js'
import { collect, connectAs, startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { SITE, testVenue } from '../helpers/venue.js'

const t = suite('edge snapshots fit the broker')

/** A 1920x1080 frame: sensor noise over a gradient (JPEG's worst case), or the gradient alone. */
function frame(noisy: boolean, seed = 7): Frame {
  const width = 1920
  const height = 1080
  const data = new Uint8Array(width * height * 3)
  let s = seed
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    const base = ((i / 3) % width) / 8
    data[i] = noisy ? (base + (s >>> 24)) & 255 : base & 255
  }
  return { data, width, height, capturedAt: Date.parse('2026-11-26T09:00:00Z'), seq: 1, release: () => undefined }
}

let running: RunningBroker | undefined
const clients: MqttClient[] = []

t.after(async () => {
  for (const c of clients) await c.endAsync()
  await running?.broker.stop()
})

t('a noisy 1080p frame is encoded to fit, and reaches the monitor through the real broker', async () => {
  const venue = await testVenue()
  const limit = venue.broker.maxPayload_bytes
  const f = frame(true)
  // the premise: at full size and quality 80 it would not fit
  const plain = await sharp(f.data, { raw: { width: f.width, height: f.height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer()
  assert.ok(Math.ceil(plain.length / 3) * 4 > limit, `the plain JPEG (${plain.length} bytes) would fit anyway: the test proves nothing`)

  const snap = await new SnapshotCache(10, jpegBudget(limit)).capture('cam-a', f)
  assert.ok(snap.jpeg.length <= jpegBudget(limit), `${snap.jpeg.length} bytes`)
  const meta = await sharp(snap.jpeg).metadata()
  assert.is(meta.format, 'jpeg')
  assert.equal([meta.width, meta.height], [snap.width, snap.height])
  assert.ok(snap.width <= 1920 && snap.width / snap.height > 1.7, `${snap.width}x${snap.height} keeps the aspect`)

  running = await startBroker(venue)
  const monitor = await connectAs(running.tcpUrl, 'monitor')
  const edge = await connectAs(running.tcpUrl, 'edge-1')
  clients.push(monitor, edge)
  const got = collect(monitor)
  await monitor.subscribeAsync(filterOf('snapshot', { site: SITE }), { qos: 1 })
  const payload = encodePayload('snapshot', {
    ...stamp(),
    requestId: 'rq-1',
    snapshot: snap.id,
    camera: 'cam-a',
    capturedAt: new Date(snap.capturedAt).toISOString(),
    width_px: snap.width,
    height_px: snap.height,
    jpeg: snap.jpeg.toString('base64'),
  })
  assert.ok(payload.length <= limit, `message of ${payload.length} bytes`)
  await edge.publishAsync(topicOf('snapshot', { site: SITE, camera: 'cam-a' }), payload, { qos: 1 })
  await got.waitFor(1)
  const decoded = decodePayload('snapshot', got.messages[0]!.payload)
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error)
  if (decoded.ok) assert.ok(Buffer.from(decoded.value.jpeg, 'base64').equals(snap.jpeg))
})

t('a calm frame keeps its full size', async () => {
  const snap = await new SnapshotCache().capture('cam-a', frame(false))
  assert.equal([snap.width, snap.height], [1920, 1080])
})

t('a budget nothing fits says which setting to raise', async () => {
  try {
    await new SnapshotCache(10, 200).capture('cam-a', frame(true))
    assert.unreachable('captured')
  } catch (err) {
    assert.match((err as Error).message, /does not fit 200 bytes.*broker\.maxPayload_bytes/)
  }
})

t.run()
