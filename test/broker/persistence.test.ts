import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { collect, connectAs, sleep, startBroker, tempDir } from '../helpers/mqtt.js'
import { SITE, testVenue } from '../helpers/venue.js'
import { venueSamples } from '../helpers/samples.js'

const alertTopic = (id: string) => `venue/v1/${SITE}/alerts/${id}`

test('[MQTT-3.1.2-5] QoS 1 messages for an offline subscriber survive a broker restart', async () => {
  const dir = await tempDir()
  const venue = await testVenue()
  try {
    let running = await startBroker(venue, { dataDir: dir.path })
    const port = running.addresses.tcp.port
    // the console keeps a persistent session subscribed to alerts, then goes away
    const consoleClient = await connectAs(running.tcpUrl, 'console', { clientId: 'console-main', clean: false })
    await consoleClient.subscribeAsync(`venue/v1/${SITE}/alerts/+`, { qos: 1 })
    await consoleClient.endAsync()

    const monitor = await connectAs(running.tcpUrl, 'monitor')
    for (let i = 0; i < 10; i++) await monitor.publishAsync(alertTopic(`q${i}`), JSON.stringify(venueSamples.alert(`q${i}`)), { qos: 1 })
    await monitor.endAsync()
    await running.broker.stop()

    running = await startBroker(venue, { dataDir: dir.path, port })
    const back = await connectAs(running.tcpUrl, 'console', { clientId: 'console-main', clean: false })
    const inbox = collect(back)
    await inbox.waitFor(10)
    assert.equal(
      inbox.messages.map((m) => m.topic),
      Array.from({ length: 10 }, (_, i) => alertTopic(`q${i}`)),
      'all ten, in order',
    )
    await back.endAsync()
    await running.broker.stop()
  } finally {
    await dir.remove()
  }
})

test('regression: no QoS 1 message to a persistent session is lost under load (aedes-persistence-level 9.2 lost 3-7 in 5,000)', async () => {
  const dir = await tempDir()
  const running = await startBroker(await testVenue(), { dataDir: dir.path })
  try {
    const topic = `venue/v1/${SITE}/cameras/cam-a/sightings`
    const sub = await connectAs(running.tcpUrl, 'monitor', { clientId: 'monitor-load', clean: false })
    await sub.subscribeAsync(topic, { qos: 1 })
    const seen = new Set<number>()
    sub.on('message', (_t, p) => seen.add(JSON.parse(p.toString()).frameId as number))
    sub.stream.pause() // a slow reader: the broker's writes pile up
    const pub = await connectAs(running.tcpUrl, 'edge-1')
    const base = venueSamples.cameraSightings('cam-a')
    const n = 3000
    for (let i = 0; i < n; i++) await pub.publishAsync(topic, JSON.stringify({ ...base, frameId: i }), { qos: 1 })
    sub.stream.resume()
    for (let i = 0; i < 100 && seen.size < n; i++) await sleep(100)
    const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i))
    assert.equal(missing, [], `${missing.length} messages never arrived`)
    await pub.endAsync()
    await sub.endAsync(true)
  } finally {
    await running.broker.stop()
    await dir.remove()
  }
})

test('retained messages survive a broker restart', async () => {
  const dir = await tempDir()
  const venue = await testVenue()
  try {
    let running = await startBroker(venue, { dataDir: dir.path })
    const monitor = await connectAs(running.tcpUrl, 'monitor')
    await monitor.publishAsync(alertTopic('keep'), JSON.stringify(venueSamples.alert('keep')), { qos: 1, retain: true })
    await monitor.endAsync()
    await running.broker.stop()

    running = await startBroker(venue, { dataDir: dir.path })
    const reader = await connectAs(running.tcpUrl, 'console')
    const inbox = collect(reader)
    await reader.subscribeAsync(`venue/v1/${SITE}/alerts/+`, { qos: 1 })
    await inbox.waitFor(1)
    assert.is(inbox.messages[0]!.topic, alertTopic('keep'))
    assert.is(JSON.parse(inbox.messages[0]!.payload).id, 'keep')
    await reader.endAsync()
    await running.broker.stop()
  } finally {
    await dir.remove()
  }
})

test('[MQTT-3.1.2-8] presence: an edge that drops off the network leaves its retained "offline" will', async () => {
  const running = await startBroker(await testVenue())
  try {
    const topic = `venue/v1/${SITE}/edge/edge-1/status`
    const will = { topic, payload: Buffer.from(JSON.stringify({ ...venueSamples.edgeStatus('edge-1'), state: 'offline' })), qos: 1 as const, retain: true }
    const edge = await connectAs(running.tcpUrl, 'edge-1', { will })
    await edge.publishAsync(topic, JSON.stringify(venueSamples.edgeStatus('edge-1')), { qos: 1, retain: true })
    edge.stream.destroy() // no DISCONNECT: the broker must publish the will [MQTT-3.1.2-8]
    await sleep(200)
    const reader = await connectAs(running.tcpUrl, 'console')
    const inbox = collect(reader)
    await reader.subscribeAsync(topic, { qos: 1 })
    await inbox.waitFor(1)
    assert.is(JSON.parse(inbox.messages[0]!.payload).state, 'offline')
    await reader.endAsync()
    edge.end(true)
  } finally {
    await running.broker.stop()
  }
})

test.run()
