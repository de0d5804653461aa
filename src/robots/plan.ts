/**
 * Allocation and trip planning: which robot takes which work, and the stops of its trip.
 *
 * A robot can take work when it is of a kind that runs the mission, online, reporting, free of FATAL
 * errors, not sent to charge, and not on another trip. Among those, the lowest cost wins: travel time
 * to the first stop, plus a battery penalty (an emptier robot costs more), so the nearest charged robot
 * goes.
 */
import type { Robot } from '../config/schema/robots.js'
import type { NavGraph } from './graph.js'
import type { LinkSnapshot } from './link.js'
import { CAN_RUN, type Mission, type Stop, type Trip } from './missions.js'
import type { Places } from './places.js'

/** Seconds of travel one missing percent of battery is worth when choosing a robot. */
const BATTERY_PENALTY_S = 2

export interface Candidate {
  robot: Robot
  snap: LinkSnapshot
  /** Whether it can run an action type at a node (undefined: not known yet, assumed yes). */
  supports: (actionType: string) => boolean | undefined
}

/** Node actions a mission kind's trips use. */
const NEEDS: Partial<Record<Mission['kind'], string[]>> = { delivery: ['waitForTrigger'] }

export function cost(graph: NavGraph, c: Candidate, target: string, speed_mps: number): number {
  if (c.snap.node === null) return Infinity
  const path = graph.path(c.snap.node, target, speed_mps)
  if (path === null) return Infinity
  return path.time_s + (100 - (c.snap.battery_pct ?? 50)) * BATTERY_PENALTY_S
}

/** The cheapest robot for a mission's next trip, or undefined. */
export function choose(graph: NavGraph, m: Mission, candidates: readonly Candidate[], firstStop: string, speed_mps: number): Candidate | undefined {
  let best: { c: Candidate; cost: number } | undefined
  for (const c of candidates) {
    if (!CAN_RUN[m.kind].includes(c.robot.kind)) continue
    if ((NEEDS[m.kind] ?? []).some((t) => c.supports(t) === false)) continue
    if (m.robot !== null && m.robot !== c.robot.id) continue
    const k = cost(graph, c, firstStop, speed_mps)
    if (k === Infinity) continue
    if (best === undefined || k < best.cost || (k === best.cost && c.robot.id < best.c.robot.id)) best = { c, cost: k }
  }
  return best?.c
}

let actionSeq = 0
const actionId = (what: string): string => `${what}-${Date.now().toString(36)}-${(actionSeq++).toString(36)}`

/** The stops of the next trip of a mission for a robot standing at `from`. */
export function planTrip(graph: NavGraph, places: Places, m: Mission, robot: Robot, from: string, o: { mealsPerTrip: number; speed_mps: number }): Trip | { error: string } {
  switch (m.kind) {
    case 'delivery': {
      const kitchen = places.nodeOfKind('kitchen')
      if (kitchen === null) return { error: 'the navigation graph has no node in a kitchen zone' }
      // the farthest room waiting first (so the far end is not left for the last trips), then the
      // nearest to the previous room; travel times from one Dijkstra run per room chosen
      const timeFrom = (at: string): Map<string, number> => new Map(m.pendingRooms.map((r) => [r, graph.path(at, places.nodeIn(r) ?? at, o.speed_mps)?.time_s ?? Infinity]))
      const rooms: string[] = []
      const left = new Set(m.pendingRooms)
      let times = timeFrom(kitchen)
      let pickFarthest = true
      while (rooms.length < o.mealsPerTrip && left.size > 0) {
        let best: string | undefined
        for (const r of left) if (best === undefined || (pickFarthest ? times.get(r)! > times.get(best)! : times.get(r)! < times.get(best)!)) best = r
        const room = best!
        left.delete(room)
        rooms.push(room)
        pickFarthest = false
        times = timeFrom(places.nodeIn(room) ?? kitchen)
      }
      // more rooms waiting after this trip: come back to the kitchen for them instead of the dock
      const last = left.size === 0
      const stops: Stop[] = [
        { node: kitchen, label: `loading ${rooms.length} meal(s) at the kitchen`, actions: [{ id: actionId('load'), type: 'waitForTrigger', blocking: 'HARD', parameters: { purpose: 'loading' } }] },
        ...rooms.map((room) => ({
          node: places.nodeIn(room)!,
          room,
          snapshot: true,
          label: `at the hatch of ${room}, waiting for the recipient`,
          actions: [{ id: actionId(`hatch-${room}`), type: 'waitForTrigger', blocking: 'HARD' as const, parameters: { purpose: 'handover', room } }],
        })),
        last ? { node: robot.dockNode, label: 'returning to the dock', actions: [] } : { node: kitchen, label: 'back to the kitchen for the next meals', actions: [] },
      ]
      return { stops, rooms }
    }
    case 'patrol':
      return {
        stops: m.nodes.map((node, i) => ({ node, label: `patrolling: waypoint ${i + 1} of ${m.nodes.length} (${node})`, actions: [], snapshot: m.snapshotAt.includes(node) })),
        rooms: [],
      }
    case 'verify': {
      const node = m.nodes[0]
      if (node === undefined) return { error: 'a verify mission needs the node to look at' }
      return {
        stops: [
          { node, label: `looking at ${node}${m.alertId ? ` for alert ${m.alertId}` : ''}`, actions: [] },
          { node: robot.dockNode, label: 'returning to the dock', actions: [] },
        ],
        rooms: [],
      }
    }
    case 'dock':
      return { stops: [{ node: robot.dockNode, label: 'going to the dock', actions: [] }], rooms: [] }
    case 'guard':
      return { stops: [{ node: m.nodes[0] ?? places.nodeOfKind('entrance') ?? from, label: 'standing guard at the entrance', actions: [] }], rooms: [] }
  }
}
