/**
 * RobotLink for robots that run Nav2, through rclnodejs (behind the narrow interface of ./rcl.ts).
 *
 * One ROS 2 node per robot, in the robot's namespace (robot config `ros2.namespace`), so the relative
 * names below resolve to e.g. /r3/follow_waypoints:
 *   - action `follow_waypoints` (nav2_msgs/action/FollowWaypoints) for a leg of two or more nodes to
 *     drive, `navigate_to_pose` (nav2_msgs/action/NavigateToPose) for a single one;
 *   - topic `amcl_pose` (geometry_msgs/msg/PoseWithCovarianceStamped): floor position and heading;
 *   - topic `battery_state` (sensor_msgs/msg/BatteryState): charge (percentage 0..1) and charging.
 * The map frame must be the venue's floor frame (same origin and axes, metres). A leg's nodes become
 * PoseStamped in that frame, each facing the next node of the leg (the last one keeps the heading of
 * its last segment); the stamp is zero ("latest transform"), as the venue's clock is not ROS time.
 *
 * Mapping (ROS 2 → LegEvent):
 *   goal not accepted (or the action server is not up) → rejected
 *   goal accepted                                     → accepted
 *   FollowWaypoints feedback current_waypoint = k     → reached, for the goal's waypoints before k
 *   result SUCCEEDED                                  → reached (the rest), then the leg's actions, then finished
 *                                                       (or, with nodes still held back, nothing: the robot
 *                                                       waits at the last released node for extend())
 *   result SUCCEEDED with missed_waypoints            → failed (Nav2 with stop_on_failure=false)
 *   result ABORTED                                    → failed, reason with Nav2's error code and message
 *   result CANCELED                                   → cancelled (unless the link itself cancelled to
 *                                                       re-send, see extend/pause)
 *   any other final status, getResult() failing       → failed
 *
 * Leg actions: Nav2 has no VDA 5050 actions. Only the bookkeeping ones are supported:
 * 'startCharging' / 'stopCharging' set the snapshot's charging flag (refused at a node that is not the
 * robot's dock, when the dock is known; a Nav2 robot docks by driving onto its charger, and once its
 * BatteryState reports a power-supply status that status wins over the flag). Every other action
 * (waitForTrigger, pick, drop, ...) needs the robot's own hardware or interaction, so drive() rejects
 * the whole leg without sending a goal, naming the action(s); the fleet should not allocate such
 * missions to ROS 2 robots (see `ros2SupportsAction`).
 *
 * extend(): Nav2 goals cannot grow, so a running goal is cancelled (the robot stops briefly) and a new
 * one is sent from the last node reached to the new release end. pause()/resume(): Nav2 actions have
 * no pause; pause cancels the running goal and keeps the leg, resume re-sends what is left.
 */

import type { Leg, LegAction, LegEvent, LinkConnection, LinkError, LinkSnapshot, RobotLink } from '../link.js'
import {
  CancelReturnCode,
  GoalStatus,
  PowerSupplyStatus,
  acquireRcl,
  releaseRcl,
  type ActionClient,
  type BatteryState,
  type ClientGoalHandle,
  type FollowWaypointsFeedback,
  type FollowWaypointsGoal,
  type FollowWaypointsResult,
  type NavigateToPoseFeedback,
  type NavigateToPoseGoal,
  type NavigateToPoseResult,
  type Node,
  type PoseStamped,
  type PoseWithCovarianceStamped,
  type Rclnodejs,
} from './rcl.js'

/** Leg action types a Nav2 robot can run (bookkeeping only, see the header). */
export const ROS2_LEG_ACTIONS: readonly string[] = ['startCharging', 'stopCharging']

/** Whether a ROS 2 (Nav2) robot can run a leg action of this VDA 5050 type. */
export function ros2SupportsAction(type: string): boolean {
  return ROS2_LEG_ACTIONS.includes(type)
}

export interface Ros2NavNode {
  id: string
  /** Floor position in metres (= the map frame). */
  at: readonly [number, number]
}

export interface Ros2LinkOptions {
  /** Robot id. */
  robot: string
  /** ROS 2 namespace of the robot's Nav2 stack (robot config `ros2.namespace`), e.g. "/r3". */
  namespace: string
  /** The venue's navigation nodes. */
  nodes: readonly Ros2NavNode[]
  /** rclnodejs (loadRclnodejs()) or a stand-in. */
  rcl: Rclnodejs
  /** Epoch ms now; default Date.now. */
  clock?: () => number
  /** The robot's dock node (robot config `dockNode`): charging actions elsewhere are refused. */
  dockNode?: string
  /** Frame of the goal poses; default "map". */
  mapFrame?: string
  /** Topic and action names, relative to the namespace unless they start with "/". */
  names?: {
    pose?: string
    battery?: string
    navigateToPose?: string
    followWaypoints?: string
  }
  /** No pose or battery message for this long: connection "connectionbroken". Default 10 000 ms. */
  silenceMs?: number
  /** How often the silence is checked (for onUpdate). Default 1 000 ms. */
  checkEveryMs?: number
  /** How long drive() waits for the Nav2 action server. Default 5 000 ms. */
  serverTimeoutMs?: number
  /** How long cancel() (and extend/pause) wait for Nav2 to confirm a cancel. Default 10 000 ms. */
  cancelTimeoutMs?: number
  /** A pose within this distance of a node puts the robot at that node. Default 0.5 m. */
  nearNodeM?: number
}

type GoalKind = 'navigate_to_pose' | 'follow_waypoints'
type StopReason = 'cancel' | 'extend' | 'pause'

/** One Nav2 goal: it drives leg nodes from+1 .. to. */
interface GoalRun {
  kind: GoalKind
  from: number
  to: number
  handle: ClientGoalHandle<NavigateToPoseResult | FollowWaypointsResult> | null
  /** Why the link asked Nav2 to cancel it, if it did. */
  stopping: StopReason | null
  /** Highest FollowWaypoints current_waypoint seen. */
  waypoint: number
  /** Settles once the result is handled. */
  done: Promise<void>
  settle: () => void
}

interface ActiveLeg {
  leg: Leg
  onEvent: (e: LegEvent) => void
  /** Highest index of `leg.nodes` reached (0: the start). */
  reached: number
  goal: GoalRun | null
  ended: boolean
  over: Promise<void>
  finish: () => void
}

const sanitize = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_')

function yawOf(q: { x: number; y: number; z: number; w: number }): number {
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z))
}

function timeout(ms: number): { promise: Promise<'timeout'>; clear: () => void } {
  let t: NodeJS.Timeout | undefined
  const promise = new Promise<'timeout'>((resolve) => {
    t = setTimeout(() => resolve('timeout'), ms)
  })
  return { promise, clear: () => clearTimeout(t) }
}

export class Ros2Link implements RobotLink {
  readonly robot: string
  private readonly rcl: Rclnodejs
  private readonly namespace: string
  private readonly nodeAt = new Map<string, readonly [number, number]>()
  private readonly clock: () => number
  private readonly dockNode: string | undefined
  private readonly mapFrame: string
  private readonly names: Required<NonNullable<Ros2LinkOptions['names']>>
  private readonly silenceMs: number
  private readonly checkEveryMs: number
  private readonly serverTimeoutMs: number
  private readonly cancelTimeoutMs: number
  private readonly nearNodeM: number

  private node: Node | null = null
  private navigate: ActionClient<NavigateToPoseGoal, NavigateToPoseFeedback, NavigateToPoseResult> | null = null
  private follow: ActionClient<FollowWaypointsGoal, FollowWaypointsFeedback, FollowWaypointsResult> | null = null
  private timer: NodeJS.Timeout | null = null
  private readonly listeners: Array<(s: LinkSnapshot) => void> = []
  private lastConnection: LinkConnection = 'offline'

  private pose: { x: number; y: number; theta: number } | null = null
  private batteryPct: number | null = null
  /** Charging as BatteryState says, null while it does not know. */
  private batteryCharging: boolean | null = null
  /** Charging as startCharging/stopCharging/charge() set it. */
  private chargingFlag = false
  private lastNode: string | null = null
  private reportedAt = 0
  private paused = false
  private readonly errors: LinkError[] = []

  private active: ActiveLeg | null = null
  private queue: Promise<unknown> = Promise.resolve()

  constructor(o: Ros2LinkOptions) {
    this.robot = o.robot
    this.rcl = o.rcl
    this.namespace = o.namespace
    for (const n of o.nodes) this.nodeAt.set(n.id, n.at)
    this.clock = o.clock ?? Date.now
    this.dockNode = o.dockNode
    this.mapFrame = o.mapFrame ?? 'map'
    this.names = {
      pose: o.names?.pose ?? 'amcl_pose',
      battery: o.names?.battery ?? 'battery_state',
      navigateToPose: o.names?.navigateToPose ?? 'navigate_to_pose',
      followWaypoints: o.names?.followWaypoints ?? 'follow_waypoints',
    }
    this.silenceMs = o.silenceMs ?? 10_000
    this.checkEveryMs = o.checkEveryMs ?? 1_000
    this.serverTimeoutMs = o.serverTimeoutMs ?? 5_000
    this.cancelTimeoutMs = o.cancelTimeoutMs ?? 10_000
    this.nearNodeM = o.nearNodeM ?? 0.5
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (this.node !== null) return
    await acquireRcl(this.rcl)
    try {
      const node = new this.rcl.Node(`venue_sentinel_${sanitize(this.robot)}`, this.namespace)
      node.createSubscription('geometry_msgs/msg/PoseWithCovarianceStamped', this.names.pose, {}, (m: PoseWithCovarianceStamped) =>
        this.onPose(m),
      )
      // Sensor-data QoS (best effort) also hears reliable publishers; battery drivers use either.
      node.createSubscription('sensor_msgs/msg/BatteryState', this.names.battery, { qos: 'qos_profile_sensor_data' }, (m: BatteryState) =>
        this.onBattery(m),
      )
      this.navigate = new this.rcl.ActionClient(node, 'nav2_msgs/action/NavigateToPose', this.names.navigateToPose)
      this.follow = new this.rcl.ActionClient(node, 'nav2_msgs/action/FollowWaypoints', this.names.followWaypoints)
      this.rcl.spin(node)
      this.node = node
    } catch (err) {
      releaseRcl(this.rcl)
      throw err
    }
    this.timer = setInterval(() => this.checkConnection(), this.checkEveryMs)
    this.timer.unref()
  }

  /** Cancels a running goal (best effort: an unsupervised robot should not keep driving), then leaves ROS 2. */
  async stop(): Promise<void> {
    if (this.node === null) return
    if (this.active !== null) {
      await this.cancel().catch(() => undefined)
      if (this.active !== null) this.end(this.active, { kind: 'cancelled' })
    }
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    const node = this.node
    this.node = null
    this.navigate = null
    this.follow = null
    try {
      node.destroy()
    } finally {
      releaseRcl(this.rcl)
      this.update()
    }
  }

  // ------------------------------------------------------------------ snapshot

  supports(actionType: string): boolean {
    return ros2SupportsAction(actionType)
  }

  snapshot(): LinkSnapshot {
    return {
      connection: this.connection(),
      floor: this.pose === null ? null : [this.pose.x, this.pose.y],
      theta: this.pose === null ? null : this.pose.theta,
      node: this.currentNode(),
      battery_pct: this.batteryPct,
      charging: this.batteryCharging ?? this.chargingFlag,
      driving: this.active?.goal?.handle != null && !this.paused,
      paused: this.paused,
      errors: [...this.errors],
      reportedAt: this.reportedAt,
    }
  }

  onUpdate(listener: (s: LinkSnapshot) => void): void {
    this.listeners.push(listener)
  }

  /** Re-evaluates the connection against the clock; notifies on change (the timer calls it). */
  checkConnection(): void {
    if (this.connection() !== this.lastConnection) this.update()
  }

  private connection(): LinkConnection {
    if (this.node === null || this.reportedAt === 0) return 'offline'
    return this.clock() - this.reportedAt > this.silenceMs ? 'connectionbroken' : 'online'
  }

  /** Nearest node within nearNodeM of the pose, else the last node reached. */
  private currentNode(): string | null {
    if (this.pose !== null) {
      const near = this.nearestNode(this.pose.x, this.pose.y)
      if (near !== null) return near
    }
    return this.lastNode
  }

  private nearestNode(x: number, y: number): string | null {
    let best: string | null = null
    let bestD = this.nearNodeM
    for (const [id, at] of this.nodeAt) {
      const d = Math.hypot(at[0] - x, at[1] - y)
      if (d <= bestD) {
        best = id
        bestD = d
      }
    }
    return best
  }

  private update(): void {
    const s = this.snapshot()
    this.lastConnection = s.connection
    for (const l of this.listeners) {
      try {
        l(s)
      } catch {
        // a listener's failure is its own
      }
    }
  }

  private onPose(m: PoseWithCovarianceStamped): void {
    const p = m?.pose?.pose
    if (p === undefined || !Number.isFinite(p.position?.x) || !Number.isFinite(p.position?.y)) return
    const theta = p.orientation === undefined ? 0 : yawOf(p.orientation)
    this.pose = { x: p.position.x, y: p.position.y, theta: Number.isFinite(theta) ? theta : 0 }
    const near = this.nearestNode(this.pose.x, this.pose.y)
    if (near !== null) this.lastNode = near
    this.reportedAt = this.clock()
    this.update()
  }

  private onBattery(m: BatteryState): void {
    if (m === null || typeof m !== 'object') return
    const p = m.percentage
    if (typeof p === 'number' && Number.isFinite(p) && p >= 0) {
      // BatteryState says 0..1; a few drivers publish 0..100 anyway.
      this.batteryPct = Math.min(100, p <= 1 ? p * 100 : p)
    }
    const s = m.power_supply_status
    if (s === PowerSupplyStatus.CHARGING) this.batteryCharging = true
    else if (s === PowerSupplyStatus.DISCHARGING || s === PowerSupplyStatus.NOT_CHARGING) this.batteryCharging = false
    else this.batteryCharging = null // UNKNOWN, or FULL (on the charger or not): the flag decides
    this.reportedAt = this.clock()
    this.update()
  }

  // ------------------------------------------------------------------ commands

  /** Commands run one at a time, in call order. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }

  drive(leg: Leg, onEvent: (e: LegEvent) => void): Promise<void> {
    return this.serially(async () => {
      const emit = (e: LegEvent): void => {
        try {
          onEvent(e)
        } catch {
          // the listener's failure is its own
        }
      }
      const refusal = this.refusal(leg)
      if (refusal !== null) {
        emit({ kind: 'rejected', reason: refusal })
        return
      }
      let finish = (): void => {}
      const over = new Promise<void>((resolve) => (finish = resolve))
      const active: ActiveLeg = {
        leg: { ...leg, nodes: [...leg.nodes], actions: [...leg.actions] },
        onEvent: emit,
        reached: 0,
        goal: null,
        ended: false,
        over,
        finish,
      }
      this.active = active
      await this.sendGoal(active, true)
    })
  }

  /** Why a leg cannot be driven (the leg's own faults first, then the link's state), or null. */
  private refusal(leg: Leg): string | null {
    if (leg.nodes.length === 0) return `leg ${leg.id} has no nodes`
    const unknown = leg.nodes.filter((n) => !this.nodeAt.has(n))
    if (unknown.length > 0) return `leg ${leg.id} has unknown navigation node(s) ${unknown.join(', ')}`
    if (!Number.isInteger(leg.released) || leg.released < 1 || leg.released > leg.nodes.length) {
      return `leg ${leg.id} releases ${leg.released} of ${leg.nodes.length} nodes`
    }
    const unsupported = leg.actions.filter((a) => !ros2SupportsAction(a.type))
    if (unsupported.length > 0) {
      const types = [...new Set(unsupported.map((a) => a.type))].join(', ')
      return `robot ${this.robot} runs Nav2 over ROS 2, which has no action ${types} (only ${ROS2_LEG_ACTIONS.join(', ')})`
    }
    const last = leg.nodes[leg.nodes.length - 1]
    const charging = leg.actions.find((a) => a.type === 'startCharging' || a.type === 'stopCharging')
    if (charging !== undefined && this.dockNode !== undefined && last !== this.dockNode) {
      return `${charging.type} at node ${last}, which is not the dock (${this.dockNode}) of robot ${this.robot}`
    }
    if (this.node === null) return `ROS 2 link of robot ${this.robot} is not started`
    if (this.active !== null) return `robot ${this.robot} already runs leg ${this.active.leg.id}`
    if (this.paused) return `robot ${this.robot} is paused; resume it first`
    return null
  }

  extend(leg: Leg): Promise<void> {
    return this.serially(async () => {
      const active = this.active
      if (active === null || active.leg.id !== leg.id) throw new Error(`robot ${this.robot} runs no leg ${leg.id}`)
      const same = leg.nodes.length === active.leg.nodes.length && leg.nodes.every((n, i) => n === active.leg.nodes[i])
      if (!same) throw new Error(`extend of leg ${leg.id} changes its nodes`)
      if (!Number.isInteger(leg.released) || leg.released > leg.nodes.length) {
        throw new Error(`extend of leg ${leg.id} releases ${leg.released} of ${leg.nodes.length} nodes`)
      }
      if (leg.released <= active.leg.released) return
      active.leg = { ...active.leg, released: leg.released }
      if (this.paused) return // resume() sends the rest
      if (active.goal !== null) await this.stopGoal(active, active.goal, 'extend')
      if (active.ended || this.active !== active || this.paused) return
      await this.sendGoal(active, false)
    })
  }

  /**
   * Asks Nav2 to cancel the running goal and waits for the CANCELED result. Gives up (resolves, the leg
   * still running and its events still coming) when Nav2 refuses or does not answer within
   * cancelTimeoutMs.
   */
  cancel(): Promise<void> {
    return this.serially(async () => {
      const active = this.active
      if (active === null) return
      const run = active.goal
      if (run === null || run.handle === null) {
        // Nothing moving (paused, or waiting at the release end): the leg just ends.
        this.end(active, { kind: 'cancelled' })
        return
      }
      run.stopping = 'cancel'
      let response
      try {
        response = await run.handle.cancelGoal()
      } catch {
        run.stopping = null
        return
      }
      if (response.return_code === CancelReturnCode.ERROR_REJECTED) {
        run.stopping = null
        return
      }
      const t = timeout(this.cancelTimeoutMs)
      await Promise.race([active.over, t.promise])
      t.clear()
    })
  }

  /** Nav2 cannot pause a goal: this cancels it and keeps the leg; resume() re-sends the rest. */
  pause(): Promise<void> {
    return this.serially(async () => {
      if (this.paused) return
      const active = this.active
      if (active?.goal != null) await this.stopGoal(active, active.goal, 'pause')
      this.paused = true
      this.update()
    })
  }

  resume(): Promise<void> {
    return this.serially(async () => {
      if (!this.paused) return
      this.paused = false
      this.update()
      const active = this.active
      if (active !== null && active.goal === null && !active.ended) await this.sendGoal(active, false)
    })
  }

  /** Sets the charging flag (Nav2 has no charging command); refused away from the dock when it is known. */
  async charge(on: boolean): Promise<void> {
    const at = this.currentNode()
    if (on && this.dockNode !== undefined && at !== this.dockNode) {
      throw new Error(`robot ${this.robot} is at ${at ?? 'an unknown node'}, not at its dock ${this.dockNode}`)
    }
    this.chargingFlag = on
    this.update()
  }

  // ------------------------------------------------------------------ goals

  /** Goal pose of leg node `i`: facing the next node of the leg, or along the last segment. */
  private poseFor(leg: Leg, i: number): PoseStamped {
    const at = this.nodeAt.get(leg.nodes[i] as string) as readonly [number, number]
    let yaw = 0
    const next = i + 1 < leg.nodes.length ? this.nodeAt.get(leg.nodes[i + 1] as string) : undefined
    const prev = i > 0 ? this.nodeAt.get(leg.nodes[i - 1] as string) : undefined
    if (next !== undefined && (next[0] !== at[0] || next[1] !== at[1])) yaw = Math.atan2(next[1] - at[1], next[0] - at[0])
    else if (prev !== undefined && (prev[0] !== at[0] || prev[1] !== at[1])) yaw = Math.atan2(at[1] - prev[1], at[0] - prev[0])
    return {
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: this.mapFrame },
      pose: {
        position: { x: at[0], y: at[1], z: 0 },
        orientation: { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) },
      },
    }
  }

  /**
   * Sends a goal for the released nodes after the last one reached. `first`: this decides the leg's
   * acceptance (rejected/accepted); later goals (extend, resume) that fail end the leg as failed.
   */
  private async sendGoal(active: ActiveLeg, first: boolean): Promise<void> {
    const refuse = (reason: string): void => this.end(active, first ? { kind: 'rejected', reason } : { kind: 'failed', reason })
    const from = active.reached
    const to = active.leg.released - 1
    if (to <= from) {
      if (first) active.onEvent({ kind: 'accepted' })
      this.afterDriven(active)
      return
    }
    const kind: GoalKind = to - from === 1 ? 'navigate_to_pose' : 'follow_waypoints'
    const client = kind === 'navigate_to_pose' ? this.navigate : this.follow
    const actionName = kind === 'navigate_to_pose' ? this.names.navigateToPose : this.names.followWaypoints
    if (client === null) return refuse(`ROS 2 link of robot ${this.robot} is stopped`)
    let up: boolean
    try {
      up = await client.waitForServer(this.serverTimeoutMs)
    } catch (err) {
      return refuse(`Nav2 action ${actionName}: ${(err as Error).message}`)
    }
    if (!up) return refuse(`Nav2 action server ${actionName} of robot ${this.robot} (namespace ${this.namespace}) is not available`)

    let settle = (): void => {}
    const done = new Promise<void>((resolve) => (settle = resolve))
    const run: GoalRun = { kind, from, to, handle: null, stopping: null, waypoint: 0, done, settle }
    const poses: PoseStamped[] = []
    for (let i = from + 1; i <= to; i++) poses.push(this.poseFor(active.leg, i))

    let handle: ClientGoalHandle<NavigateToPoseResult | FollowWaypointsResult>
    try {
      if (kind === 'navigate_to_pose') {
        handle = await (client as NonNullable<typeof this.navigate>).sendGoal({ pose: poses[0] as PoseStamped, behavior_tree: '' })
      } else {
        handle = await (client as NonNullable<typeof this.follow>).sendGoal({ poses }, (fb) => this.onFeedback(active, run, fb))
      }
    } catch (err) {
      return refuse(`Nav2 ${actionName} goal failed: ${(err as Error).message}`)
    }
    if (!handle.accepted) return refuse(`Nav2 rejected the ${actionName} goal for leg ${active.leg.id}`)
    if (active.ended) {
      // The leg ended while the goal was on its way (stop()): take the goal back.
      handle.cancelGoal().catch(() => undefined)
      return
    }
    run.handle = handle
    active.goal = run
    if (first) active.onEvent({ kind: 'accepted' })
    this.update()
    this.reachUpTo(active, run.from + run.waypoint) // feedback that came before the goal response
    handle.getResult().then(
      (result) => this.onResult(active, run, handle.status, result, null),
      (err: unknown) => this.onResult(active, run, -1, null, err as Error),
    )
  }

  private onFeedback(active: ActiveLeg, run: GoalRun, fb: FollowWaypointsFeedback): void {
    const k = Number(fb?.current_waypoint)
    if (!Number.isInteger(k) || k <= run.waypoint) return
    run.waypoint = Math.min(k, run.to - run.from)
    if (run.handle !== null) this.reachUpTo(active, run.from + run.waypoint)
  }

  /** Emits `reached` for every node up to `index` not yet reported. */
  private reachUpTo(active: ActiveLeg, index: number): void {
    if (active.ended || this.active !== active) return
    while (active.reached < index) {
      active.reached++
      const node = active.leg.nodes[active.reached] as string
      this.lastNode = node
      active.onEvent({ kind: 'reached', node, index: active.reached })
    }
    this.update()
  }

  private onResult(
    active: ActiveLeg,
    run: GoalRun,
    status: number,
    result: NavigateToPoseResult | FollowWaypointsResult | null,
    error: Error | null,
  ): void {
    try {
      if (active.ended || active.goal !== run) return
      active.goal = null
      const name = run.kind === 'navigate_to_pose' ? this.names.navigateToPose : this.names.followWaypoints
      if (error !== null) return this.end(active, { kind: 'failed', reason: `Nav2 ${name} result unavailable: ${error.message}` })
      const missed = this.missedNodes(run, result)
      switch (status) {
        case GoalStatus.STATUS_SUCCEEDED: {
          const firstMissed = missed[0]
          this.reachUpTo(active, firstMissed === undefined ? run.to : firstMissed - 1)
          if (firstMissed !== undefined) {
            return this.end(active, { kind: 'failed', reason: `Nav2 missed ${this.describeNodes(active, missed)}` })
          }
          if (run.stopping === 'cancel') return this.end(active, { kind: 'cancelled' })
          if (run.stopping === null) this.afterDriven(active)
          else this.update() // extend/pause carry on
          return
        }
        case GoalStatus.STATUS_CANCELED:
          if (run.stopping === 'extend' || run.stopping === 'pause') return this.update()
          return this.end(active, { kind: 'cancelled' })
        case GoalStatus.STATUS_ABORTED: {
          let reason = `Nav2 aborted ${name}`
          const r = result as { error_code?: unknown; error_msg?: unknown } | null
          if (typeof r?.error_code === 'number' && r.error_code !== 0) {
            reason += ` (error ${r.error_code}${typeof r.error_msg === 'string' && r.error_msg !== '' ? `: ${r.error_msg}` : ''})`
          } else if (typeof r?.error_msg === 'string' && r.error_msg !== '') {
            reason += ` (${r.error_msg})`
          }
          if (missed.length > 0) reason += `; missed ${this.describeNodes(active, missed)}`
          const at = active.leg.nodes[active.reached]
          reason += `; last node reached ${at}`
          return this.end(active, { kind: 'failed', reason })
        }
        default:
          return this.end(active, { kind: 'failed', reason: `Nav2 ${name} ended with goal status ${status}` })
      }
    } finally {
      run.settle()
    }
  }

  /** Leg node indices of FollowWaypoints' missed_waypoints (int32[] or [{index}]), ascending. */
  private missedNodes(run: GoalRun, result: unknown): number[] {
    if (run.kind !== 'follow_waypoints' || result === null || typeof result !== 'object') return []
    const list = (result as { missed_waypoints?: unknown }).missed_waypoints
    if (list === undefined || list === null || typeof (list as ArrayLike<unknown>).length !== 'number') return []
    const out: number[] = []
    for (const m of Array.from(list as ArrayLike<unknown>)) {
      const i = typeof m === 'number' ? m : Number((m as { index?: unknown })?.index)
      if (Number.isInteger(i) && i >= 0 && run.from + 1 + i <= run.to) out.push(run.from + 1 + i)
    }
    return out.sort((a, b) => a - b)
  }

  private describeNodes(active: ActiveLeg, indices: number[]): string {
    return `node${indices.length > 1 ? 's' : ''} ${indices.map((i) => active.leg.nodes[i]).join(', ')}`
  }

  /** After a goal: all nodes driven and released → the actions, then finished; else wait for extend(). */
  private afterDriven(active: ActiveLeg): void {
    const last = active.leg.nodes.length - 1
    if (active.reached < last || active.leg.released < active.leg.nodes.length) {
      this.update()
      return
    }
    for (const a of active.leg.actions) this.runAction(active, a)
    this.end(active, { kind: 'finished' })
  }

  private runAction(active: ActiveLeg, a: LegAction): void {
    if (a.type === 'startCharging') this.chargingFlag = true
    else if (a.type === 'stopCharging') this.chargingFlag = false
    active.onEvent({ kind: 'action', actionId: a.id, status: 'FINISHED' })
  }

  /** Cancels a goal on the link's own account (extend, pause) and waits for it to end. */
  private async stopGoal(active: ActiveLeg, run: GoalRun, why: StopReason): Promise<void> {
    if (run.handle === null) return
    run.stopping = why
    const response = await run.handle.cancelGoal()
    if (response.return_code === CancelReturnCode.ERROR_REJECTED) {
      run.stopping = null
      throw new Error(`Nav2 refused to cancel the goal of leg ${active.leg.id} (needed to ${why})`)
    }
    const t = timeout(this.cancelTimeoutMs)
    const outcome = await Promise.race([run.done.then(() => 'done' as const), t.promise])
    t.clear()
    if (outcome === 'timeout') {
      run.stopping = null
      throw new Error(`Nav2 did not confirm the cancel of leg ${active.leg.id} within ${this.cancelTimeoutMs} ms (needed to ${why})`)
    }
  }

  private end(active: ActiveLeg, e: LegEvent): void {
    if (active.ended) return
    active.ended = true
    if (this.active === active) this.active = null
    active.goal = null
    active.onEvent(e)
    active.finish()
    this.update()
  }
}
