/**
 * The monitor against Mosquitto, an external broker that checks nothing but the ACL: a payload that
 * breaks the contract reaches the monitor, which names what is wrong, drops it and keeps working.
 */
import { pino } from 'pino'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { stamp } from '../../src/contract/envelope.js'
import type { Alert } from '../../src/contract/venue/alerts.js'
import { Monitor } from '../../src/monitor/monitor.js'
import { startMosquitto } from '../helpers/mosquitto.js'
import { connectAs, sleep } from '../helpers/mqtt.js'
import { password, SITE } from '../helpers/venue.js'
import { IN_SESSION, rigVenue, X } from './rig-venue.js'

test('a malformed sighting is named in the log and dropped; the next valid one still raises its alert', async () => {
  const venue = await rigVenue([{ id: 'uir', kind: 'unknown_in_restricted', severity: 'high', dwell_s: 0 }])
  const mosquitto = await startMosquitto(venue)
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) })
  const offset = IN_SESSION - Date.now()
  const monitor = new Monitor({ venue, url: mosquitto.url, username: 'monitor', password: password('monitor'), dbFile: ':memory:', logger, clock: () => Date.now() + offset })
  const edge = await connectAs(mosquitto.url, 'edge-2')
  const console_ = await connectAs(mosquitto.url, 'console')
  try {
    await monitor.start()
    const alerts: Alert[] = []
    console_.on('message', (_t, p) => p.length > 0 && alerts.push(JSON.parse(p.toString()) as Alert))
    await console_.subscribeAsync(`venue/v1/${SITE}/alerts/+`, { qos: 1 })
    const topic = `venue/v1/${SITE}/cameras/cam-c/sightings`
    const at = new Date(Date.now() + offset).toISOString()
    const frame = { ...stamp(new Date(at)), camera: 'cam-c', frameId: 1, capturedAt: at, width_px: 1920, height_px: 1080 }
    const face = { trackId: 'u1', box: [1, 2, 3, 4], floor: [X.vault, 5], subject: 'unknown', score: 0.2, liveness: 0.9, quality: 0.8 }
    await edge.publishAsync(topic, 'not json at all')
    await edge.publishAsync(topic, JSON.stringify({ ...frame, tracks: [{ ...face, expertName: 'Zhang San' }] }))
    await edge.publishAsync(topic, JSON.stringify({ ...frame, tracks: [{ ...face, liveness: 7 }] }))
    for (let i = 0; i < 40 && lines.filter((l) => l.msg === 'message dropped: it breaks the contract').length < 3; i++) await sleep(50)
    const dropped = lines.filter((l) => l.msg === 'message dropped: it breaks the contract')
    assert.is(dropped.length, 3, JSON.stringify(lines))
    assert.ok(dropped.every((l) => l.topic === topic))
    assert.match(String(dropped[1]?.error), 'expertName')
    assert.match(String(dropped[2]?.error), 'liveness')
    assert.is(alerts.length, 0)
    assert.is(monitor.stats().invalid, 3)

    await edge.publishAsync(topic, JSON.stringify({ ...frame, frameId: 2, tracks: [face] }))
    for (let i = 0; i < 60 && alerts.length === 0; i++) await sleep(50)
    assert.is(alerts[0]?.rule, 'uir')
    assert.is(alerts[0]?.zone, 'vault')
  } finally {
    await edge.endAsync()
    await console_.endAsync()
    await monitor.stop()
    await mosquitto.stop()
  }
})

test.run()
