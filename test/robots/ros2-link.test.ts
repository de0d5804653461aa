import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Leg, LegEvent, LinkSnapshot } from '../../src/robots/link.js'
import { Ros2Link, ros2SupportsAction, type Ros2LinkOptions } from '../../src/robots/ros2/link.js'
import { GoalStatus, PowerSupplyStatus, ROS2_INSTALL_HINT, loadRclnodejs } from '../../src/robots/ros2/rcl.js'
import { RclStandin, type StandinActionServer, type StandinGoal } from '../helpers/rcl-standin.js'

const NODES = [
  { id: 'n0', at: [0, 0] as const },
  { id: 'n1', at: [2, 0] as const },
  { id: 'n2', at: [4, 0] as const },
  { id: 'n3', at: [4, 3] as const },
  { id: 'dock', at: [0, 2] as const },
]

const FW = 'nav2_msgs/action/FollowWaypoints'
const NTP = 'nav2_msgs/action/NavigateToPose'
const POSE = 'geometry_msgs/msg/PoseWithCovarianceStamped'
const BATTERY = 'sensor_msgs/msg/BatteryState'

interface Rig {
  ros: RclStandin
  link: Ros2Link
  fw: StandinActionServer
  nav: StandinActionServer
  events: LegEvent[]
  onEvent: (e: LegEvent) => void
  clock: { now: number }
}

async function rig(o: Partial<Ros2LinkOptions> = {}): Promise<Rig> {
  const ros = new RclStandin()
  const fw = ros.actionServer('/r3/follow_waypoints', FW)
  const nav = ros.actionServer('/r3/navigate_to_pose', NTP)
  const clock = { now: 1_700_000_000_000 }
  const link = new Ros2Link({
    robot: 'r3',
    namespace: '/r3',
    nodes: NODES,
    rcl: ros,
    clock: () => clock.now,
    dockNode: 'dock',
    serverTimeoutMs: 50,
    cancelTimeoutMs: 500,
    ...o,
  })
  await link.start()
  const events: LegEvent[] = []
  return { ros, link, fw, nav, events, onEvent: (e) => events.push(e), clock }
}

async function until(cond: () => boolean, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 1))
  }
}

const kinds = (events: LegEvent[]): string[] => events.map((e) => (e.kind === 'reached' ? `reached:${e.node}` : e.kind))
const last = (events: LegEvent[]): LegEvent | undefined => events[events.length - 1]
const leg = (nodes: string[], released = nodes.length, actions: Leg['actions'] = []): Leg => ({ id: 'leg-1', nodes, released, actions })
const xy = (g: StandinGoal): Array<[number, number]> =>
  (g.request.poses as Array<{ pose: { position: { x: number; y: number } } }>).map((p) => [p.pose.position.x, p.pose.position.y])
const yaw = (q: { z: number; w: number }): number => 2 * Math.atan2(q.z, q.w)

test('accepted goal: accepted, reached from feedback, finished on SUCCEEDED', async () => {
  const r = await rig()
  const driving = r.link.drive(leg(['n0', 'n1', 'n2', 'n3']), r.onEvent)
  const goal = await r.fw.nextGoal()
  await driving
  assert.equal(kinds(r.events), ['accepted'])
  assert.equal(xy(goal), [
    [2, 0],
    [4, 0],
    [4, 3],
  ])
  const poses = goal.request.poses as Array<{ header: { frame_id: string }; pose: { orientation: { z: number; w: number } } }>
  assert.ok(poses.every((p) => p.header.frame_id === 'map'))
  assert.ok(Math.abs(yaw(poses[0]!.pose.orientation)) < 1e-9, 'n1 faces n2 (east)')
  assert.ok(Math.abs(yaw(poses[1]!.pose.orientation) - Math.PI / 2) < 1e-9, 'n2 faces n3 (north)')
  assert.ok(Math.abs(yaw(poses[2]!.pose.orientation) - Math.PI / 2) < 1e-9, 'n3 keeps the last heading')
  assert.is(r.nav.goals.length, 0, 'several nodes: FollowWaypoints, not NavigateToPose')
  assert.ok(r.link.snapshot().driving)

  goal.publishFeedback({ current_waypoint: 0 })
  goal.publishFeedback({ current_waypoint: 1 })
  await until(() => r.events.length === 2, 'reached n1')
  goal.publishFeedback({ current_waypoint: 1 }) // Nav2 repeats feedback: no duplicate
  goal.publishFeedback({ current_waypoint: 2 })
  await until(() => r.events.length === 3, 'reached n2')
  goal.succeed()
  await until(() => last(r.events)?.kind === 'finished', 'finished')
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'reached:n2', 'reached:n3', 'finished'])
  assert.equal(
    r.events.filter((e) => e.kind === 'reached').map((e) => (e as { index: number }).index),
    [1, 2, 3],
  )
  const s = r.link.snapshot()
  assert.not.ok(s.driving)
  assert.is(s.node, 'n3')
  await r.link.stop()
})

test('a single node to drive goes through NavigateToPose', async () => {
  const r = await rig()
  const driving = r.link.drive(leg(['n0', 'n1']), r.onEvent)
  const goal = await r.nav.nextGoal()
  await driving
  assert.is(r.fw.goals.length, 0)
  assert.equal(goal.request.pose.pose.position, { x: 2, y: 0, z: 0 })
  assert.is(goal.request.behavior_tree, '')
  goal.publishFeedback({ distance_remaining: 1.2, number_of_recoveries: 0 })
  goal.succeed()
  await until(() => last(r.events)?.kind === 'finished', 'finished')
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'finished'])
  await r.link.stop()
})

test('goal rejected by Nav2: rejected, and the robot is free again', async () => {
  const r = await rig()
  r.fw.acceptGoals = () => false
  await r.link.drive(leg(['n0', 'n1', 'n2']), r.onEvent)
  assert.is(r.fw.goals.length, 1)
  assert.equal(kinds(r.events), ['rejected'])
  assert.match((r.events[0] as { reason: string }).reason, /rejected the follow_waypoints goal/)
  assert.not.ok(r.link.snapshot().driving)

  r.fw.acceptGoals = () => true
  const again: LegEvent[] = []
  const driving = r.link.drive(leg(['n0', 'n1', 'n2']), (e) => again.push(e))
  await r.fw.nextGoal()
  await driving
  assert.equal(kinds(again), ['accepted'])
  await r.link.stop()
})

test('no Nav2 action server: rejected', async () => {
  const r = await rig()
  r.ros.setServerUp(r.fw, false)
  await r.link.drive(leg(['n0', 'n1', 'n2']), r.onEvent)
  assert.equal(kinds(r.events), ['rejected'])
  assert.match((r.events[0] as { reason: string }).reason, /follow_waypoints .*not available/)
  await r.link.stop()
})

test('ABORTED: failed, with the Nav2 error and the missed node', async () => {
  const r = await rig()
  const driving = r.link.drive(leg(['n0', 'n1', 'n2', 'n3']), r.onEvent)
  const goal = await r.fw.nextGoal()
  await driving
  goal.publishFeedback({ current_waypoint: 1 })
  await until(() => r.events.length === 2, 'reached n1')
  goal.abort({ missed_waypoints: [{ index: 1, error_code: 104 }], error_code: 601, error_msg: 'task executor failed' })
  await until(() => last(r.events)?.kind === 'failed', 'failed')
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'failed'])
  const reason = (last(r.events) as { reason: string }).reason
  assert.match(reason, /aborted follow_waypoints/)
  assert.match(reason, /601: task executor failed/)
  assert.match(reason, /missed node n2/)
  assert.not.ok(r.link.snapshot().driving)
  await r.link.stop()
})

test('SUCCEEDED with missed waypoints (stop_on_failure false): failed', async () => {
  const r = await rig()
  const driving = r.link.drive(leg(['n0', 'n1', 'n2', 'n3']), r.onEvent)
  const goal = await r.fw.nextGoal()
  await driving
  goal.succeed({ missed_waypoints: [1] }) // Humble: int32[]
  await until(() => last(r.events)?.kind === 'failed', 'failed')
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'failed'])
  assert.match((last(r.events) as { reason: string }).reason, /missed node n2/)
  await r.link.stop()
})

test('cancel(): Nav2 cancels the goal, the leg is cancelled', async () => {
  const r = await rig()
  const driving = r.link.drive(leg(['n0', 'n1', 'n2', 'n3']), r.onEvent)
  const goal = await r.fw.nextGoal()
  await driving
  goal.publishFeedback({ current_waypoint: 1 })
  await until(() => r.events.length === 2, 'reached n1')
  await r.link.cancel()
  assert.ok(goal.cancelRequested)
  assert.is(goal.status, GoalStatus.STATUS_CANCELED)
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'cancelled'])
  assert.not.ok(r.link.snapshot().driving)
  await r.link.cancel() // nothing running: no-op
  assert.is(r.events.length, 3)
  await r.link.stop()
})

test('cancel(): a server that confirms later still ends the leg as cancelled', async () => {
  const r = await rig()
  r.fw.onCancel = 'accept'
  const driving = r.link.drive(leg(['n0', 'n1', 'n2']), r.onEvent)
  const goal = await r.fw.nextGoal()
  await driving
  const cancelling = r.link.cancel()
  await until(() => goal.status === GoalStatus.STATUS_CANCELING, 'CANCELING')
  assert.equal(kinds(r.events), ['accepted'])
  goal.canceled()
  await cancelling
  assert.equal(kinds(r.events), ['accepted', 'cancelled'])
  await r.link.stop()
})

test('cancel() refused by Nav2: gives up, the leg goes on', async () => {
  const r = await rig()
  r.fw.onCancel = 'reject'
  const driving = r.link.drive(leg(['n0', 'n1', 'n2']), r.onEvent)
  const goal = await r.fw.nextGoal()
  await driving
  await r.link.cancel()
  assert.equal(kinds(r.events), ['accepted'])
  goal.succeed()
  await until(() => last(r.events)?.kind === 'finished', 'finished')
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'reached:n2', 'finished'])
  await r.link.stop()
})

test('a leg with waitForTrigger (or pick) is refused without sending a goal', async () => {
  const r = await rig()
  await r.link.drive(leg(['n0', 'n1', 'n2'], 3, [{ id: 'a1', type: 'waitForTrigger', blocking: 'HARD' }]), r.onEvent)
  assert.equal(kinds(r.events), ['rejected'])
  assert.match((r.events[0] as { reason: string }).reason, /waitForTrigger/)
  await r.link.drive(
    leg(['n0', 'n1'], 2, [
      { id: 'a2', type: 'pick', blocking: 'HARD' },
      { id: 'a3', type: 'drop', blocking: 'HARD' },
    ]),
    r.onEvent,
  )
  assert.match((r.events[1] as { reason: string }).reason, /pick, drop/)
  assert.is(r.fw.goals.length + r.nav.goals.length, 0, 'no goal sent')
  assert.ok(ros2SupportsAction('startCharging'))
  assert.not.ok(ros2SupportsAction('waitForTrigger'))
  await r.link.stop()
})

test('startCharging at the dock sets the charging flag; elsewhere the leg is refused', async () => {
  const r = await rig()
  await r.link.drive(leg(['n0', 'n1'], 2, [{ id: 'c0', type: 'startCharging', blocking: 'HARD' }]), r.onEvent)
  assert.equal(kinds(r.events), ['rejected'])
  assert.match((r.events[0] as { reason: string }).reason, /not the dock/)

  const events: LegEvent[] = []
  const driving = r.link.drive(leg(['n0', 'dock'], 2, [{ id: 'c1', type: 'startCharging', blocking: 'HARD' }]), (e) => events.push(e))
  const goal = await r.nav.nextGoal()
  await driving
  assert.not.ok(r.link.snapshot().charging)
  goal.succeed()
  await until(() => last(events)?.kind === 'finished', 'finished')
  assert.equal(kinds(events), ['accepted', 'reached:dock', 'action', 'finished'])
  assert.equal(events[2], { kind: 'action', actionId: 'c1', status: 'FINISHED' })
  assert.ok(r.link.snapshot().charging)
  await r.link.stop()
})

test('a one-node leg sends no goal and runs its actions at once', async () => {
  const r = await rig()
  await r.link.drive(leg(['dock'], 1, [{ id: 'c2', type: 'stopCharging', blocking: 'HARD' }]), r.onEvent)
  await until(() => last(r.events)?.kind === 'finished', 'finished')
  assert.equal(kinds(r.events), ['accepted', 'action', 'finished'])
  assert.is(r.fw.goals.length + r.nav.goals.length, 0)
  await r.link.stop()
})

test('held-back nodes: the robot waits at the release end, extend() sends the rest', async () => {
  const r = await rig()
  const driving = r.link.drive(leg(['n0', 'n1', 'n2', 'n3'], 2), r.onEvent)
  const first = await r.nav.nextGoal()
  await driving
  first.succeed()
  await until(() => r.events.length === 2, 'reached n1')
  await new Promise((res) => setTimeout(res, 5))
  assert.equal(kinds(r.events), ['accepted', 'reached:n1'], 'not finished: n2, n3 held back')
  assert.not.ok(r.link.snapshot().driving)

  await r.link.extend(leg(['n0', 'n1', 'n2', 'n3'], 4))
  const second = await r.fw.nextGoal()
  assert.equal(xy(second), [
    [4, 0],
    [4, 3],
  ])
  second.publishFeedback({ current_waypoint: 1 })
  second.succeed()
  await until(() => last(r.events)?.kind === 'finished', 'finished')
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'reached:n2', 'reached:n3', 'finished'])
  await r.link.stop()
})

test('extend() while driving: cancels and re-sends from the last node reached, no cancelled event', async () => {
  const r = await rig()
  const driving = r.link.drive(leg(['n0', 'n1', 'n2', 'n3'], 3), r.onEvent)
  const first = await r.fw.nextGoal()
  await driving
  first.publishFeedback({ current_waypoint: 1 })
  await until(() => r.events.length === 2, 'reached n1')
  await r.link.extend(leg(['n0', 'n1', 'n2', 'n3'], 4))
  assert.is(first.status, GoalStatus.STATUS_CANCELED)
  const second = await r.fw.nextGoal()
  assert.equal(xy(second), [
    [4, 0],
    [4, 3],
  ])
  second.succeed()
  await until(() => last(r.events)?.kind === 'finished', 'finished')
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'reached:n2', 'reached:n3', 'finished'])
  await r.link.stop()
})

test('pause() cancels the goal and keeps the leg; resume() re-sends what is left', async () => {
  const r = await rig()
  const driving = r.link.drive(leg(['n0', 'n1', 'n2', 'n3']), r.onEvent)
  const first = await r.fw.nextGoal()
  await driving
  first.publishFeedback({ current_waypoint: 2 })
  await until(() => r.events.length === 3, 'reached n2')
  await r.link.pause()
  assert.is(first.status, GoalStatus.STATUS_CANCELED)
  let s = r.link.snapshot()
  assert.ok(s.paused)
  assert.not.ok(s.driving)
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'reached:n2'])

  await r.link.resume()
  const second = await r.nav.nextGoal()
  assert.equal(second.request.pose.pose.position, { x: 4, y: 3, z: 0 })
  s = r.link.snapshot()
  assert.not.ok(s.paused)
  assert.ok(s.driving)
  second.succeed()
  await until(() => last(r.events)?.kind === 'finished', 'finished')
  assert.equal(kinds(r.events), ['accepted', 'reached:n1', 'reached:n2', 'reached:n3', 'finished'])
  await r.link.stop()
})

test('pose and battery topics fill the snapshot', async () => {
  const r = await rig()
  assert.ok(r.ros.subscribed(POSE, '/r3/amcl_pose'))
  assert.ok(r.ros.subscribed(BATTERY, '/r3/battery_state'))
  let s = r.link.snapshot()
  assert.is(s.connection, 'offline')
  assert.is(s.floor, null)
  assert.is(s.battery_pct, null)
  assert.is(s.reportedAt, 0)
  const updates: LinkSnapshot[] = []
  r.link.onUpdate((u) => updates.push(u))

  const theta = Math.PI / 2
  const pose = (x: number, y: number) => ({
    header: { stamp: { sec: 1, nanosec: 0 }, frame_id: 'map' },
    pose: {
      pose: { position: { x, y, z: 0 }, orientation: { x: 0, y: 0, z: Math.sin(theta / 2), w: Math.cos(theta / 2) } },
      covariance: new Array(36).fill(0),
    },
  })
  r.ros.publisher(POSE, '/r3/amcl_pose').publish(pose(2.1, 0.2))
  await until(() => r.link.snapshot().floor !== null, 'pose')
  s = r.link.snapshot()
  assert.is(s.connection, 'online')
  assert.equal(s.floor, [2.1, 0.2])
  assert.ok(Math.abs((s.theta ?? 0) - theta) < 1e-9)
  assert.is(s.node, 'n1', 'within 0.5 m of n1')
  assert.is(s.reportedAt, r.clock.now)

  const battery = r.ros.publisher(BATTERY, '/r3/battery_state')
  battery.publish({ voltage: 24.1, percentage: 0.42, power_supply_status: PowerSupplyStatus.DISCHARGING, present: true })
  await until(() => r.link.snapshot().battery_pct !== null, 'battery')
  s = r.link.snapshot()
  assert.ok(Math.abs((s.battery_pct ?? 0) - 42) < 1e-9)
  assert.not.ok(s.charging)
  battery.publish({ voltage: 24.1, percentage: 0.43, power_supply_status: PowerSupplyStatus.CHARGING, present: true })
  await until(() => r.link.snapshot().charging, 'charging')

  r.ros.publisher(POSE, '/r3/amcl_pose').publish(pose(3, 1.5))
  await until(() => r.link.snapshot().floor?.[0] === 3, 'second pose')
  assert.is(r.link.snapshot().node, 'n1', 'away from every node: the last one reached')
  assert.ok(updates.length >= 4, 'onUpdate on every message')

  // Other robots' topics and wrong message types do not reach this robot.
  r.ros.publisher(POSE, '/r4/amcl_pose').publish(pose(0, 0))
  r.ros.publisher('geometry_msgs/msg/PoseStamped', '/r3/amcl_pose').publish(pose(0, 0))
  await new Promise((res) => setTimeout(res, 5))
  assert.equal(r.link.snapshot().floor, [3, 1.5])
  await r.link.stop()
  assert.is(r.link.snapshot().connection, 'offline')
})

test('silence: connectionbroken after silenceMs, online again on the next message', async () => {
  const r = await rig({ silenceMs: 3_000, checkEveryMs: 2 })
  const updates: LinkSnapshot[] = []
  r.link.onUpdate((u) => updates.push(u))
  const battery = r.ros.publisher(BATTERY, '/r3/battery_state')
  battery.publish({ voltage: 24, percentage: 0.8, power_supply_status: 0, present: true })
  await until(() => r.link.snapshot().connection === 'online', 'online')
  r.clock.now += 3_000
  assert.is(r.link.snapshot().connection, 'online', 'not yet')
  r.clock.now += 1
  assert.is(r.link.snapshot().connection, 'connectionbroken')
  await until(() => updates.some((u) => u.connection === 'connectionbroken'), 'the watchdog to notify')
  battery.publish({ voltage: 24, percentage: 0.79, power_supply_status: 0, present: true })
  await until(() => r.link.snapshot().connection === 'online', 'online again')
  await r.link.stop()
})

test('links share one rclnodejs context: init once, shutdown after the last stop', async () => {
  const ros = new RclStandin()
  const mk = (robot: string, namespace: string) => new Ros2Link({ robot, namespace, nodes: NODES, rcl: ros })
  const a = mk('r1', '/r1')
  const b = mk('r-2', '/r2')
  await a.start()
  await b.start()
  assert.is(ros.initCalls, 1)
  assert.equal(
    ros.nodes.map((n) => `${n.namespace()}/${n.name()}`),
    ['/r1/venue_sentinel_r1', '/r2/venue_sentinel_r_2'],
  )
  assert.ok(ros.nodes.every((n) => n.spinning))
  await a.stop()
  assert.is(ros.shutdownCalls, 0)
  await b.stop()
  assert.is(ros.shutdownCalls, 1)
})

test('drive() before start(), or while a leg runs, is rejected', async () => {
  const ros = new RclStandin()
  const link = new Ros2Link({ robot: 'r3', namespace: '/r3', nodes: NODES, rcl: ros })
  const events: LegEvent[] = []
  await link.drive(leg(['n0', 'n1']), (e) => events.push(e))
  assert.equal(kinds(events), ['rejected'])

  const r = await rig()
  const driving = r.link.drive(leg(['n0', 'n1', 'n2']), r.onEvent)
  await r.fw.nextGoal()
  await driving
  const second: LegEvent[] = []
  await r.link.drive(leg(['n1', 'n2']), (e) => second.push(e))
  assert.equal(kinds(second), ['rejected'])
  assert.match((second[0] as { reason: string }).reason, /already runs leg leg-1/)
  await r.link.drive({ id: 'x', nodes: ['n0', 'nowhere'], released: 2, actions: [] }, (e) => second.push(e))
  assert.match((second[1] as { reason: string }).reason, /unknown navigation node\(s\) nowhere/)
  await r.link.stop()
  assert.equal(kinds(r.events), ['accepted', 'cancelled'], 'stop() cancels the running goal')
})

test('loadRclnodejs() without rclnodejs installed throws the install instructions', async () => {
  try {
    await loadRclnodejs()
    assert.unreachable('rclnodejs is not installed here')
  } catch (err) {
    const message = (err as Error).message
    assert.is(message, ROS2_INSTALL_HINT)
    assert.match(message, 'source /opt/ros/<distro>/setup.bash')
    assert.match(message, 'npm install --no-save rclnodejs')
  }
  try {
    await loadRclnodejs('node:path')
    assert.unreachable('node:path is not rclnodejs')
  } catch (err) {
    assert.match((err as Error).message, /does not look like rclnodejs/)
  }
})

test.run()
