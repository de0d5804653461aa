/**
 * The master side of VDA 5050 2.0 against the simulated vehicle over a real broker: base and horizon
 * (6.6.1), order update stitched at the last base node (6.6.3), rejections (6.6.4), actions (6.8),
 * cancelOrder (6.8.1), FATAL errors (6.10.5), the connection's last will (6.14).
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Bus } from '../../src/contract/bus.js'
import { NavGraph } from '../../src/robots/graph.js'
import type { LegEvent } from '../../src/robots/link.js'
import { VdaLink } from '../../src/robots/vda5050/link.js'
import { SimVehicle } from '../../src/sim/vehicle/index.js'
import { sleep, startBroker } from '../helpers/mqtt.js'
import { password } from '../helpers/venue.js'
import { fleetVenue } from './fixtures.js'

const venue = await fleetVenue()
const graph = new NavGraph(venue.navigation)

async function setup(startNode = 'n-c1') {
  const broker = await startBroker(venue)
  const url = broker.tcpUrl
  const vehicle = new SimVehicle({ venue, robot: 'r1', url, username: 'robot-r1', password: password('robot-r1'), startNode, speed_mps: 8, speed: 4, statePeriod_ms: 200 })
  await vehicle.start()
  const bus = new Bus({ url, username: 'fleet', password: password('fleet'), clientId: `fleet-link-${Date.now()}` })
  const link = new VdaLink({ venue, robot: venue.robots[0]!, graph, bus })
  await link.start()
  await bus.start()
  for (let i = 0; i < 100 && link.snapshot().node === null; i++) await sleep(20)
  const events: LegEvent[] = []
  const until = async (pred: (e: LegEvent) => boolean, timeout_ms = 10_000): Promise<LegEvent> => {
    const deadline = Date.now() + timeout_ms
    for (;;) {
      const hit = events.find(pred)
      if (hit) return hit
      if (Date.now() > deadline) throw new Error(`no such event in ${timeout_ms} ms: ${JSON.stringify(events)}`)
      await sleep(10)
    }
  }
  const stop = async () => {
    await link.stop()
    await bus.stop()
    await vehicle.stop()
    await broker.broker.stop()
  }
  return { vehicle, link, events, until, stop, onEvent: (e: LegEvent) => void events.push(e) }
}

test('base and horizon (6.6.1), then an order update stitched at the last base node (6.6.3)', async () => {
  const t = await setup('n-c1')
  try {
    assert.is(t.link.snapshot().node, 'n-c1')
    const leg = { id: 'leg-1', nodes: ['n-c1', 'n-c2', 'n-c3', 'n-c4'], released: 2, actions: [] }
    await t.link.drive(leg, t.onEvent)
    await t.until((e) => e.kind === 'reached' && e.node === 'n-c2')
    await sleep(400)
    assert.is(t.vehicle.state().lastNodeId, 'n-c2', 'the horizon is not driven')
    assert.not.ok(t.events.some((e) => e.kind === 'finished'))
    await t.link.extend({ ...leg, released: 4 })
    await t.until((e) => e.kind === 'finished')
    assert.equal(
      t.events.filter((e) => e.kind === 'reached').map((e) => (e.kind === 'reached' ? e.node : '')),
      ['n-c2', 'n-c3', 'n-c4'],
    )
    assert.is(t.vehicle.state().orderUpdateId, 1)
    assert.is(t.events[0]?.kind, 'accepted')
  } finally {
    await t.stop()
  }
})

test('rejection (6.6.4): an order that does not start where the vehicle stands is refused with orderError', async () => {
  const t = await setup('n-c1')
  try {
    await t.link.drive({ id: 'leg-bad', nodes: ['n-c3', 'n-c4'], released: 2, actions: [] }, t.onEvent)
    const r = await t.until((e) => e.kind === 'rejected')
    assert.match(r.kind === 'rejected' ? r.reason : '', /^orderError/)
    // the link is free again: a good leg runs
    await t.link.drive({ id: 'leg-good', nodes: ['n-c1', 'n-c2'], released: 2, actions: [] }, t.onEvent)
    await t.until((e) => e.kind === 'finished')
  } finally {
    await t.stop()
  }
})

test('waitForTrigger on the last node (6.8): WAITING/RUNNING until the button, FINISHED with the result; one leg at a time', async () => {
  const t = await setup('n-c1')
  try {
    const leg = { id: 'leg-h', nodes: ['n-c1', 'n-room-1'], released: 2, actions: [{ id: 'hatch-1', type: 'waitForTrigger', blocking: 'HARD' as const }] }
    await t.link.drive(leg, t.onEvent)
    let error: unknown
    await t.link.drive({ ...leg, id: 'leg-2' }, t.onEvent).catch((e: unknown) => (error = e))
    assert.match(String(error), 'leg leg-h is still running')
    await t.until((e) => e.kind === 'reached' && e.node === 'n-room-1')
    await t.until((e) => e.kind === 'action' && e.status === 'RUNNING')
    assert.not.ok(t.events.some((e) => e.kind === 'finished'))
    assert.ok(t.vehicle.trigger('hatch-1', 'sub-abcd1234'))
    const fin = await t.until((e) => e.kind === 'action' && e.status === 'FINISHED')
    assert.is(fin.kind === 'action' ? fin.result : '', 'sub-abcd1234')
    await t.until((e) => e.kind === 'finished')
  } finally {
    await t.stop()
  }
})

test('cancelOrder (6.8.1) ends the leg as cancelled; a FATAL error (6.10.5) fails the next; the last will (6.14) fails a running one', async () => {
  const t = await setup('n-hub')
  try {
    await t.link.drive({ id: 'leg-c', nodes: ['n-hub', 'n-c1', 'n-c2', 'n-c3', 'n-c4'], released: 5, actions: [] }, t.onEvent)
    await t.until((e) => e.kind === 'accepted')
    await t.link.cancel()
    await t.until((e) => e.kind === 'cancelled')
    await sleep(300)
    const after = t.vehicle.state()
    assert.equal(after.nodeStates, [])
    const from = t.link.snapshot().node!
    t.events.length = 0
    await t.link.drive({ id: 'leg-f', nodes: [from, graph.hops(from)[0]!.to], released: 2, actions: [] }, t.onEvent)
    await t.until((e) => e.kind === 'accepted')
    t.vehicle.fatal('motor controller fault')
    const failed = await t.until((e) => e.kind === 'failed')
    assert.match(failed.kind === 'failed' ? failed.reason : '', 'motor controller fault')
    t.vehicle.clearFaults()
    await sleep(300)
    const here = t.link.snapshot().node!
    t.events.length = 0
    await t.link.drive({ id: 'leg-k', nodes: [here, graph.hops(here)[0]!.to], released: 2, actions: [] }, t.onEvent)
    await t.until((e) => e.kind === 'accepted')
    t.vehicle.kill()
    const broken = await t.until((e) => e.kind === 'failed')
    assert.match(broken.kind === 'failed' ? broken.reason : '', 'CONNECTIONBROKEN')
    assert.is(t.link.snapshot().connection, 'connectionbroken')
  } finally {
    await t.stop()
  }
})

test.run()
