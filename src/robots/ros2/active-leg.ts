/** Bookkeeping of a leg while ./goals.ts drives it: the leg's progress and the Nav2 goal in flight. */

import type { Leg, LegEvent } from '../link.js'
import type { GoalKind } from './goal-messages.js'
import type { ClientGoalHandle, FollowWaypointsResult, NavigateToPoseResult } from './rcl.js'

export type StopReason = 'cancel' | 'extend' | 'pause'

/** One Nav2 goal: it drives leg nodes from+1 .. to. */
export interface GoalRun {
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

export interface ActiveLeg {
  leg: Leg
  onEvent: (e: LegEvent) => void
  /** Highest index of `leg.nodes` reached (0: the start). */
  reached: number
  goal: GoalRun | null
  ended: boolean
  over: Promise<void>
  finish: () => void
}

/** A fresh ActiveLeg for `leg` (copied, as extend() replaces its release end), nothing reached yet. */
export function newActiveLeg(leg: Leg, onEvent: (e: LegEvent) => void): ActiveLeg {
  let finish = (): void => {}
  const over = new Promise<void>((resolve) => (finish = resolve))
  return {
    leg: { ...leg, nodes: [...leg.nodes], actions: [...leg.actions] },
    onEvent,
    reached: 0,
    goal: null,
    ended: false,
    over,
    finish,
  }
}

/** A GoalRun for leg nodes from+1 .. to, before Nav2 has accepted it (no handle yet). */
export function newGoalRun(kind: GoalKind, from: number, to: number): GoalRun {
  let settle = (): void => {}
  const done = new Promise<void>((resolve) => (settle = resolve))
  return { kind, from, to, handle: null, stopping: null, waypoint: 0, done, settle }
}
