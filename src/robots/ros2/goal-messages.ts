/**
 * The pure translations behind ./goals.ts: leg nodes to Nav2 goal poses, and Nav2 results back to
 * leg node indices and failure reasons.
 *
 * A leg's nodes become PoseStamped in the map frame (= the venue's floor frame), each facing the next
 * node of the leg (the last one keeps the heading of its last segment); the stamp is zero ("latest
 * transform"), as the venue's clock is not ROS time.
 */

import type { Leg } from '../link.js'
import type { FollowWaypointsResult, NavigateToPoseResult, PoseStamped } from './rcl.js'
import type { NodePositions } from './robot-state.js'

export type GoalKind = 'navigate_to_pose' | 'follow_waypoints'

/** Goal pose of leg node `i`: facing the next node of the leg, or along the last segment. */
export function poseFor(nodeAt: NodePositions, mapFrame: string, leg: Leg, i: number): PoseStamped {
  const at = nodeAt.get(leg.nodes[i] as string) as readonly [number, number]
  let yaw = 0
  const next = i + 1 < leg.nodes.length ? nodeAt.get(leg.nodes[i + 1] as string) : undefined
  const prev = i > 0 ? nodeAt.get(leg.nodes[i - 1] as string) : undefined
  if (next !== undefined && (next[0] !== at[0] || next[1] !== at[1])) yaw = Math.atan2(next[1] - at[1], next[0] - at[0])
  else if (prev !== undefined && (prev[0] !== at[0] || prev[1] !== at[1])) yaw = Math.atan2(at[1] - prev[1], at[0] - prev[0])
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: mapFrame },
    pose: {
      position: { x: at[0], y: at[1], z: 0 },
      orientation: { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) },
    },
  }
}

/** Leg node indices of FollowWaypoints' missed_waypoints (int32[] or [{index}]), ascending. */
export function missedNodes(run: { kind: GoalKind; from: number; to: number }, result: unknown): number[] {
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

export function describeNodes(leg: Leg, indices: number[]): string {
  return `node${indices.length > 1 ? 's' : ''} ${indices.map((i) => leg.nodes[i]).join(', ')}`
}

/** Failure reason for an ABORTED goal: Nav2's error code and message, what it missed, where it stopped. */
export function abortReason(
  actionName: string,
  result: NavigateToPoseResult | FollowWaypointsResult | null,
  leg: Leg,
  missed: number[],
  reached: number,
): string {
  let reason = `Nav2 aborted ${actionName}`
  const r = result as { error_code?: unknown; error_msg?: unknown } | null
  if (typeof r?.error_code === 'number' && r.error_code !== 0) {
    reason += ` (error ${r.error_code}${typeof r.error_msg === 'string' && r.error_msg !== '' ? `: ${r.error_msg}` : ''})`
  } else if (typeof r?.error_msg === 'string' && r.error_msg !== '') {
    reason += ` (${r.error_msg})`
  }
  if (missed.length > 0) reason += `; missed ${describeNodes(leg, missed)}`
  const at = leg.nodes[reached]
  reason += `; last node reached ${at}`
  return reason
}
