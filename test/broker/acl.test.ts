import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { MqttClient } from 'mqtt'
import { collect, connectAs, startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { testVenue } from '../helpers/venue.js'
import { publishCases, subscribeCases } from '../helpers/acl-matrix.js'

/**
 * The role ACL matrix over real MQTT connections, through both listeners. A publish counts as
 * delivered when an admin subscribed to `#` receives it; a refused one shows up, instead, on the
 * admin-only `$venue/refused/{principal}` diagnostics topic (the broker acknowledges and diverts it).
 */
for (const transport of ['tcp', 'ws'] as const) {
  const t = suite(`broker ACL over ${transport}`)
  let running: RunningBroker
  let admin: MqttClient
  const clients = new Map<string, MqttClient>()
  const url = () => (transport === 'tcp' ? running.tcpUrl : running.wsUrl)
  const as = async (name: string) => {
    let c = clients.get(name)
    if (c === undefined) {
      c = await connectAs(url(), name)
      clients.set(name, c)
    }
    return c
  }

  t.before(async () => {
    running = await startBroker(await testVenue())
    admin = await connectAs(running.tcpUrl, 'admin')
    await admin.subscribeAsync(['#', '$venue/refused/#'], { qos: 1 })
  })
  t.after(async () => {
    for (const c of clients.values()) await c.endAsync()
    await admin.endAsync()
    await running.broker.stop()
  })

  t('each role publishes where it may, and is refused elsewhere', async () => {
    const inbox = collect(admin)
    let expected = 0
    for (const c of publishCases) {
      const client = await as(c.who)
      await client.publishAsync(c.topic, JSON.stringify(c.payload), { qos: 1 })
      await inbox.waitFor(++expected)
      const got = inbox.messages[expected - 1]!
      const where = c.allowed ? c.topic : `$venue/refused/${c.who}`
      assert.is(got.topic, where, `${c.who} -> ${c.topic}: expected ${c.allowed ? 'delivery' : 'refusal'}, got a message on ${got.topic}`)
      if (!c.allowed) assert.match(JSON.parse(got.payload).reason, /may not publish/)
    }
    // a refused publish does not cost the client its connection
    for (const [name, client] of clients) assert.ok(client.connected, `${name} still connected`)
  })

  t('each role subscribes where it may, and gets a failure return code elsewhere [MQTT-3.9.3]', async () => {
    for (const c of subscribeCases) {
      const client = await as(c.who)
      // MQTT.js rejects the promise when the SUBACK return code is 0x80
      const ok = await client.subscribeAsync(c.filter, { qos: 1 }).then(
        (granted) => granted.every((g) => g.qos !== 128),
        (err: Error) => (/Unspecified error|128/.test(err.message) ? false : Promise.reject(err)),
      )
      assert.is(ok, c.allowed, `${c.who} subscribe ${c.filter}: expected ${c.allowed ? 'granted' : 'refused (0x80)'}`)
    }
  })

  t.run()
}
