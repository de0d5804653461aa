import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { MqttClient } from 'mqtt'
import type { Venue } from '../../src/config/index.js'
import { collect, connectAs, startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { SITE, testVenue } from '../helpers/venue.js'
import { vdaConnection, venueSamples } from '../helpers/samples.js'

let running: RunningBroker
let venue: Venue
let admin: MqttClient
let edge: MqttClient
const sightings = `venue/v1/${SITE}/cameras/cam-a/sightings`
const status = `venue/v1/${SITE}/cameras/cam-a/status`

test.before(async () => {
  venue = await testVenue()
  running = await startBroker(venue)
  admin = await connectAs(running.tcpUrl, 'admin')
  await admin.subscribeAsync(['#', '$venue/refused/#'], { qos: 1 })
  edge = await connectAs(running.tcpUrl, 'edge-1')
})
test.after(async () => {
  await edge.endAsync()
  await admin.endAsync()
  await running.broker.stop()
})

const refusedReason = async (payload: string | Buffer, topic = sightings, retain = false) => {
  const inbox = collect(admin)
  await edge.publishAsync(topic, payload, { qos: 1, retain })
  await inbox.waitFor(1)
  const m = inbox.messages[0]!
  admin.removeAllListeners('message')
  return m.topic === '$venue/refused/edge-1' ? (JSON.parse(m.payload).reason as string) : `delivered on ${m.topic}`
}

test('a payload that is not JSON is refused with the parser error', async () => {
  assert.match(await refusedReason('{"schemaVersion": '), /cameraSightings payload invalid: not JSON/)
})

test('a payload missing a required field is refused, naming the field', async () => {
  const bad: Record<string, unknown> = { ...venueSamples.cameraSightings() }
  delete bad.capturedAt
  assert.match(await refusedReason(JSON.stringify(bad)), /capturedAt/)
})

test('a payload with an unknown field is refused (strict schemas)', async () => {
  assert.match(await refusedReason(JSON.stringify({ ...venueSamples.cameraSightings(), expertName: 'Zhang San' })), /expertName/)
})

test('a real name where a pseudonymous subject id belongs is refused', async () => {
  const s = venueSamples.cameraSightings()
  s.tracks[0]!.subject = 'Zhang San'
  assert.match(await refusedReason(JSON.stringify(s)), /tracks\.0\.subject/)
})

test('a sighting for camera B on camera A\'s topic is refused: payloads repeat their topic levels', async () => {
  assert.match(await refusedReason(JSON.stringify(venueSamples.cameraSightings('cam-b'))), /camera "cam-b" does not match the topic's camera "cam-a"/)
})

test('a payload over the size limit is refused', async () => {
  const big = Buffer.alloc(venue.broker.maxPayload_bytes + 1, 32)
  assert.match(await refusedReason(big), /exceeds the limit/)
})

test('[MQTT-3.3.1-10] an empty retained payload clears a retained status and is let through', async () => {
  assert.is(await refusedReason(JSON.stringify(venueSamples.cameraStatus()), status, true), `delivered on ${status}`)
  assert.is(await refusedReason('', status, true), `delivered on ${status}`)
})

test('after all those refusals the edge is still connected and a valid message goes through', async () => {
  assert.ok(edge.connected)
  assert.is(await refusedReason(JSON.stringify(venueSamples.cameraSightings())), `delivered on ${sightings}`)
  assert.ok(running.broker.counters.refusedPublishes >= 5)
})


test('[VDA5050 6.4] a robot may not speak for another serial number in its header', async () => {
  const robot = await connectAs(running.tcpUrl, 'robot-r1')
  const inbox = collect(admin)
  await robot.publishAsync('uagv/v2/Acme/P-001/connection', JSON.stringify(vdaConnection('Acme', 'D-001')), { qos: 1 })
  await inbox.waitFor(1)
  admin.removeAllListeners('message')
  assert.is(inbox.messages[0]!.topic, '$venue/refused/robot-r1')
  assert.match(JSON.parse(inbox.messages[0]!.payload).reason, /serialNumber "D-001" does not match the topic's serialNumber "P-001"/)
  await robot.endAsync()
})

test.run()
