/**
 * Missions as the fleet runs them: a mission holds work (rooms to serve, waypoints to walk, a place
 * to look at) and hands a robot one trip at a time: a list of stops, each a navigation node with the
 * actions to run there. Work a robot did not finish goes back to its mission for the next robot.
 */
import type { MissionRequest, MissionState } from '../contract/venue/missions.js'
import type { LegAction } from './link.js'

export type Kind = MissionState['kind']
export type State = MissionState['state']

export interface Stop {
  node: string
  actions: LegAction[]
  /** In words, for the mission's `step`. */
  label: string
  /** A delivery room this stop serves, if any. */
  room?: string
  /** Ask the cameras that see this node for a snapshot once the stop is done (patrol, proof of delivery). */
  snapshot?: boolean
}

export interface Trip {
  stops: Stop[]
  /** Rooms this trip takes from the mission (delivery). */
  rooms: string[]
}

export interface DeliveryProof {
  room: string
  robot: string
  confirmedBy: string
  at: string
  /** Snapshot requests sent for the hand-over (the JPEGs are stored as they arrive). */
  snapshots: string[]
}

export interface Mission {
  id: string
  requestId: string | null
  kind: Kind
  /** A robot the request asked for, else any robot of a fitting kind. */
  robot: string | null
  /** Robots running a trip of this mission now. */
  active: Set<string>
  state: State
  step: string
  startedAt: string | null
  endedAt: string | null
  reason?: string
  alertId?: string
  requestedBy: string
  loop: boolean
  /** patrol / verify / dock: the nodes to visit, in order. */
  nodes: string[]
  /** delivery: rooms not yet served and not on a robot. */
  pendingRooms: string[]
  /** delivery: rooms served, with their proof. */
  delivered: DeliveryProof[]
  /** delivery: all rooms asked for. */
  rooms: string[]
  /** patrol: waypoints where the cameras that see them are asked for a snapshot. */
  snapshotAt: string[]
  /** set when the mission was cancelled: trips end at their next chance. */
  cancelled: boolean
}

/** Which robot kinds can run a mission kind. */
export const CAN_RUN: Record<Kind, ReadonlyArray<'guard' | 'patrol' | 'delivery'>> = {
  guard: ['guard'],
  patrol: ['patrol'],
  verify: ['patrol', 'guard'],
  delivery: ['delivery'],
  dock: ['guard', 'patrol', 'delivery'],
}

export function progressOf(m: Mission): number {
  if (m.kind === 'delivery') return m.rooms.length === 0 ? 1 : m.delivered.length / m.rooms.length
  if (m.state === 'completed') return 1
  return 0
}

/** Work left that a robot could take now. */
export function hasWork(m: Mission): boolean {
  if (m.cancelled || m.state === 'completed' || m.state === 'failed' || m.state === 'cancelled') return false
  if (m.kind === 'delivery') return m.pendingRooms.length > 0
  return m.active.size === 0
}

/** A queued mission for a start request. */
export function newMission(r: Extract<MissionRequest, { action: 'start' }>, id: string): Mission {
  return {
    id,
    requestId: r.requestId,
    kind: r.kind,
    robot: r.robot ?? null,
    active: new Set(),
    state: 'queued',
    step: 'waiting for a robot',
    startedAt: null,
    endedAt: null,
    requestedBy: r.requestedBy,
    loop: r.loop,
    nodes: [...r.nodes],
    pendingRooms: [...r.rooms],
    delivered: [],
    rooms: [...r.rooms],
    snapshotAt: [...r.snapshotAt],
    cancelled: false,
    ...(r.alertId === undefined ? {} : { alertId: r.alertId }),
  }
}
