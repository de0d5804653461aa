/**
 * The narrow slice of rclnodejs (the ROS 2 client library for Node.js) that the ROS 2 transport uses.
 *
 * Names and shapes follow rclnodejs's own type definitions (types/index.d.ts, node.d.ts,
 * action_client.d.ts, subscription.d.ts), so the real module satisfies these interfaces structurally
 * and the tests can drive the transport through an in-process stand-in of the same interface
 * (test/helpers/rcl-standin.ts). Only what the transport calls is declared; rclnodejs has much more.
 *
 * rclnodejs is NOT a dependency of this package: it compiles a native addon against the ROS 2
 * libraries and generates its message classes from the sourced ROS 2 environment, so it cannot be
 * installed on a machine without ROS 2. `loadRclnodejs()` imports it only when a robot's transport is
 * `ros2`, and says how to install it when it is missing (see ROS2_INSTALL_HINT).
 */

// ---------------------------------------------------------------------------------------------
// Messages (plain objects, as rclnodejs hands them to callbacks and accepts them in sendGoal)
// ---------------------------------------------------------------------------------------------

/** builtin_interfaces/msg/Time */
export interface Time {
  sec: number
  nanosec: number
}

/** std_msgs/msg/Header */
export interface Header {
  stamp: Time
  frame_id: string
}

/** geometry_msgs/msg/Point */
export interface Point {
  x: number
  y: number
  z: number
}

/** geometry_msgs/msg/Quaternion */
export interface Quaternion {
  x: number
  y: number
  z: number
  w: number
}

/** geometry_msgs/msg/Pose */
export interface Pose {
  position: Point
  orientation: Quaternion
}

/** geometry_msgs/msg/PoseStamped */
export interface PoseStamped {
  header: Header
  pose: Pose
}

/** geometry_msgs/msg/PoseWithCovarianceStamped (what AMCL publishes on `amcl_pose`). */
export interface PoseWithCovarianceStamped {
  header: Header
  pose: { pose: Pose; covariance: ArrayLike<number> }
}

/** sensor_msgs/msg/BatteryState, the fields the transport reads. `percentage` is 0..1, NaN when unmeasured. */
export interface BatteryState {
  header: Header
  voltage: number
  percentage: number
  /** POWER_SUPPLY_STATUS_*: 0 UNKNOWN, 1 CHARGING, 2 DISCHARGING, 3 NOT_CHARGING, 4 FULL. */
  power_supply_status: number
  present: boolean
}

export const PowerSupplyStatus = {
  UNKNOWN: 0,
  CHARGING: 1,
  DISCHARGING: 2,
  NOT_CHARGING: 3,
  FULL: 4,
} as const

/** nav2_msgs/action/NavigateToPose goal. */
export interface NavigateToPoseGoal {
  pose: PoseStamped
  /** Behaviour tree XML file; '' = the navigator's default. */
  behavior_tree: string
}

/** nav2_msgs/action/NavigateToPose feedback. */
export interface NavigateToPoseFeedback {
  current_pose: PoseStamped
  navigation_time: { sec: number; nanosec: number }
  estimated_time_remaining?: { sec: number; nanosec: number }
  number_of_recoveries: number
  distance_remaining: number
}

/**
 * nav2_msgs/action/NavigateToPose result: empty (std_msgs/Empty) in Humble; `error_code` since Iron,
 * `error_msg` since Jazzy.
 */
export interface NavigateToPoseResult {
  error_code?: number
  error_msg?: string
}

/** nav2_msgs/action/FollowWaypoints goal (Kilted adds number_of_loops and goal_index, both default 0). */
export interface FollowWaypointsGoal {
  poses: PoseStamped[]
}

/** nav2_msgs/action/FollowWaypoints feedback: index (into `poses`) of the waypoint being driven to. */
export interface FollowWaypointsFeedback {
  current_waypoint: number
}

/**
 * nav2_msgs/action/FollowWaypoints result: `missed_waypoints` is int32[] (indices) in Humble and
 * Iron, an array of nav2_msgs/WaypointStatus (or MissedWaypoint) with an `index` since Jazzy, which
 * also adds `error_code` and `error_msg`.
 */
export interface FollowWaypointsResult {
  missed_waypoints: ArrayLike<number> | Array<{ index: number; error_code?: number }>
  error_code?: number
  error_msg?: string
}

/** action_msgs/srv/CancelGoal response. */
export interface CancelGoalResponse {
  /** CancelReturnCode: 0 ERROR_NONE, 1 ERROR_REJECTED, 2 ERROR_UNKNOWN_GOAL_ID, 3 ERROR_GOAL_TERMINATED. */
  return_code: number
  goals_canceling: Array<{ goal_id: { uuid: ArrayLike<number> }; stamp: Time }>
}

export const CancelReturnCode = {
  ERROR_NONE: 0,
  ERROR_REJECTED: 1,
  ERROR_UNKNOWN_GOAL_ID: 2,
  ERROR_GOAL_TERMINATED: 3,
} as const

/** action_msgs/msg/GoalStatus status codes (what ClientGoalHandle.status holds). */
export const GoalStatus = {
  STATUS_UNKNOWN: 0,
  STATUS_ACCEPTED: 1,
  STATUS_EXECUTING: 2,
  STATUS_CANCELING: 3,
  STATUS_SUCCEEDED: 4,
  STATUS_CANCELED: 5,
  STATUS_ABORTED: 6,
} as const

// ---------------------------------------------------------------------------------------------
// The API subset
// ---------------------------------------------------------------------------------------------

/** rclnodejs `Options` (node.d.ts), the part used: a QoS profile name such as 'qos_profile_sensor_data'. */
export interface Options {
  enableTypedArray?: boolean
  qos?: string
}

/** rclnodejs `Subscription` (subscription.d.ts). */
export interface Subscription {
  readonly topic: string
}

/** rclnodejs `Node` (node.d.ts). */
export interface Node {
  name(): string
  namespace(): string
  /**
   * The 4-argument form: typeClass such as 'sensor_msgs/msg/BatteryState'; the callback gets plain
   * objects, which are outside input: `unknown` here, parsed by the receiver's schema.
   */
  createSubscription(typeClass: string, topic: string, options: Options, callback: (message: unknown) => void): Subscription
  /** Destroys every entity of the node (subscriptions, action clients, ...). */
  destroy(): void
}

/** rclnodejs `ClientGoalHandle` (action_client.d.ts). */
export interface ClientGoalHandle<Result = unknown> {
  /** Whether the server accepted the goal (deprecated alias of isAccepted() in rclnodejs >= 1). */
  readonly accepted: boolean
  isAccepted(): boolean
  isSucceeded(): boolean
  isCanceled(): boolean
  isAborted(): boolean
  /** GoalStatus code; getResult() sets it to the final status before it resolves. */
  readonly status: number
  cancelGoal(): Promise<CancelGoalResponse>
  /** Resolves with the action's Result message once the goal ended (any final status). */
  getResult(): Promise<Result>
}

/** rclnodejs `ActionClient` (action_client.d.ts). */
export interface ActionClient<Goal = object, Feedback = unknown, Result = unknown> {
  sendGoal(goal: Goal, feedbackCallback?: (feedbackMessage: Feedback) => void): Promise<ClientGoalHandle<Result>>
  isActionServerAvailable(): boolean
  /** Polls for the server; `timeout` in ms (undefined or < 0: forever); resolves true once available. */
  waitForServer(timeout?: number): Promise<boolean>
  destroy(): void
}

/** The rclnodejs module (index.d.ts), the part used. */
export interface Rclnodejs {
  /** Initialises the default context; throws if it already is. */
  init(): Promise<void>
  isShutdown(): boolean
  Node: new (nodeName: string, namespace?: string) => Node
  ActionClient: new (node: Node, typeClass: string, actionName: string) => ActionClient<any, any, any>
  /** Starts processing the node's events (callbacks, goal responses, feedback) in the background. */
  spin(node: Node, timeout?: number): void
  /** Destroys every node and the default context. */
  shutdown(): void
}

// ---------------------------------------------------------------------------------------------
// Loading and the shared context
// ---------------------------------------------------------------------------------------------

export const ROS2_INSTALL_HINT = [
  'rclnodejs (the ROS 2 client library for Node.js) is not installed. It cannot come with venue-sentinel:',
  'it compiles against the ROS 2 libraries of the host. On the ROS 2 host that runs the fleet:',
  '  1. install ROS 2 (Humble, Jazzy or newer) with Nav2\'s messages: sudo apt install ros-<distro>-nav2-msgs',
  '  2. source /opt/ros/<distro>/setup.bash',
  '  3. in the venue-sentinel directory: npm install --no-save rclnodejs',
  '     (with install scripts allowed: it builds a native addon and generates the message classes;',
  '      run it again after every npm ci / npm install, which remove packages not in package.json)',
  '  4. start the fleet from a shell where that setup.bash is sourced.',
  'Only robots with transport "ros2" need it.',
].join('\n')

function isMissingModule(err: unknown, specifier: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null
  if (e === null || typeof e !== 'object') return false
  if (e.code !== 'ERR_MODULE_NOT_FOUND' && e.code !== 'MODULE_NOT_FOUND') return false
  // A missing dependency of rclnodejs itself is a broken install, not a missing rclnodejs.
  return typeof e.message === 'string' && e.message.includes(`'${specifier}'`)
}

/**
 * Imports rclnodejs (only when called: nothing imports it statically). Throws an Error carrying
 * ROS2_INSTALL_HINT when it is not installed, and a plain explanation when it is installed but does
 * not load (typically: the ROS 2 environment is not sourced). `specifier` is for tests.
 */
export async function loadRclnodejs(specifier = 'rclnodejs'): Promise<Rclnodejs> {
  let mod: unknown
  try {
    // A variable specifier: TypeScript neither resolves nor needs rclnodejs's types.
    mod = await import(specifier)
  } catch (err) {
    if (isMissingModule(err, specifier)) throw new Error(ROS2_INSTALL_HINT, { cause: err })
    throw new Error(
      `rclnodejs is installed but failed to load (${(err as Error).message}). ` +
        'Source /opt/ros/<distro>/setup.bash before starting, and reinstall rclnodejs (npm install --no-save rclnodejs) ' +
        'if ROS 2 was upgraded since it was built.',
      { cause: err },
    )
  }
  // rclnodejs is CommonJS: its exports arrive as the default export of the ES module namespace.
  const rcl = ((mod as { default?: unknown }).default ?? mod) as Partial<Record<keyof Rclnodejs, unknown>>
  for (const name of ['init', 'Node', 'ActionClient', 'spin', 'shutdown', 'isShutdown'] as const) {
    if (typeof rcl[name] !== 'function') {
      throw new Error(`the module "${specifier}" does not look like rclnodejs: it has no ${name}()`)
    }
  }
  return rcl as Rclnodejs
}

/** Who uses each rclnodejs module: init() once for the first, shutdown() after the last. */
const users = new WeakMap<Rclnodejs, { count: number; ready: Promise<void> }>()

/** init() the module unless another link already did; pair with releaseRcl(). */
export async function acquireRcl(rcl: Rclnodejs): Promise<void> {
  let u = users.get(rcl)
  if (u === undefined) {
    u = { count: 0, ready: rcl.init() }
    users.set(rcl, u)
    // A failed init is not cached: the next acquire tries again.
    u.ready.catch(() => users.delete(rcl))
  }
  u.count++
  try {
    await u.ready
  } catch (err) {
    u.count--
    throw err
  }
}

/** The last user out shuts the context down (which destroys any node left). */
export function releaseRcl(rcl: Rclnodejs): void {
  const u = users.get(rcl)
  if (u === undefined) return
  u.count--
  if (u.count > 0) return
  users.delete(rcl)
  if (!rcl.isShutdown()) rcl.shutdown()
}
