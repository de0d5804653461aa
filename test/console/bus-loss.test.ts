/**
 * Honest about what is stale: when the console server loses the venue's broker, the page's own socket
 * stays up but nothing will update. The live feed says so at once, and says when the broker is back.
 * A real broker is stopped and started again on the same port.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { inbox, startConsoleRig } from './rig.js'

const t = suite('console live feed: the console\'s own link to the broker')

const busMessage = (connected: boolean) => (m: unknown): boolean =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'bus' && (m as { connected?: unknown }).connected === connected

t('a page is told that the console lost the broker, and that it is back', async () => {
  const rig = await startConsoleRig()
  let second: RunningBroker | undefined
  try {
    const op = await rig.login('operator')
    const ws = rig.socket('/api/live', op)
    const box = inbox(ws)
    // a new page learns the link's state first of all
    await box.next(busMessage(true))
    assert.equal((box.all[1] as { type: string }).type, 'bus', 'after the hello, before the snapshot of the bus topics')

    const port = rig.broker.addresses.tcp.port
    await rig.broker.broker.stop()
    await box.next(busMessage(false))
    const from = box.all.length
    second = await startBroker(rig.venue, { port })
    await box.next((m) => busMessage(true)(m) && box.all.indexOf(m) >= from, 15_000)

    // a page that connects while the broker is away hears it from the snapshot
    await second.broker.stop()
    await box.next((m) => busMessage(false)(m) && box.all.indexOf(m) >= from)
    const late = inbox(rig.socket('/api/live', op))
    await late.next(busMessage(false))
    assert.not.ok(late.all.some(busMessage(true)))
    ws.close()
  } finally {
    await second?.broker.stop()
    await rig.stop()
  }
})

t.run()
