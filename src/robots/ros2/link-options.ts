/** Construction options of Ros2Link (./link.ts), which re-exports these types. */

import type { Rclnodejs } from './rcl.js'

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
