import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { MqttClient } from 'mqtt'
import { Bus, stamp } from '../../src/contract/index.js'
import { collect, connectAs, sleep, startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto.js'
import { run } from '../helpers/processes.js'
import { SITE, password, testVenue } from '../helpers/venue.js'
import { venueSamples } from '../helpers/samples.js'
import { publishCases } from '../helpers/acl-matrix.js'

/** Debian's mosquitto clients talk to our broker. */
const clients = suite('mosquitto_pub / mosquitto_sub against our broker')
let ours: RunningBroker
clients.before(async () => {
  ours = await startBroker(await testVenue())
})
clients.after(async () => {
  await ours.broker.stop()
})

clients('mosquitto_sub receives what mosquitto_pub sends, both authenticated', async () => {
  const port = String(ours.addresses.tcp.port)
  const topic = `venue/v1/${SITE}/cameras/cam-a/sightings`
  const sub = run('/usr/bin/mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-u', 'monitor', '-P', password('monitor'), '-t', topic, '-C', '1', '-W', '10', '-q', '1'])
  await sleep(300) // let the subscription land
  const payload = JSON.stringify(venueSamples.cameraSightings('cam-a'))
  const pub = await run('/usr/bin/mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-u', 'edge-1', '-P', password('edge-1'), '-t', topic, '-q', '1', '-m', payload])
  assert.is(pub.code, 0, pub.stderr)
  const got = await sub
  assert.is(got.code, 0, got.stderr)
  assert.equal(JSON.parse(got.stdout), JSON.parse(payload))
})

clients('mosquitto_pub with a wrong password is refused', async () => {
  const pub = await run('/usr/bin/mosquitto_pub', ['-h', '127.0.0.1', '-p', String(ours.addresses.tcp.port), '-u', 'edge-1', '-P', 'nope', '-t', 'x', '-m', 'y'])
  assert.is.not(pub.code, 0)
  assert.match(pub.stderr, /not authori[sz]ed|bad user name or password/i)
})

clients.run()

/**
 * Our client code against a real Mosquitto carrying the ACL that `venue acl` generates: the same
 * roles are let through and refused. Mosquitto drops refused messages silently, so each refused
 * publish is followed by one the same client may send; only that one may arrive.
 */
const external = suite('our clients against a real Mosquitto')
let mosq: RunningMosquitto
external.before(async () => {
  mosq = await startMosquitto(await testVenue())
})
external.after(async () => {
  await mosq.stop()
})

external('the generated ACL gives Mosquitto the same publish matrix', async () => {
  const admin = await connectAs(mosq.url, 'admin')
  await admin.subscribeAsync('#', { qos: 1 })
  const inbox = collect(admin)
  const conns = new Map<string, MqttClient>()
  try {
    for (const c of publishCases) {
      let client = conns.get(c.who)
      if (client === undefined) {
        client = await connectAs(mosq.url, c.who)
        conns.set(c.who, client)
      }
      const before = inbox.messages.length
      await client.publishAsync(c.topic, JSON.stringify(c.payload), { qos: 1 })
      const marker = publishCases.find((m) => m.who === c.who && m.allowed)!
      if (!c.allowed) await client.publishAsync(marker.topic, JSON.stringify(marker.payload), { qos: 1 })
      await inbox.waitFor(before + 1)
      const got = inbox.messages[before]!.topic
      assert.is(got, c.allowed ? c.topic : marker.topic, `${c.who} -> ${c.topic} on Mosquitto`)
    }
  } finally {
    for (const c of conns.values()) await c.endAsync()
    await admin.endAsync()
  }
})

external('the Bus drops a schema-invalid message that Mosquitto (which has no schemas) lets through', async () => {
  const edge = await connectAs(mosq.url, 'edge-1')
  const invalid: string[] = []
  const received: string[] = []
  const bus = new Bus({ url: mosq.url, username: 'monitor', password: password('monitor'), clientId: 'bus-monitor', onInvalid: (t) => invalid.push(t) })
  await bus.start()
  try {
    await bus.subscribe('cameraSightings', { site: SITE }, (p) => received.push(p.camera))
    const topic = `venue/v1/${SITE}/cameras/cam-a/sightings`
    await edge.publishAsync(topic, '{"not":"a sighting"}', { qos: 1 })
    await edge.publishAsync(topic, JSON.stringify(venueSamples.cameraSightings('cam-a')), { qos: 1 })
    for (let i = 0; i < 50 && received.length === 0; i++) await sleep(50)
    assert.equal(received, ['cam-a'])
    assert.equal(invalid, [topic])
  } finally {
    await edge.endAsync()
    await bus.stop()
  }
})

external('a Bus publishes with the contract\'s QoS and retain flags', async () => {
  const edgeBus = new Bus({ url: mosq.url, username: 'edge-1', password: password('edge-1'), clientId: 'bus-edge' })
  await edgeBus.start()
  await edgeBus.publish('cameraStatus', { site: SITE, camera: 'cam-b' }, { ...stamp(), camera: 'cam-b', node: 'edge-1', state: 'dark', since: new Date().toISOString(), fps: 5, lastFrameAt: null })
  await edgeBus.stop()
  const late = await connectAs(mosq.url, 'console')
  const inbox = collect(late)
  await late.subscribeAsync(`venue/v1/${SITE}/cameras/+/status`, { qos: 1 })
  await inbox.waitFor(1)
  assert.is(JSON.parse(inbox.messages[0]!.payload).state, 'dark', 'retained on Mosquitto')
  await late.endAsync()
})

external.run()
