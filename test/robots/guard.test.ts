/**
 * Guard duty end to end: the guard robot goes to its post at the check-in gate; faces at the check-in
 * camera (published by an edge client) are verified against the roster with liveness; an admitted
 * expert is guided to their room and the robot comes back; a photo held up is refused and nobody moves.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Bus } from '../../src/contract/bus.js'
import { stamp } from '../../src/contract/envelope.js'
import { sleep } from '../helpers/mqtt.js'
import { password, SITE } from '../helpers/venue.js'
import { fleetVenue } from './fixtures.js'
import { FleetRig } from './rig.js'

test('a verified expert is guided to their room (which the bus never names); a spoof is refused', async () => {
  const venue = await fleetVenue({
    robots: [{ id: 'r1', kind: 'guard', dockNode: 'n-dock-1', vda5050: { manufacturer: 'Acme', serialNumber: 'P-001' } }],
  })
  const rig = await FleetRig.start(venue, [{ robot: 'r1', startNode: 'n-dock-1' }])
  const edge = new Bus({ url: rig.broker.tcpUrl, username: 'edge-1', password: password('edge-1'), clientId: 'edge-1-guard-test' })
  let frame = 0
  const face = async (trackId: string, subject: string, liveness: number) => {
    const now = new Date()
    await edge.publish('cameraSightings', { site: SITE, camera: 'cam-a' }, {
      ...stamp(now),
      camera: 'cam-a',
      frameId: ++frame,
      capturedAt: now.toISOString(),
      width_px: 1920,
      height_px: 1080,
      tracks: [{ trackId, box: [800, 300, 900, 420], floor: [5, 24], subject, score: subject === 'unknown' ? 0.1 : 0.82, liveness, quality: 0.9 }],
    })
  }
  try {
    await edge.start()
    const rq = await rig.request({ kind: 'guard', nodes: ['n-checkin'] })
    await rig.waitMission(rq, (m) => m.step === 'standing guard at n-checkin')
    assert.is(rig.vehicle('r1').state().lastNodeId, 'n-checkin')

    // a photo of the expert held up to the camera
    for (let i = 0; i < 4; i++) await face('t-photo', 'sub-aaaa1111', 0.08)
    const refused = await rig.waitMission(rq, (m) => m.step.startsWith('check-in refused'))
    assert.match(refused.step, 'face not live')
    await sleep(300)
    assert.is(rig.vehicle('r1').state().lastNodeId, 'n-checkin', 'the guard stays')

    // the expert in person
    const visited: string[] = []
    const watch = setInterval(() => {
      const n = rig.vehicle('r1').state().lastNodeId
      if (visited.at(-1) !== n) visited.push(n)
    }, 5)
    for (let i = 0; i < 4; i++) await face('t-live', 'sub-aaaa1111', 0.94)
    await rig.waitMission(rq, (m) => m.step === 'guiding a checked-in expert to their room')
    await rig.waitMission(rq, (m) => m.step === 'standing guard at n-checkin' && visited.includes('n-room-1'), 20_000)
    clearInterval(watch)
    assert.ok(visited.includes('n-room-1'), visited.join(' '))
    assert.is(visited.at(-1), 'n-checkin', 'back at the post')
    const steps = (rig.missions.get(rig.mission(rq)!.missionId) ?? []).map((m) => m.step).join(' | ')
    assert.not.match(steps, 'room-1', 'the room is never on the bus')
    assert.not.match(steps, 'sub-aaaa1111', 'nor the expert')
  } finally {
    await edge.stop()
    await rig.stop()
  }
})

test('a guard low on battery leaves its post to charge, and the post waits for it', async () => {
  const venue = await fleetVenue({
    robots: [{ id: 'r1', kind: 'guard', dockNode: 'n-dock-1', vda5050: { manufacturer: 'Acme', serialNumber: 'P-001' }, battery: { low_pct: 25, ready_pct: 60 } }],
  })
  // charging at 20 %/s: from 20 % to ready in about 2 s
  const rig = await FleetRig.start(venue, [{ robot: 'r1', startNode: 'n-dock-1', charge_pct_per_s: 20 }])
  try {
    const rq = await rig.request({ kind: 'guard', nodes: ['n-checkin'] })
    await rig.waitMission(rq, (m) => m.step === 'standing guard at n-checkin')
    rig.vehicle('r1').setBattery(20)
    const queued = await rig.waitMission(rq, (m) => m.state === 'queued' && m.step.includes('charging'))
    assert.match(queued.step, 'r1 charging')
    // it goes to its dock, charges to ready_pct, and takes the post again
    await rig.waitMission(rq, (m) => m.step === 'standing guard at n-checkin' && rig.vehicle('r1').state().batteryState.batteryCharge >= 60, 30_000)
    const states = (rig.missions.get(rig.mission(rq)!.missionId) ?? []).map((m) => m.state)
    assert.not.ok(states.includes('failed'), states.join(' '))
  } finally {
    await rig.stop()
  }
})

test.run()
