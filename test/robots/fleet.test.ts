/**
 * The fleet end to end over a real broker, with simulated VDA 5050 vehicles: deliveries with proof,
 * a robot killed mid-delivery, a patrol loop, two robots and one single-lane passage, low battery.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { sleep } from '../helpers/mqtt.js'
import { fleetVenue } from './fixtures.js'
import { FleetRig } from './rig.js'

const ROOMS = ['room-1', 'room-2', 'room-3', 'room-4', 'room-5', 'room-6', 'room-7', 'room-8']

test('eight rooms\' meals by two robots: loading at the kitchen, a confirmed hand-over at every hatch, proof records, both back at their docks', async () => {
  const rig = await FleetRig.start(await fleetVenue(), [
    { robot: 'r1', startNode: 'n-dock-1' },
    { robot: 'r2', startNode: 'n-dock-2' },
  ])
  try {
    const rq = await rig.request({ kind: 'delivery', rooms: ROOMS })
    const done = await rig.waitMission(rq, (m) => m.state === 'completed' || m.state === 'failed', 60_000)
    assert.is(done.state, 'completed', JSON.stringify(done))
    assert.is(done.progress, 1)
    const proofs = rig.fleet.deliveries()
    assert.equal(proofs.map((p) => p.room).sort(), ROOMS)
    assert.equal(new Set(proofs.map((p) => p.robot)), new Set(['r1', 'r2']), 'both robots delivered')
    for (const p of proofs) assert.is(p.confirmedBy, rig.confirmBy(p.room), `${p.room} confirmed by its recipient`)
    for (let i = 0; i < 100 && !(rig.vehicle('r1').state().lastNodeId === 'n-dock-1' && rig.vehicle('r2').state().lastNodeId === 'n-dock-2'); i++) await sleep(100)
    assert.is(rig.vehicle('r1').state().lastNodeId, 'n-dock-1')
    assert.is(rig.vehicle('r2').state().lastNodeId, 'n-dock-2')
  } finally {
    await rig.stop()
  }
})

test.run()
