/**
 * Drives a leg through Nav2 goals: action `follow_waypoints` (nav2_msgs/action/FollowWaypoints) for
 * two or more nodes, `navigate_to_pose` (nav2_msgs/action/NavigateToPose) for a single one. The goal
 * poses, and the reading of Nav2's results, are in ./goal-messages.ts; a leg's progress is an
 * ActiveLeg (./active-leg.ts).
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
 */

import type { Leg, LegAction, LegEvent } from '../link.js'
import { newActiveLeg, newGoalRun, type ActiveLeg, type GoalRun, type StopReason } from './active-leg.js'
import { abortReason, describeNodes, missedNodes, poseFor, type GoalKind } from './goal-messages.js'
import {
  CancelReturnCode,
  GoalStatus,
  type ActionClient,
  type ClientGoalHandle,
  type FollowWaypointsFeedback,
  type FollowWaypointsGoal,
  type FollowWaypointsResult,
  type NavigateToPoseFeedback,
  type NavigateToPoseGoal,
  type NavigateToPoseResult,
  type Node,
  type PoseStamped,
  type Rclnodejs,
} from './rcl.js'
import type { NodePositions, Ros2RobotState } from './robot-state.js'

export interface Nav2GoalsOptions {
  robot: string
  namespace: string
  nodeAt: NodePositions
  /** Where reached nodes and the charging actions are recorded. */
  state: Ros2RobotState
  /** Tells the link's listeners that the snapshot may have changed. */
  update: () => void
  mapFrame: string
  names: { navigateToPose: string; followWaypoints: string }
  serverTimeoutMs: number
  cancelTimeoutMs: number
}

function timeout(ms: number): { promise: Promise<'timeout'>; clear: () => void } {
  let t: NodeJS.Timeout | undefined
  const promise = new Promise<'timeout'>((resolve) => {
    t = setTimeout(() => resolve('timeout'), ms)
  })
  return { promise, clear: () => clearTimeout(t) }
}

export class Nav2Goals {
  /** The leg being driven (until it ends), if any. */
  active: ActiveLeg | null = null
  private navigate: ActionClient<NavigateToPoseGoal, NavigateToPoseFeedback, NavigateToPoseResult> | null = null
  private follow: ActionClient<FollowWaypointsGoal, FollowWaypointsFeedback, FollowWaypointsResult> | null = null

  constructor(private readonly o: Nav2GoalsOptions) {}

  /** Creates the action clients on the robot's ROS 2 node. */
  attach(rcl: Rclnodejs, node: Node): void {
    this.navigate = new rcl.ActionClient(node, 'nav2_msgs/action/NavigateToPose', this.o.names.navigateToPose)
    this.follow = new rcl.ActionClient(node, 'nav2_msgs/action/FollowWaypoints', this.o.names.followWaypoints)
  }

  detach(): void {
    this.navigate = null
    this.follow = null
  }

  /** Makes `leg` the active one and sends its first goal (which decides accepted/rejected). */
  async drive(leg: Leg, onEvent: (e: LegEvent) => void): Promise<void> {
    const active = newActiveLeg(leg, onEvent)
    this.active = active
    await this.sendGoal(active, true)
  }

  /**
   * Sends a goal for the released nodes after the last one reached. `first`: this decides the leg's
   * acceptance (rejected/accepted); later goals (extend, resume) that fail end the leg as failed.
   */
  async sendGoal(active: ActiveLeg, first: boolean): Promise<void> {
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
    const actionName = this.actionName(kind)
    if (client === null) return refuse(`ROS 2 link of robot ${this.o.robot} is stopped`)
    let up: boolean
    try {
      up = await client.waitForServer(this.o.serverTimeoutMs)
    } catch (err) {
      return refuse(`Nav2 action ${actionName}: ${(err as Error).message}`)
    }
    if (!up) return refuse(`Nav2 action server ${actionName} of robot ${this.o.robot} (namespace ${this.o.namespace}) is not available`)

    const run = newGoalRun(kind, from, to)
    const poses: PoseStamped[] = []
    for (let i = from + 1; i <= to; i++) poses.push(poseFor(this.o.nodeAt, this.o.mapFrame, active.leg, i))

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
    this.o.update()
    this.reachUpTo(active, run.from + run.waypoint) // feedback that came before the goal response
    handle.getResult().then(
      (result) => this.onResult(active, run, handle.status, result, null),
      (err: unknown) => this.onResult(active, run, -1, null, err as Error),
    )
  }

  private actionName(kind: GoalKind): string {
    return kind === 'navigate_to_pose' ? this.o.names.navigateToPose : this.o.names.followWaypoints
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
      this.o.state.lastNode = node
      active.onEvent({ kind: 'reached', node, index: active.reached })
    }
    this.o.update()
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
      const name = this.actionName(run.kind)
      if (error !== null) return this.end(active, { kind: 'failed', reason: `Nav2 ${name} result unavailable: ${error.message}` })
      const missed = missedNodes(run, result)
      switch (status) {
        case GoalStatus.STATUS_SUCCEEDED: {
          const firstMissed = missed[0]
          this.reachUpTo(active, firstMissed === undefined ? run.to : firstMissed - 1)
          if (firstMissed !== undefined) {
            return this.end(active, { kind: 'failed', reason: `Nav2 missed ${describeNodes(active.leg, missed)}` })
          }
          if (run.stopping === 'cancel') return this.end(active, { kind: 'cancelled' })
          if (run.stopping === null) this.afterDriven(active)
          else this.o.update() // extend/pause carry on
          return
        }
        case GoalStatus.STATUS_CANCELED:
          if (run.stopping === 'extend' || run.stopping === 'pause') return this.o.update()
          return this.end(active, { kind: 'cancelled' })
        case GoalStatus.STATUS_ABORTED:
          return this.end(active, { kind: 'failed', reason: abortReason(name, result, active.leg, missed, active.reached) })
        default:
          return this.end(active, { kind: 'failed', reason: `Nav2 ${name} ended with goal status ${status}` })
      }
    } finally {
      run.settle()
    }
  }

  /** After a goal: all nodes driven and released → the actions, then finished; else wait for extend(). */
  private afterDriven(active: ActiveLeg): void {
    const last = active.leg.nodes.length - 1
    if (active.reached < last || active.leg.released < active.leg.nodes.length) {
      this.o.update()
      return
    }
    for (const a of active.leg.actions) this.runAction(active, a)
    this.end(active, { kind: 'finished' })
  }

  private runAction(active: ActiveLeg, a: LegAction): void {
    if (a.type === 'startCharging') this.o.state.chargingFlag = true
    else if (a.type === 'stopCharging') this.o.state.chargingFlag = false
    active.onEvent({ kind: 'action', actionId: a.id, status: 'FINISHED' })
  }

  /**
   * Asks Nav2 to cancel the running goal and waits for the CANCELED result. Gives up (resolves, the leg
   * still running and its events still coming) when Nav2 refuses or does not answer within
   * cancelTimeoutMs.
   */
  async cancel(active: ActiveLeg): Promise<void> {
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
    const t = timeout(this.o.cancelTimeoutMs)
    await Promise.race([active.over, t.promise])
    t.clear()
  }

  /** Cancels a goal on the link's own account (extend, pause) and waits for it to end. */
  async stopGoal(active: ActiveLeg, run: GoalRun, why: StopReason): Promise<void> {
    if (run.handle === null) return
    run.stopping = why
    const response = await run.handle.cancelGoal()
    if (response.return_code === CancelReturnCode.ERROR_REJECTED) {
      run.stopping = null
      throw new Error(`Nav2 refused to cancel the goal of leg ${active.leg.id} (needed to ${why})`)
    }
    const t = timeout(this.o.cancelTimeoutMs)
    const outcome = await Promise.race([run.done.then(() => 'done' as const), t.promise])
    t.clear()
    if (outcome === 'timeout') {
      run.stopping = null
      throw new Error(`Nav2 did not confirm the cancel of leg ${active.leg.id} within ${this.o.cancelTimeoutMs} ms (needed to ${why})`)
    }
  }

  end(active: ActiveLeg, e: LegEvent): void {
    if (active.ended) return
    active.ended = true
    if (this.active === active) this.active = null
    active.goal = null
    active.onEvent(e)
    active.finish()
    this.o.update()
  }
}
