/**
 * The fleet end to end over a real broker, with simulated VDA 5050 vehicles: deliveries with proof,
 * a robot killed mid-delivery, a patrol loop, two robots and one single-lane passage, low battery.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { sleep } from '../helpers/mqtt.js'
import { Schedule } from '../../src/config/schema/fleet.js'
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
    // room-1 is the one room a camera (cam-c) sees: its hand-over has a snapshot, stored with its hash
    const room1 = proofs.find((p) => p.room === 'room-1')!
    assert.is(room1.snapshots.length, 1)
    assert.ok(proofs.filter((p) => p.room !== 'room-1').every((p) => p.snapshots.length === 0))
    for (let i = 0; i < 50 && rig.fleet.snapshotsOf(room1.mission).length === 0; i++) await sleep(20)
    const [shot] = rig.fleet.snapshotsOf(room1.mission)
    assert.is(shot?.camera, 'cam-c')
    assert.match(shot?.sha256 ?? '', /^[0-9a-f]{64}$/)
    for (let i = 0; i < 100 && !(rig.vehicle('r1').state().lastNodeId === 'n-dock-1' && rig.vehicle('r2').state().lastNodeId === 'n-dock-2'); i++) await sleep(100)
    assert.is(rig.vehicle('r1').state().lastNodeId, 'n-dock-1')
    assert.is(rig.vehicle('r2').state().lastNodeId, 'n-dock-2')
  } finally {
    await rig.stop()
  }
})

test('a scheduled delivery ("start") is requested by the fleet itself and served', async () => {
  const base = await fleetVenue()
  const venue = { ...base, fleet: { ...base.fleet, schedules: [Schedule.parse({ id: 'breakfast', kind: 'delivery', rooms: ['room-2', 'room-5'], at: ['start'] })] } }
  const rig = await FleetRig.start(venue, [{ robot: 'r1', startNode: 'n-dock-1' }])
  try {
    for (let i = 0; i < 400 && rig.fleet.deliveries().length < 2; i++) await sleep(25)
    assert.equal(rig.fleet.deliveries().map((p) => p.room).sort(), ['room-2', 'room-5'])
    const m = [...rig.missions.values()].map((l) => l.at(-1)!).find((x) => x.requestId?.startsWith('sched-breakfast-start-'))
    assert.ok(m, 'mission state names the schedule\'s request')
  } finally {
    await rig.stop()
  }
})

test('verify: the robot goes to the alert\'s place, looks for verifyDwell_s (not "stuck"), reports, and returns', async () => {
  const base = await fleetVenue({ robots: [{ id: 'r1', kind: 'patrol', dockNode: 'n-dock-1', vda5050: { manufacturer: 'Acme', serialNumber: 'P-001' } }] })
  const venue = { ...base, fleet: { ...base.fleet, verifyDwell_s: 4, noProgress_s: 2 } }
  const rig = await FleetRig.start(venue, [{ robot: 'r1', startNode: 'n-dock-1', speed: 1 }])
  try {
    const rq = await rig.request({ kind: 'verify', nodes: ['n-c2'], alertId: 'al-test-1' })
    const looking = await rig.waitMission(rq, (m) => m.step === 'r1: looking at n-c2 for alert al-test-1')
    assert.is(looking.state, 'running')
    await sleep(3000)
    assert.is(rig.mission(rq)?.state, 'running', 'still looking after 3 s (noProgress_s is 2 s)')
    assert.not.ok(rig.status.get('r1')?.some((s) => s.faults.some((f) => f.kind === 'stuck')), 'looking is not being stuck')
    const done = await rig.waitMission(rq, (m) => m.state === 'completed' || m.state === 'failed')
    assert.is(done.state, 'completed')
    assert.is(rig.vehicle('r1').state().lastNodeId, 'n-dock-1')
  } finally {
    await rig.stop()
  }
})

test('a robot killed mid-delivery: its fault is published, the other robot finishes its remaining rooms', async () => {
  const rig = await FleetRig.start(await fleetVenue(), [
    { robot: 'r1', startNode: 'n-dock-1' },
    { robot: 'r2', startNode: 'n-dock-2' },
  ])
  try {
    const rq = await rig.request({ kind: 'delivery', rooms: ROOMS })
    // r1 dies once it has handed over its first meal
    for (let i = 0; i < 300 && !rig.fleet.deliveries().some((p) => p.robot === 'r1'); i++) await sleep(20)
    assert.ok(rig.fleet.deliveries().some((p) => p.robot === 'r1'), 'r1 delivered a first meal')
    rig.vehicle('r1').kill()
    await rig.waitStatus('r1', (s) => s.connection === 'connectionbroken' && s.faults.some((f) => f.kind === 'disconnected'))
    const failed = await rig.waitStatus('r1', (s) => s.faults.some((f) => f.kind === 'mission_failed'))
    assert.match(failed.faults.find((f) => f.kind === 'mission_failed')?.detail ?? '', 'connection')
    const done = await rig.waitMission(rq, (m) => m.state === 'completed' || m.state === 'failed', 60_000)
    assert.is(done.state, 'completed', JSON.stringify(done))
    const proofs = rig.fleet.deliveries()
    assert.equal(proofs.map((p) => p.room).sort(), ROOMS, 'every room served once')
    const byR1 = proofs.filter((p) => p.robot === 'r1').length
    assert.ok(byR1 >= 1 && byR1 < 4, `r1 served ${byR1} before it died`)
    assert.is(proofs.filter((p) => p.robot === 'r2').length, 8 - byR1, 'r2 served the rest')
  } finally {
    await rig.stop()
  }
})

test('a patrol loop goes round its waypoints, with a snapshot at the chosen one, until cancelled; then the robot returns to its dock', async () => {
  const venue = await fleetVenue({
    robots: [{ id: 'r1', kind: 'patrol', dockNode: 'n-dock-1', vda5050: { manufacturer: 'Acme', serialNumber: 'P-001' } }],
  })
  const rig = await FleetRig.start(venue, [{ robot: 'r1', startNode: 'n-dock-1' }])
  try {
    const reached: string[] = []
    const watch = setInterval(() => {
      const n = rig.vehicle('r1').state().lastNodeId
      if (reached.at(-1) !== n) reached.push(n)
    }, 10)
    const rq = await rig.request({ kind: 'patrol', nodes: ['n-c1', 'n-c2', 'n-hub'], loop: true, snapshotAt: ['n-c2'] })
    for (let i = 0; i < 400 && reached.filter((n) => n === 'n-c2').length < 3; i++) await sleep(25)
    assert.ok(reached.filter((n) => n === 'n-c2').length >= 3, `three rounds: ${reached.join(' ')}`)
    const running = rig.mission(rq)!
    assert.is(running.state === 'running' || running.state === 'assigned' || running.state === 'queued', true, running.state)
    // a snapshot at the chosen waypoint n-c2 (in the corridor, which cam-b sees), each round
    for (let i = 0; i < 50 && rig.fleet.snapshotsOf(running.missionId).length < 2; i++) await sleep(20)
    const shots = rig.fleet.snapshotsOf(running.missionId)
    assert.ok(shots.length >= 2 && shots.every((x) => x.camera === 'cam-b'), JSON.stringify(shots.map((x) => x.camera)))
    await rig.cancel(running.missionId)
    const cancelled = await rig.waitMission(rq, (m) => m.state === 'cancelled')
    assert.match(cancelled.reason ?? '', 'cancelled by operator-1')
    for (let i = 0; i < 200 && rig.vehicle('r1').state().lastNodeId !== 'n-dock-1'; i++) await sleep(25)
    clearInterval(watch)
    assert.is(rig.vehicle('r1').state().lastNodeId, 'n-dock-1')
  } finally {
    await rig.stop()
  }
})

test('two robots need the one single-lane passage from opposite ends: one waits before it, both get through, never both inside', async () => {
  const venue = await fleetVenue({
    robots: [
      { id: 'r1', kind: 'patrol', dockNode: 'n-dock-1', vda5050: { manufacturer: 'Acme', serialNumber: 'P-001' } },
      { id: 'r2', kind: 'patrol', dockNode: 'n-dock-2', vda5050: { manufacturer: 'Acme', serialNumber: 'D-001' } },
    ],
  })
  const rig = await FleetRig.start(venue, [
    { robot: 'r1', startNode: 'n-c1' },
    { robot: 'r2', startNode: 'n-c4' },
  ])
  try {
    // the passage e-narrow runs from x 25 to x 45 along y 15
    const inside = (robot: string): boolean => {
      const p = rig.vehicle(robot).state().agvPosition
      return p !== undefined && p.x > 25.5 && p.x < 44.5 && Math.abs(p.y - 15) < 0.5
    }
    let both = 0
    let samples = 0
    const visited = { r1: new Set<string>(), r2: new Set<string>() }
    const watch = setInterval(() => {
      samples++
      if (inside('r1') && inside('r2')) both++
      visited.r1.add(rig.vehicle('r1').state().lastNodeId)
      visited.r2.add(rig.vehicle('r2').state().lastNodeId)
    }, 5)
    const east = await rig.request({ kind: 'patrol', robot: 'r1', nodes: ['n-c4'] })
    const west = await rig.request({ kind: 'patrol', robot: 'r2', nodes: ['n-c1'] })
    const a = await rig.waitMission(east, (m) => m.state === 'completed' || m.state === 'failed', 30_000)
    const b = await rig.waitMission(west, (m) => m.state === 'completed' || m.state === 'failed', 30_000)
    assert.is(a.state, 'completed', JSON.stringify(a))
    assert.is(b.state, 'completed', JSON.stringify(b))
    assert.ok(visited.r1.has('n-c4'), 'r1 got through to n-c4')
    assert.ok(visited.r2.has('n-c1'), 'r2 got through to n-c1')
    assert.ok(samples > 50)
    assert.is(both, 0, 'never both in the passage')
    // then both go home, through the passage again, one after the other
    for (let i = 0; i < 400 && !(rig.vehicle('r1').state().lastNodeId === 'n-dock-1' && rig.vehicle('r2').state().lastNodeId === 'n-dock-2'); i++) await sleep(25)
    clearInterval(watch)
    assert.is(rig.vehicle('r1').state().lastNodeId, 'n-dock-1')
    assert.is(both, 0, 'nor on the way home')
    assert.equal(rig.fleet.reservations.heldByRobot('r1').concat(rig.fleet.reservations.heldByRobot('r2')).filter((r) => r === 'edge:e-narrow'), [], 'the passage is free again')
  } finally {
    await rig.stop()
  }
})

test('low battery: the robot is sent to its dock to charge and left out of allocation until charged', async () => {
  const rig = await FleetRig.start(await fleetVenue(), [
    { robot: 'r1', startNode: 'n-c2', battery_pct: 60, charge_pct_per_s: 10 },
    { robot: 'r2', startNode: 'n-dock-2', battery_pct: 90 },
  ])
  try {
    await rig.waitStatus('r1', (s) => s.battery_pct !== null && s.battery_pct >= 59)
    rig.vehicle('r1').setBattery(20) // below low_pct 25
    const low = await rig.waitStatus('r1', (s) => s.faults.some((f) => f.kind === 'low_battery'))
    assert.match(low.faults.find((f) => f.kind === 'low_battery')?.detail ?? '', 'battery 20% < 25%')
    const charging = await rig.waitStatus('r1', (s) => s.mode === 'charging', 20_000)
    assert.is(charging.node, 'n-dock-1')
    // meanwhile a delivery goes to r2 only, though r1 stood nearer the kitchen at first
    const rq = await rig.request({ kind: 'delivery', rooms: ['room-1'] })
    const done = await rig.waitMission(rq, (m) => m.state === 'completed', 30_000)
    assert.is(done.state, 'completed')
    assert.equal(rig.fleet.deliveries().map((p) => p.robot), ['r2'])
    // charged past ready_pct 80: back in service, the low-battery fault cleared
    await rig.waitStatus('r1', (s) => (s.battery_pct ?? 0) >= 80 && !s.faults.some((f) => f.kind === 'low_battery'), 30_000)
  } finally {
    await rig.stop()
  }
})

test.run()
