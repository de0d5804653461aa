/**
 * RobotLink for robots that run Nav2, through rclnodejs (behind the narrow interface of ./rcl.ts).
 *
 * One ROS 2 node per robot, in the robot's namespace (robot config `ros2.namespace`), so relative
 * names resolve to e.g. /r3/follow_waypoints. This file wires the pieces:
 *   - ./robot-state.ts: what the robot reports (topics `amcl_pose`, `battery_state`), the LinkSnapshot;
 *   - ./goals.ts: driving a leg with Nav2 goals (`navigate_to_pose`, `follow_waypoints`) and mapping
 *     their feedback and results to LegEvents;
 *   - ./goal-messages.ts: goal poses from the leg's nodes, reasons from Nav2's results;
 *   - ./link-options.ts: Ros2LinkOptions (re-exported here).
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

import type { Leg, LegEvent, LinkConnection, LinkError, LinkSnapshot, RobotLink } from '../link.js'
import { Nav2Goals } from './goals.js'
import type { Ros2LinkOptions } from './link-options.js'
import { acquireRcl, releaseRcl, type Node, type Rclnodejs } from './rcl.js'
import { Ros2RobotState } from './robot-state.js'

export type { Ros2LinkOptions, Ros2NavNode } from './link-options.js'

/** Leg action types a Nav2 robot can run (bookkeeping only, see the header). */
export const ROS2_LEG_ACTIONS: readonly string[] = ['startCharging', 'stopCharging']

/** Whether a ROS 2 (Nav2) robot can run a leg action of this VDA 5050 type. */
export function ros2SupportsAction(type: string): boolean {
  return ROS2_LEG_ACTIONS.includes(type)
}

const sanitize = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_')

export class Ros2Link implements RobotLink {
  readonly robot: string
  private readonly rcl: Rclnodejs
  private readonly namespace: string
  private readonly nodeAt = new Map<string, readonly [number, number]>()
  private readonly dockNode: string | undefined
  private readonly names: { pose: string; battery: string }
  private readonly checkEveryMs: number
  private readonly state: Ros2RobotState
  private readonly goals: Nav2Goals

  private node: Node | null = null
  private timer: NodeJS.Timeout | null = null
  private readonly listeners: Array<(s: LinkSnapshot) => void> = []
  private lastConnection: LinkConnection = 'offline'
  private paused = false
  private readonly errors: LinkError[] = []
  private queue: Promise<unknown> = Promise.resolve()

  constructor(o: Ros2LinkOptions) {
    this.robot = o.robot
    this.rcl = o.rcl
    this.namespace = o.namespace
    for (const n of o.nodes) this.nodeAt.set(n.id, n.at)
    this.dockNode = o.dockNode
    this.names = { pose: o.names?.pose ?? 'amcl_pose', battery: o.names?.battery ?? 'battery_state' }
    this.checkEveryMs = o.checkEveryMs ?? 1_000
    this.state = new Ros2RobotState(this.nodeAt, o.clock ?? Date.now, o.silenceMs ?? 10_000, o.nearNodeM ?? 0.5)
    this.goals = new Nav2Goals({
      robot: o.robot,
      namespace: o.namespace,
      nodeAt: this.nodeAt,
      state: this.state,
      update: () => this.update(),
      mapFrame: o.mapFrame ?? 'map',
      names: {
        navigateToPose: o.names?.navigateToPose ?? 'navigate_to_pose',
        followWaypoints: o.names?.followWaypoints ?? 'follow_waypoints',
      },
      serverTimeoutMs: o.serverTimeoutMs ?? 5_000,
      cancelTimeoutMs: o.cancelTimeoutMs ?? 10_000,
    })
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (this.node !== null) return
    await acquireRcl(this.rcl)
    try {
      const node = new this.rcl.Node(`venue_sentinel_${sanitize(this.robot)}`, this.namespace)
      node.createSubscription('geometry_msgs/msg/PoseWithCovarianceStamped', this.names.pose, {}, (m) => {
        if (this.state.onPose(m)) this.update()
      })
      // Sensor-data QoS (best effort) also hears reliable publishers; battery drivers use either.
      node.createSubscription('sensor_msgs/msg/BatteryState', this.names.battery, { qos: 'qos_profile_sensor_data' }, (m) => {
        if (this.state.onBattery(m)) this.update()
      })
      this.goals.attach(this.rcl, node)
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
    if (this.goals.active !== null) {
      await this.cancel().catch(() => undefined)
      if (this.goals.active !== null) this.goals.end(this.goals.active, { kind: 'cancelled' })
    }
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    const node = this.node
    this.node = null
    this.goals.detach()
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
    return this.state.snapshot({
      started: this.node !== null,
      driving: this.goals.active?.goal?.handle != null && !this.paused,
      paused: this.paused,
      errors: this.errors,
    })
  }

  onUpdate(listener: (s: LinkSnapshot) => void): void {
    this.listeners.push(listener)
  }

  /** Re-evaluates the connection against the clock; notifies on change (the timer calls it). */
  checkConnection(): void {
    if (this.state.connection(this.node !== null) !== this.lastConnection) this.update()
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
      await this.goals.drive(leg, emit)
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
    if (this.goals.active !== null) return `robot ${this.robot} already runs leg ${this.goals.active.leg.id}`
    if (this.paused) return `robot ${this.robot} is paused; resume it first`
    return null
  }

  extend(leg: Leg): Promise<void> {
    return this.serially(async () => {
      const active = this.goals.active
      if (active === null || active.leg.id !== leg.id) throw new Error(`robot ${this.robot} runs no leg ${leg.id}`)
      const same = leg.nodes.length === active.leg.nodes.length && leg.nodes.every((n, i) => n === active.leg.nodes[i])
      if (!same) throw new Error(`extend of leg ${leg.id} changes its nodes`)
      if (!Number.isInteger(leg.released) || leg.released > leg.nodes.length) {
        throw new Error(`extend of leg ${leg.id} releases ${leg.released} of ${leg.nodes.length} nodes`)
      }
      if (leg.released <= active.leg.released) return
      active.leg = { ...active.leg, released: leg.released }
      if (this.paused) return // resume() sends the rest
      if (active.goal !== null) await this.goals.stopGoal(active, active.goal, 'extend')
      if (active.ended || this.goals.active !== active || this.paused) return
      await this.goals.sendGoal(active, false)
    })
  }

  /**
   * Asks Nav2 to cancel the running goal and waits for the CANCELED result. Gives up (resolves, the leg
   * still running and its events still coming) when Nav2 refuses or does not answer within
   * cancelTimeoutMs.
   */
  cancel(): Promise<void> {
    return this.serially(async () => {
      const active = this.goals.active
      if (active !== null) await this.goals.cancel(active)
    })
  }

  /** Nav2 cannot pause a goal: this cancels it and keeps the leg; resume() re-sends the rest. */
  pause(): Promise<void> {
    return this.serially(async () => {
      if (this.paused) return
      const active = this.goals.active
      if (active?.goal != null) await this.goals.stopGoal(active, active.goal, 'pause')
      this.paused = true
      this.update()
    })
  }

  resume(): Promise<void> {
    return this.serially(async () => {
      if (!this.paused) return
      this.paused = false
      this.update()
      const active = this.goals.active
      if (active !== null && active.goal === null && !active.ended) await this.goals.sendGoal(active, false)
    })
  }

  /** Sets the charging flag (Nav2 has no charging command); refused away from the dock when it is known. */
  async charge(on: boolean): Promise<void> {
    const at = this.state.currentNode()
    if (on && this.dockNode !== undefined && at !== this.dockNode) {
      throw new Error(`robot ${this.robot} is at ${at ?? 'an unknown node'}, not at its dock ${this.dockNode}`)
    }
    this.state.chargingFlag = on
    this.update()
  }
}
