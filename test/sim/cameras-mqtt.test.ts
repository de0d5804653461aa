// Synthetic cameras over a real broker: one connection per edge node as its 'edge' principal, every
// payload checked by the broker against the contract (a refused one would show under $venue/refused/#).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Venue } from '../../src/config/index.js'
import { Bus, stamp, type CameraStatus, type EdgeStatus, type Sightings } from '../../src/contract/index.js'
import { DARK_DETAIL, SyntheticCameras } from '../../src/sim/cameras/index.js'
import type { SimPerson } from '../../src/sim/world/types.js'
import { collect, connectAs, sleep, startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { password, SITE, testVenue } from '../helpers/venue.js'

const test = suite('sim/cameras: synthetic cameras over the broker')
const T0 = Date.parse('2025-03-03T09:00:00.000Z')
let broker: RunningBroker
let venue: Venue

test.before(async () => {
  venue = await testVenue()
  broker = await startBroker(venue)
})
test.after(async () => {
  await broker.broker.stop()
})

const person = (id: string, over: Partial<SimPerson>): SimPerson => ({ id, kind: 'expert', subject: 'sub-aaaa1111', floor: [5, 5], zone: 'corridor', heading: 0, spoof: false, present: true, ...over })

async function until(what: string, ok: () => boolean, timeout_ms = 5000): Promise<void> {
  const end = Date.now() + timeout_ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

test('edge-1 sends cam-a and cam-b, edge-2 cam-c, at 5 fps of sim time; a covered camera goes dark and silent', async () => {
  const admin = await connectAs(broker.tcpUrl, 'admin')
  const refused = collect(admin)
  await admin.subscribeAsync('$venue/refused/#')
  const consoleBus = new Bus({ url: broker.tcpUrl, username: 'console', password: password('console'), clientId: `console-${process.pid}`, reconnectPeriod_ms: 0 })
  const sightings: Sightings[] = []
  const statuses: CameraStatus[] = []
  const edges: EdgeStatus[] = []
  await consoleBus.subscribe('cameraSightings', { site: SITE }, (m) => sightings.push(m))
  await consoleBus.subscribe('cameraStatus', { site: SITE }, (m) => statuses.push(m))
  await consoleBus.subscribe('edgeStatus', { site: SITE }, (m) => edges.push(m))
  await consoleBus.start()
  const cams = new SyntheticCameras({ venue, seed: 11 })
  try {
    await cams.start({ url: broker.tcpUrl, credentials: (node) => ({ username: node, password: password(node) }), t_ms: T0 })
    assert.ok(cams.connected)
    const people = [person('p-expert', {}), person('p-visitor', { kind: 'visitor', subject: null, floor: [15, 5], zone: 'room-1' })]
    // 4 s of sim time in steps of 100 ms: 21 frames a camera (t = 0, 200, ..., 4000)
    let sent = 0
    for (let t = 0; t <= 4000; t += 100) sent += await cams.publish(people, T0 + t)
    assert.is(sent, 63)
    await until('63 sightings', () => sightings.length >= 63)
    const of = (cam: string) => sightings.filter((s) => s.camera === cam)
    for (const cam of ['cam-a', 'cam-b', 'cam-c']) {
      const times = of(cam).map((s) => Date.parse(s.capturedAt) - T0)
      assert.equal(times, Array.from({ length: 21 }, (_, i) => i * 200), `${cam} at 5 fps of sim time`)
      assert.equal(of(cam).map((s) => s.frameId), [...Array(21).keys()])
    }
    assert.ok(of('cam-a').filter((s) => s.tracks.some((t) => t.subject === 'sub-aaaa1111')).length >= 15, 'cam-a names the expert')
    assert.ok(of('cam-b').every((s) => s.tracks.every((t) => t.subject === 'unknown')), 'cam-b sees only the visitor')
    assert.ok(of('cam-c').some((s) => s.tracks.length === 1))

    await until('edge and camera status', () => edges.length >= 2 && statuses.length >= 3)
    const edge = (n: string) => edges.find((e) => e.node === n)
    assert.equal([edge('edge-1')?.state, edge('edge-1')?.cameras], ['online', ['cam-a', 'cam-b']])
    assert.equal([edge('edge-2')?.state, edge('edge-2')?.cameras], ['online', ['cam-c']])
    for (const s of statuses.slice(0, 3)) {
      assert.is(s.state, 'online')
      assert.is(s.fps, 5)
      assert.is(s.since, new Date(T0).toISOString())
    }
    assert.is(statuses.find((s) => s.camera === 'cam-c')?.node, 'edge-2')

    // cover cam-b from now (4 s) until 6 s; run on to 8 s
    cams.cover('cam-b', T0 + 6000)
    for (let t = 4100; t <= 8000; t += 100) await cams.publish(people, T0 + t)
    await until('cam-b online again', () => statuses.some((s) => s.camera === 'cam-b' && s.state === 'online' && Date.parse(s.since) === T0 + 6000))
    const dark = statuses.find((s) => s.camera === 'cam-b' && s.state === 'dark')
    assert.ok(dark, 'cam-b reported dark')
    assert.is(dark!.detail, DARK_DETAIL)
    assert.is(dark!.since, new Date(T0 + 4000).toISOString())
    assert.is(dark!.fps, 0)
    await until('all sightings', () => sightings.length >= 41 + 41 + 32)
    const bTimes = of('cam-b').map((s) => Date.parse(s.capturedAt) - T0)
    assert.not.ok(bTimes.some((t) => t > 4000 && t < 6000), 'no cam-b sightings while covered')
    assert.ok(bTimes.includes(6000) && bTimes.includes(8000), 'cam-b back at 6 s')
    assert.is(of('cam-a').length, 41)
    assert.is(of('cam-c').length, 41)
    assert.is(of('cam-b').length, 32, '21 frames to 4 s, none while covered, 11 from 6 s to 8 s')

    await sleep(100)
    assert.equal(refused.messages, [], 'the broker refused nothing')
    assert.is(consoleBus.invalidCount, 0)
    assert.is(broker.broker.counters.refusedPublishes, 0)

    // the refusal channel works: edge-2 may not speak for cam-a
    const rogue = new Bus({ url: broker.tcpUrl, username: 'edge-2', password: password('edge-2'), clientId: `rogue-${process.pid}`, reconnectPeriod_ms: 0 })
    await rogue.start()
    await rogue.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, { ...stamp(), camera: 'cam-a', frameId: 0, capturedAt: new Date().toISOString(), width_px: 1920, height_px: 1080, tracks: [] })
    await refused.waitFor(1)
    await rogue.stop()
  } finally {
    await cams.stop()
    await consoleBus.stop()
    await admin.endAsync()
  }
})

test.run()
