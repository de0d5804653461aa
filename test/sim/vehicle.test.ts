// The simulated VDA 5050 vehicle over a real broker, talked to as the 'fleet' principal.
// Clause numbers refer to VDA 5050 2.x (6.6 orders, 6.8 actions, 6.10 state, 6.14 connection, 6.15 factsheet).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Venue } from '../../src/config/index.js'
import { SimVehicle } from '../../src/sim/vehicle/index.js'
import { startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { password } from '../helpers/venue.js'
import { act, actionState, errorOf, FleetProbe, refs, simVenue, sleep, withVehicle } from './harness.js'

const test = suite('sim/vehicle: a simulated VDA 5050 vehicle')
let broker: RunningBroker
let venue: Venue

test.before(async () => {
  venue = await simVenue()
  broker = await startBroker(venue)
})
test.after(async () => {
  await broker.broker.stop()
})

const run = (opts: Parameters<typeof withVehicle>[2], body: Parameters<typeof withVehicle>[3]) => withVehicle(venue, broker.tcpUrl, opts, body)

test('constructor checks the options and does no I/O', () => {
  const base = { venue, robot: 'r1', url: 'mqtt://127.0.0.1:1', username: 'robot-r1', password: 'x', startNode: 'n1' }
  const v = new SimVehicle(base)
  assert.is(v.manufacturer, 'Acme')
  assert.is(v.serialNumber, 'P-001')
  assert.is(v.connected, false)
  assert.is(v.state().lastNodeId, 'n1')
  assert.throws(() => new SimVehicle({ ...base, robot: 'nope' }), /no robot/)
  assert.throws(() => new SimVehicle({ ...base, startNode: 'nowhere' }), /start node/)
})

test('[6.14, 6.15] ONLINE and the factsheet, retained, on start; OFFLINE on a clean stop', async () => {
  const v = new SimVehicle({ venue, robot: 'r1', url: broker.tcpUrl, username: 'robot-r1', password: password('robot-r1'), startNode: 'n1' })
  await v.start()
  // a master control that subscribes later still gets both: they are retained
  const fleet = new FleetProbe(broker.tcpUrl)
  await fleet.start()
  try {
    const online = await fleet.waitFor(() => fleet.connections.find((c) => c.connectionState === 'ONLINE'), 'ONLINE')
    assert.is(online.serialNumber, 'P-001')
    const sheet = await fleet.waitFor(() => fleet.factsheets[0], 'the factsheet')
    const types = sheet.protocolFeatures.agvActions.map((a) => a.actionType)
    for (const t of ['waitForTrigger', 'pick', 'drop', 'startCharging', 'stopCharging', 'cancelOrder', 'startPause', 'stopPause', 'stateRequest', 'factsheetRequest']) {
      assert.ok(types.includes(t), t)
    }
    await v.stop()
    await fleet.waitFor(() => fleet.connections.find((c) => c.connectionState === 'OFFLINE'), 'OFFLINE')
    assert.not.ok(fleet.connections.some((c) => c.connectionState === 'CONNECTIONBROKEN'), 'a clean stop leaves no will (6.14)')
  } finally {
    await v.stop()
    await fleet.stop()
  }
})

test('[6.6.1, 6.10.2] an order of 3 nodes is driven and reported node by node', async () => {
  await run({}, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-1', 0, [{ id: 'n1' }, { id: 'n2' }, { id: 'n3' }])
    const first = await fleet.waitState((s) => s.orderId === 'o-1', 'the order accepted', since)
    // the first node counts as traversed at once: it is where the vehicle stands (6.6.1)
    assert.is(first.lastNodeId, 'n1')
    assert.is(first.lastNodeSequenceId, 0)
    assert.equal(first.nodeStates.map((n) => [n.nodeId, n.sequenceId]), [['n2', 2], ['n3', 4]])
    assert.equal(first.edgeStates.map((e) => [e.edgeId, e.sequenceId]), [['e12', 1], ['e23', 3]])
    const done = await fleet.waitState((s) => s.lastNodeId === 'n3' && !s.driving, 'arrival at n3', since)
    assert.is(done.lastNodeSequenceId, 4)
    assert.equal(done.nodeStates, [])
    assert.equal(done.edgeStates, [])
    assert.is(done.distanceSinceLastNode, 0)
    assert.equal([done.agvPosition?.x, done.agvPosition?.y], [3, 5])
    // node by node, the states shrinking as traversed
    const seen = fleet.states.slice(since).filter((s) => s.orderId === 'o-1')
    const at = (id: string) => seen.find((s) => s.lastNodeId === id)
    assert.is(at('n2')?.lastNodeSequenceId, 2)
    assert.equal(at('n2')?.nodeStates.map((n) => n.nodeId), ['n3'])
    assert.equal(at('n2')?.edgeStates.map((e) => e.edgeId), ['e23'])
    assert.ok(seen.some((s) => s.driving && s.distanceSinceLastNode! > 0), 'driving reported between nodes')
    assert.ok(done.batteryState.batteryCharge < 100, 'the battery drains per metre')
    assert.ok(fleet.visualizations > 0, 'visualization published (6.13)')
  })
})

test('[6.6.2] an order update stitched at the last base node extends the drive', async () => {
  await run({}, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-2', 0, [{ id: 'n1' }, { id: 'n2' }, { id: 'n3', released: false }])
    await fleet.waitState((s) => s.lastNodeId === 'n2' && !s.driving, 'arrival at n2', since)
    await fleet.order('o-2', 1, [{ id: 'n2' }, { id: 'n3' }, { id: 'n4' }], 2)
    const done = await fleet.waitState((s) => s.lastNodeId === 'n4' && !s.driving, 'arrival at n4', since)
    assert.is(done.orderUpdateId, 1)
    assert.is(done.lastNodeSequenceId, 6)
    assert.equal(done.errors, [])
  })
})

test('[6.6.1] a horizon node is not driven until released', async () => {
  await run({}, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-3', 0, [{ id: 'n1' }, { id: 'n2' }, { id: 'n3', released: false }, { id: 'n4', released: false }])
    const waiting = await fleet.waitState((s) => s.lastNodeId === 'n2' && !s.driving, 'arrival at n2', since)
    assert.equal(waiting.nodeStates.map((n) => [n.nodeId, n.released]), [['n3', false], ['n4', false]])
    assert.is(waiting.newBaseRequest, true, '6.10.3: at the end of the base with a horizon')
    await sleep(300) // 3 sim seconds: 3 m at 1 m/s, were it to drive on
    const still = await fleet.waitState((s) => s.headerId > waiting.headerId, 'a later state')
    assert.is(still.lastNodeId, 'n2')
    assert.is(still.agvPosition?.x, 2)
    await fleet.order('o-3', 1, [{ id: 'n2' }, { id: 'n3' }, { id: 'n4', released: false }], 2)
    const next = await fleet.waitState((s) => s.lastNodeId === 'n3' && !s.driving, 'arrival at n3', since)
    assert.equal(next.nodeStates.map((n) => [n.nodeId, n.released]), [['n4', false]])
  })
})

test('[6.6.4.2, 6.6.1] a new order whose first node is not where the vehicle stands is rejected with orderError', async () => {
  await run({}, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-far', 0, [{ id: 'n3' }, { id: 'n4' }], 0)
    const s = await fleet.waitState((x) => errorOf(x, 'orderError') !== undefined, 'orderError', since)
    const e = errorOf(s, 'orderError')!
    assert.is(e.errorLevel, 'WARNING')
    assert.equal({ ...refs(e), headerId: undefined }, { headerId: undefined, topic: 'order', orderId: 'o-far', orderUpdateId: '0', nodeId: 'n3' })
    assert.is(s.orderId, '', 'the order is not taken over')
    assert.equal(s.nodeStates, [])
    // the warning stays until an order is accepted (6.6.4.2)
    await fleet.order('o-ok', 0, [{ id: 'n1' }, { id: 'n2' }])
    const ok = await fleet.waitState((x) => x.orderId === 'o-ok', 'the next order accepted', since)
    assert.equal(ok.errors, [])
  })
})

test('[6.6.4.1, 6.6.4.2] unknown nodes give noRouteError, bad sequenceIds validationError, unsupported actions orderError', async () => {
  await run({}, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-nr', 0, [{ id: 'n1' }, { id: 'nowhere' }])
    let s = await fleet.waitState((x) => errorOf(x, 'noRouteError') !== undefined, 'noRouteError', since)
    assert.is(refs(errorOf(s, 'noRouteError')).nodeId, 'nowhere')
    const bad = fleet.buildOrder('o-seq', 0, [{ id: 'n1' }, { id: 'n2' }])
    bad.edges[0]!.sequenceId = 7
    await fleet.send(bad)
    s = await fleet.waitState((x) => errorOf(x, 'validationError') !== undefined, 'validationError', since)
    assert.is(refs(errorOf(s, 'validationError')).edgeId, 'e12')
    await fleet.order('o-act', 0, [{ id: 'n1' }, { id: 'n2', actions: [act('detectObject', 'x-1')] }])
    s = await fleet.waitState((x) => errorOf(x, 'orderError') !== undefined, 'orderError', since)
    assert.is(refs(errorOf(s, 'orderError')).actionId, 'x-1')
    assert.is(s.orderId, '')
  })
})

test('[6.6.4.3] a lower orderUpdateId is rejected with orderUpdateError; the same one again is ignored', async () => {
  await run({}, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-4', 0, [{ id: 'n1' }, { id: 'n2' }, { id: 'n3', released: false }])
    await fleet.waitState((s) => s.lastNodeId === 'n2' && !s.driving, 'arrival at n2', since)
    await fleet.order('o-4', 2, [{ id: 'n2' }, { id: 'n3', released: false }], 2)
    await fleet.waitState((s) => s.orderUpdateId === 2, 'update 2 accepted', since)
    const mark = fleet.states.length
    await fleet.order('o-4', 1, [{ id: 'n2' }, { id: 'n3' }], 2)
    const s = await fleet.waitState((x) => errorOf(x, 'orderUpdateError') !== undefined, 'orderUpdateError', mark)
    assert.equal({ ...refs(errorOf(s, 'orderUpdateError')), headerId: '' }, { headerId: '', topic: 'order', orderId: 'o-4', orderUpdateId: '1' })
    assert.is(s.orderUpdateId, 2, 'the previous order is kept')
    assert.equal(s.nodeStates.map((n) => [n.nodeId, n.released]), [['n3', false]])
    // a resent update 2 (even with different content) is ignored, not an error
    const dup = fleet.states.length
    await fleet.order('o-4', 2, [{ id: 'n2' }, { id: 'n3' }], 2)
    await sleep(200)
    const after = await fleet.waitState((x) => x.headerId > s.headerId, 'a later state', dup)
    assert.is(after.lastNodeId, 'n2', 'not driven: the duplicate was ignored')
    assert.is(after.errors.filter((e) => e.errorType === 'orderUpdateError').length, 1)
    // an update that does not start at the stitching node is an orderUpdateError too (6.6.2)
    const m2 = fleet.states.length
    await fleet.order('o-4', 3, [{ id: 'n3' }, { id: 'n4' }], 4)
    const st = await fleet.waitState((x) => x.errors.filter((e) => e.errorType === 'orderUpdateError').length === 2, 'second orderUpdateError', m2)
    assert.is(st.orderUpdateId, 2)
  })
})

test('[6.8.1 waitForTrigger, 6.12] a HARD waitForTrigger holds the vehicle until trigger(); resultDescription carries the result', async () => {
  await run({}, async (v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-5', 0, [{ id: 'n1' }, { id: 'n2', actions: [act('waitForTrigger', 'hatch-1', 'HARD', { triggerType: 'hatch' })] }, { id: 'n3' }])
    const accepted = await fleet.waitState((s) => s.orderId === 'o-5', 'accepted', since)
    assert.is(actionState(accepted, 'hatch-1')?.actionStatus, 'WAITING')
    const waiting = await fleet.waitState((s) => actionState(s, 'hatch-1')?.actionStatus === 'RUNNING', 'waitForTrigger running', since)
    assert.is(waiting.lastNodeId, 'n2')
    assert.is(v.trigger('nope'), false)
    await sleep(300)
    const held = await fleet.waitState((s) => s.headerId > waiting.headerId, 'a later state')
    assert.is(held.lastNodeId, 'n2', 'HARD blocks driving')
    assert.is(held.driving, false)
    assert.is(v.trigger('hatch-1', 'confirmed by expert E-17'), true)
    const done = await fleet.waitState((s) => s.lastNodeId === 'n3' && !s.driving, 'arrival at n3', since)
    const a = actionState(done, 'hatch-1')!
    assert.is(a.actionStatus, 'FINISHED')
    assert.is(a.resultDescription, 'confirmed by expert E-17')
  })
})

test('[6.8.1 pick, drop] pick and drop take sim time and change the loads', async () => {
  await run({ pickDrop_s: 1 }, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-6', 0, [{ id: 'n1', actions: [act('pick', 'p-1', 'HARD', { loadId: 'tray-9', loadType: 'TRAY' })] }, { id: 'n2', actions: [act('drop', 'd-1')] }])
    const picking = await fleet.waitState((s) => actionState(s, 'p-1')?.actionStatus === 'RUNNING', 'pick running', since)
    assert.equal(picking.loads, [])
    assert.is(picking.lastNodeId, 'n1')
    const loaded = await fleet.waitState((s) => actionState(s, 'p-1')?.actionStatus === 'FINISHED', 'pick finished', since)
    assert.equal(loaded.loads?.map((l) => l.loadId), ['tray-9'])
    const done = await fleet.waitState((s) => actionState(s, 'd-1')?.actionStatus === 'FINISHED', 'drop finished', since)
    assert.equal(done.loads, [])
    assert.is(done.lastNodeId, 'n2')
  })
})

test('[6.6.3, 6.6.3.2] cancelOrder stops at the next node; without an order it fails with noOrderToCancel', async () => {
  await run({ speed: 3 }, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-7', 0, [{ id: 'n1' }, { id: 'n2' }, { id: 'n3' }, { id: 'n4', actions: [act('waitForTrigger', 'w-7')] }, { id: 'n5' }])
    await fleet.waitState((s) => s.lastNodeId === 'n2' && s.driving, 'driving past n2', since)
    await fleet.instant(act('cancelOrder', 'c-1', 'NONE'))
    const done = await fleet.waitState((s) => actionState(s, 'c-1')?.actionStatus === 'FINISHED', 'cancelOrder finished', since)
    assert.is(done.lastNodeId, 'n3', 'stopped at the next node')
    assert.equal(done.nodeStates, [])
    assert.equal(done.edgeStates, [])
    assert.is(done.orderId, 'o-7', 'orderId is kept')
    assert.is(actionState(done, 'w-7')?.actionStatus, 'FAILED')
    await sleep(200)
    assert.is(fleet.latest?.lastNodeId, 'n3')
    assert.is(fleet.latest?.driving, false)
    // a second cancel: nothing to cancel (6.6.3.2)
    await fleet.instant(act('cancelOrder', 'c-2', 'NONE'))
    const s = await fleet.waitState((x) => actionState(x, 'c-2')?.actionStatus === 'FAILED', 'cancelOrder failed', since)
    const e = errorOf(s, 'noOrderToCancel')!
    assert.is(e.errorLevel, 'WARNING')
    assert.is(refs(e).actionId, 'c-2')
    // a new order from where it stands is accepted (6.6.3.1)
    await fleet.order('o-8', 0, [{ id: 'n3' }, { id: 'n2' }])
    const back = await fleet.waitState((x) => x.orderId === 'o-8' && x.lastNodeId === 'n2' && !x.driving, 'o-8 driven', since)
    assert.equal(back.errors, [])
  })
})

test('[6.8.1 startPause, stopPause] a paused vehicle stops where it is and resumes the order', async () => {
  await run({ speed: 3 }, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-9', 0, [{ id: 'n1' }, { id: 'n2' }, { id: 'n3' }])
    await fleet.waitState((s) => s.driving, 'driving', since)
    await fleet.instant(act('startPause', 'p-1', 'NONE'))
    const paused = await fleet.waitState((s) => s.paused === true && !s.driving, 'paused', since)
    assert.is(actionState(paused, 'p-1')?.actionStatus, 'FINISHED')
    await sleep(300)
    await fleet.instant(act('stateRequest', 'sr-1', 'NONE'))
    const later = await fleet.waitState((s) => actionState(s, 'sr-1')?.actionStatus === 'FINISHED', 'stateRequest answered', since)
    assert.equal(later.agvPosition, paused.agvPosition, 'no motion while paused')
    assert.is(later.driving, false)
    await fleet.instant(act('stopPause', 'p-2', 'NONE'))
    const done = await fleet.waitState((s) => s.lastNodeId === 'n3' && !s.driving, 'arrival at n3', since)
    assert.is(done.paused, false)
  })
})

test('[6.8.1 startCharging, stopCharging] charging on a node raises the battery; instant and node actions', async () => {
  await run({ battery_pct: 50, charge_pct_per_s: 10 }, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.instant(act('startCharging', 'ch-1', 'NONE'))
    const on = await fleet.waitState((s) => s.batteryState.charging, 'charging', since)
    assert.is(actionState(on, 'ch-1')?.actionStatus, 'FINISHED')
    const higher = await fleet.waitState((s) => s.batteryState.batteryCharge > 60, 'battery rising', since)
    assert.is(higher.batteryState.charging, true)
    await fleet.instant(act('stopCharging', 'ch-2', 'NONE'))
    await fleet.waitState((s) => !s.batteryState.charging && actionState(s, 'ch-2')?.actionStatus === 'FINISHED', 'charging stopped', since)
    // as a node action at the end of an order
    await fleet.order('o-10', 0, [{ id: 'n1' }, { id: 'n2', actions: [act('startCharging', 'ch-3', 'HARD')] }])
    const docked = await fleet.waitState((s) => actionState(s, 'ch-3')?.actionStatus === 'FINISHED', 'charging at n2', since)
    assert.is(docked.lastNodeId, 'n2')
    assert.is(docked.batteryState.charging, true)
  })
})

test('[6.10.5] an empty battery stops the vehicle with a FATAL error', async () => {
  await run({ battery_pct: 1, drain_pct_per_m: 0.8 }, async (_v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-11', 0, [{ id: 'n1' }, { id: 'n2' }, { id: 'n3' }])
    const s = await fleet.waitState((x) => errorOf(x, 'batteryEmpty') !== undefined && !x.driving, 'batteryEmpty', since)
    assert.is(errorOf(s, 'batteryEmpty')?.errorLevel, 'FATAL')
    assert.is(s.batteryState.batteryCharge, 0)
    assert.is(s.lastNodeId, 'n2')
    assert.ok(Math.abs(s.agvPosition!.x - 2.25) < 1e-6, `stopped after 1.25 m, at x=${s.agvPosition?.x}`)
  })
})

test('faults: stick() reports driving without progress, fatal() stops with a FATAL error, clearFaults() resumes', async () => {
  await run({ speed: 3 }, async (v, fleet) => {
    const since = fleet.states.length
    await fleet.order('o-12', 0, [{ id: 'n1' }, { id: 'n2' }, { id: 'n3' }])
    await fleet.waitState((s) => s.driving, 'driving', since)
    v.stick()
    await sleep(100)
    const x0 = v.state().agvPosition!.x
    await sleep(300)
    const stuck = v.state()
    assert.is(stuck.driving, true)
    assert.is(stuck.agvPosition!.x, x0, 'no progress')
    v.clearFaults()
    await fleet.waitState((s) => s.lastNodeId === 'n2', 'moving again', since)
    v.fatal('drive unit overheated')
    const f = await fleet.waitState((s) => errorOf(s, 'simulatedFault') !== undefined && !s.driving, 'FATAL', since)
    assert.is(errorOf(f, 'simulatedFault')?.errorLevel, 'FATAL')
    assert.is(errorOf(f, 'simulatedFault')?.errorDescription, 'drive unit overheated')
    v.clearFaults()
    const done = await fleet.waitState((s) => s.lastNodeId === 'n3' && !s.driving, 'arrival at n3', since)
    assert.equal(done.errors, [])
  })
})

test('[6.14] kill() drops the connection: the broker publishes the last will CONNECTIONBROKEN; revive() is ONLINE again', async () => {
  await run({}, async (v, fleet) => {
    await fleet.waitFor(() => fleet.connections.find((c) => c.connectionState === 'ONLINE'), 'ONLINE')
    v.kill()
    const broken = await fleet.waitFor(() => fleet.connections.find((c) => c.connectionState === 'CONNECTIONBROKEN'), 'CONNECTIONBROKEN')
    assert.is(broken.manufacturer, 'Acme')
    assert.is(v.connected, false)
    const n = fleet.connections.length
    await v.revive()
    await fleet.waitFor(() => fleet.connections.slice(n).find((c) => c.connectionState === 'ONLINE'), 'ONLINE again')
  })
})

test('[6.15] factsheetRequest republishes the factsheet; unsupported instant actions fail with a warning', async () => {
  await run({}, async (_v, fleet) => {
    const since = fleet.states.length
    const before = fleet.factsheets.length
    await fleet.instant(act('factsheetRequest', 'f-1', 'NONE'), act('logReport', 'l-1', 'NONE'))
    await fleet.waitFor(() => (fleet.factsheets.length > before ? true : undefined), 'a factsheet')
    const s = await fleet.waitState((x) => actionState(x, 'l-1')?.actionStatus === 'FAILED', 'logReport failed', since)
    assert.is(actionState(s, 'f-1')?.actionStatus, 'FINISHED')
    assert.is(refs(errorOf(s, 'instantActionError')).actionId, 'l-1')
  })
})

test.run()
