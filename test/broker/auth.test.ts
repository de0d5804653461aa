import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { connectAsync } from 'mqtt'
import { startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { testVenue } from '../helpers/venue.js'

let running: RunningBroker

test.before(async () => {
  running = await startBroker(await testVenue())
})
test.after(async () => {
  await running.broker.stop()
})

const attempt = (url: string, opts: { username?: string; password?: string }) =>
  connectAsync(url, { ...opts, clientId: `auth-${Math.random().toString(36).slice(2)}`, reconnectPeriod: 0, connectTimeout: 3000 }).then(
    async (c) => {
      await c.endAsync()
      return 'connected'
    },
    (err: Error) => err.message,
  )

for (const transport of ['tcp', 'ws'] as const) {
  const url = () => (transport === 'tcp' ? running.tcpUrl : running.wsUrl)

  test(`[MQTT-3.2.2.3] ${transport}: an anonymous client is refused`, async () => {
    assert.match(await attempt(url(), {}), /Bad username or password|Not authorized/)
  })

  test(`${transport}: a wrong password is refused`, async () => {
    assert.match(await attempt(url(), { username: 'monitor', password: 'pw-console' }), /Bad username or password/)
  })

  test(`${transport}: an unknown user is refused`, async () => {
    assert.match(await attempt(url(), { username: 'intruder', password: 'pw-intruder' }), /Bad username or password/)
  })

  test(`${transport}: the right password gets in`, async () => {
    assert.is(await attempt(url(), { username: 'monitor', password: 'pw-monitor' }), 'connected')
  })
}

test('refusals are counted', () => {
  assert.ok(running.broker.counters.authFailures >= 6, `authFailures = ${running.broker.counters.authFailures}`)
})

test.run()
