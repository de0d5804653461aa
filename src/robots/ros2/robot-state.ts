/**
 * What a Nav2 robot reports about itself over ROS 2, as the Ros2Link's LinkSnapshot sees it:
 *   - topic `amcl_pose` (geometry_msgs/msg/PoseWithCovarianceStamped): floor position and heading;
 *   - topic `battery_state` (sensor_msgs/msg/BatteryState): charge (percentage 0..1) and charging.
 * The map frame must be the venue's floor frame (same origin and axes, metres), so a pose is a floor
 * position as it is, and the nearest navigation node is found by plain distance.
 */

import type { LinkConnection, LinkError, LinkSnapshot } from '../link.js'
import { z } from 'zod'
import { PowerSupplyStatus } from './rcl.js'

/** The fields of geometry_msgs/PoseWithCovarianceStamped this link reads; anything else is ignored. */
const PoseMessage = z.object({
  pose: z.object({
    pose: z.object({
      position: z.object({ x: z.number().finite(), y: z.number().finite() }),
      orientation: z.object({ x: z.number(), y: z.number(), z: z.number(), w: z.number() }).optional(),
    }),
  }),
})

/** The fields of sensor_msgs/BatteryState this link reads. */
const BatteryMessage = z.object({
  percentage: z.number().optional(),
  power_supply_status: z.number().optional(),
})

/** Floor position (metres, = the map frame) of each of the venue's navigation nodes, by id. */
export type NodePositions = ReadonlyMap<string, readonly [number, number]>

/** What the link itself contributes to a snapshot (the rest comes from the robot's topics). */
export interface LinkSide {
  /** Whether the link is started (a ROS 2 node exists). */
  started: boolean
  driving: boolean
  paused: boolean
  errors: readonly LinkError[]
}

function yawOf(q: { x: number; y: number; z: number; w: number }): number {
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z))
}

export class Ros2RobotState {
  private pose: { x: number; y: number; theta: number } | null = null
  private batteryPct: number | null = null
  /** Charging as BatteryState says, null while it does not know. */
  private batteryCharging: boolean | null = null
  /** Charging as startCharging/stopCharging/charge() set it. */
  chargingFlag = false
  /** Last navigation node the robot was at (by pose, or by a goal's progress). */
  lastNode: string | null = null
  private reportedAt = 0

  constructor(
    private readonly nodeAt: NodePositions,
    private readonly clock: () => number,
    /** No pose or battery message for this long: connection "connectionbroken". */
    private readonly silenceMs: number,
    /** A pose within this distance of a node puts the robot at that node. */
    private readonly nearNodeM: number,
  ) {}

  snapshot(link: LinkSide): LinkSnapshot {
    return {
      connection: this.connection(link.started),
      floor: this.pose === null ? null : [this.pose.x, this.pose.y],
      theta: this.pose === null ? null : this.pose.theta,
      node: this.currentNode(),
      battery_pct: this.batteryPct,
      charging: this.batteryCharging ?? this.chargingFlag,
      driving: link.driving,
      paused: link.paused,
      errors: [...link.errors],
      reportedAt: this.reportedAt,
    }
  }

  connection(started: boolean): LinkConnection {
    if (!started || this.reportedAt === 0) return 'offline'
    return this.clock() - this.reportedAt > this.silenceMs ? 'connectionbroken' : 'online'
  }

  /** Nearest node within nearNodeM of the pose, else the last node reached. */
  currentNode(): string | null {
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

  /** Takes an amcl_pose message; false when it carries no usable position (nothing changed). */
  onPose(message: unknown): boolean {
    const parsed = PoseMessage.safeParse(message)
    if (!parsed.success) return false
    const p = parsed.data.pose.pose
    const theta = p.orientation === undefined ? 0 : yawOf(p.orientation)
    this.pose = { x: p.position.x, y: p.position.y, theta: Number.isFinite(theta) ? theta : 0 }
    const near = this.nearestNode(this.pose.x, this.pose.y)
    if (near !== null) this.lastNode = near
    this.reportedAt = this.clock()
    return true
  }

  /** Takes a battery_state message; false when it is not a message at all (nothing changed). */
  onBattery(message: unknown): boolean {
    const parsed = BatteryMessage.safeParse(message)
    if (!parsed.success) return false
    const m = parsed.data
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
    return true
  }
}
