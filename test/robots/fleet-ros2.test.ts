/**
 * A Nav2 robot in the fleet, through Ros2Link over the in-process rclnodejs stand-in: what the action
 * server does with the goal (accept, reject, abort, cancel) shows up as the mission's state.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Ros2Link } from '../../src/robots/ros2/link.js'
import { RclStandin, type StandinActionServer } from '../helpers/rcl-standin.js'
import { sleep } from '../helpers/mqtt.js'
import { fleetVenue } from './fixtures.js'
import { FleetRig } from './rig.js'

const NTP = 'nav2_msgs/action/NavigateToPose'
const FW = 'nav2_msgs/action/FollowWaypoints'

async function ros2Rig(): Promise<{ rig: FleetRig; ros: RclStandin; nav: StandinActionServer; fw: StandinActionServer; at: (x: number, y: number) => void }> {
  const venue = await fleetVenue({
    robots: [{ id: 'r1', kind: 'patrol', transport: 'ros2', ros2: { namespace: '/r1' }, dockNode: 'n-dock-1', vda5050: { manufacturer: 'Acme', serialNumber: 'P-001' } }],
  })
  const ros = new RclStandin()
  const nav = ros.actionServer('/r1/navigate_to_pose', NTP)
  const fw = ros.actionServer('/r1/follow_waypoints', FW)
  const rig = await FleetRig.start(venue, [], {
    linkFor: (robot) => new Ros2Link({ robot: robot.id, namespace: robot.ros2?.namespace ?? '/', nodes: venue.navigation.nodes, dockNode: robot.dockNode, rcl: ros }),
  })
  const posePub = ros.publisher('geometry_msgs/msg/PoseWithCovarianceStamped', '/r1/amcl_pose')
  const battery = ros.publisher('sensor_msgs/msg/BatteryState', '/r1/battery_state')
  const at = (x: number, y: number): void => {
    posePub.publish({ header: { stamp: { sec: 1, nanosec: 0 }, frame_id: 'map' }, pose: { pose: { position: { x, y, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } }, covariance: new Array(36).fill(0) } })
    battery.publish({ voltage: 24, percentage: 0.9, power_supply_status: 3, present: true })
  }
  at(8, 15) // n-hub
  await rig.waitStatus('r1', (s) => s.node === 'n-hub' && s.connection === 'online')
  return { rig, ros, nav, fw, at }
}

test('accepted, then succeeded: the patrol runs and completes', async () => {
  const { rig, nav, at } = await ros2Rig()
  try {
    const rq = await rig.request({ kind: 'patrol', robot: 'r1', nodes: ['n-c1'] })
    const goal = await nav.nextGoal()
    goal.execute()
    await rig.waitMission(rq, (m) => m.state === 'running')
    at(15, 15) // n-c1
    goal.succeed()
    const done = await rig.waitMission(rq, (m) => m.state === 'completed' || m.state === 'failed')
    assert.is(done.state, 'completed', JSON.stringify(done))
    assert.is(done.robot, 'r1')
  } finally {
    await rig.stop()
  }
})

test('rejected by Nav2: a mission asked of this robot fails, naming the rejection', async () => {
  const { rig, nav } = await ros2Rig()
  try {
    nav.acceptGoals = () => false
    const rq = await rig.request({ kind: 'patrol', robot: 'r1', nodes: ['n-c1'] })
    const failed = await rig.waitMission(rq, (m) => m.state === 'failed')
    assert.match(failed.reason ?? '', 'leg rejected')
    await rig.waitStatus('r1', (s) => s.faults.some((f) => f.kind === 'mission_failed'))
  } finally {
    await rig.stop()
  }
})

test('aborted by Nav2: the mission fails with the reason', async () => {
  const { rig, nav } = await ros2Rig()
  try {
    const rq = await rig.request({ kind: 'patrol', robot: 'r1', nodes: ['n-c1'] })
    const goal = await nav.nextGoal()
    goal.execute()
    await rig.waitMission(rq, (m) => m.state === 'running')
    goal.abort({ error_code: 104, error_msg: 'no valid path found' })
    const failed = await rig.waitMission(rq, (m) => m.state === 'failed')
    assert.match(failed.reason ?? '', 'leg failed')
    assert.match(failed.reason ?? '', 'no valid path found')
  } finally {
    await rig.stop()
  }
})

test('cancelled by the operator: the Nav2 goal is cancelled and the mission ends cancelled', async () => {
  const { rig, nav } = await ros2Rig()
  try {
    const rq = await rig.request({ kind: 'patrol', robot: 'r1', nodes: ['n-c1'] })
    const goal = await nav.nextGoal()
    goal.execute()
    const running = await rig.waitMission(rq, (m) => m.state === 'running')
    await rig.cancel(running.missionId)
    const cancelled = await rig.waitMission(rq, (m) => m.state === 'cancelled')
    assert.match(cancelled.reason ?? '', 'cancelled by operator-1')
    for (let i = 0; i < 100 && goal.status !== 5; i++) await sleep(20)
    assert.is(goal.status, 5, 'the goal ended CANCELED (GoalStatus 5)')
  } finally {
    await rig.stop()
  }
})

test.run()
