/**
 * The narrow interface between the fleet and one robot, whatever it speaks (VDA 5050 over MQTT, or
 * ROS 2 Nav2 through rclnodejs). Missions only ever see this.
 *
 * A robot runs at most one leg at a time: a path through the venue's navigation graph (the first node
 * is where the robot is), of which the first `released` nodes may be driven now (VDA 5050 "base") and
 * the rest is planned but held back (the "horizon") until the fleet extends the release, e.g. once a
 * single-lane corridor is free. Actions run at the leg's last node, in order.
 */

export type LinkConnection = 'online' | 'offline' | 'connectionbroken'

export interface LinkError {
  type: string
  level: 'WARNING' | 'FATAL'
  description: string
}

/** What the fleet knows of a robot now. */
export interface LinkSnapshot {
  connection: LinkConnection
  floor: [number, number] | null
  theta: number | null
  /** Navigation node last reached, or null before the first report. */
  node: string | null
  battery_pct: number | null
  charging: boolean
  driving: boolean
  paused: boolean
  errors: LinkError[]
  /** Epoch ms of the last report from the robot (state message, pose, ...); 0 before the first. */
  reportedAt: number
}

export interface LegAction {
  /** Unique within the fleet's run (becomes the VDA 5050 actionId). */
  id: string
  /** VDA 5050 action type, e.g. "waitForTrigger", "pick", "drop", "startCharging". */
  type: string
  blocking: 'NONE' | 'SOFT' | 'HARD'
  parameters?: Record<string, string | number | boolean>
}

export interface Leg {
  /** Unique (becomes the VDA 5050 orderId, or the ROS 2 goal's tag). */
  id: string
  /** Node ids of a path in the navigation graph; nodes[0] is where the robot stands. */
  nodes: string[]
  /** How many of `nodes` (from the first) are released; the rest is horizon. 1 <= released <= nodes.length. */
  released: number
  /** Actions at the last node, run once it is reached (only when every node is released). */
  actions: LegAction[]
}

export type ActionStatus = 'WAITING' | 'INITIALIZING' | 'RUNNING' | 'PAUSED' | 'FINISHED' | 'FAILED'

export type LegEvent =
  | { kind: 'accepted' }
  | { kind: 'rejected'; reason: string }
  /** A node of the leg was reached; `index` into `Leg.nodes`. */
  | { kind: 'reached'; node: string; index: number }
  | { kind: 'action'; actionId: string; status: ActionStatus; result?: string }
  /** Every node driven and every action ended (FINISHED or FAILED: see the action events). */
  | { kind: 'finished' }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled' }

export interface RobotLink {
  readonly robot: string
  start(): Promise<void>
  stop(): Promise<void>
  snapshot(): LinkSnapshot
  /** Called on every change of the snapshot. */
  onUpdate(listener: (s: LinkSnapshot) => void): void
  /** Start a leg; events for it go to `onEvent` until it is finished, failed, rejected or cancelled. */
  drive(leg: Leg, onEvent: (e: LegEvent) => void): Promise<void>
  /** Release more nodes of the running leg (same id and nodes, larger `released`). */
  extend(leg: Leg): Promise<void>
  /** Cancel the running leg; resolves once the robot confirmed (or gave up). */
  cancel(): Promise<void>
  pause(): Promise<void>
  resume(): Promise<void>
  /** Start or stop charging where the robot stands (at its dock). */
  charge(on: boolean): Promise<void>
  /** Whether the robot can run an action type at a node; undefined while it has not said (no factsheet yet). */
  supports(actionType: string): boolean | undefined
}
