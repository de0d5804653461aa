/**
 * Traffic reservations: single-lane edges and doors are held by one robot at a time, so two robots
 * never meet head-on in a corridor only one can pass.
 *
 * Deadlock-free by construction:
 * - a robot takes every resource of a run of consecutive reserved edges at once, or none of them, and
 *   waits before the run, holding nothing ahead of it;
 * - it keeps the edge it last drove while it stands on that edge's end node (a robot parked at the end
 *   of a dead-end spur keeps others out of the spur), and lets go once it has reached the next node.
 * So no robot ever holds one resource while waiting for another that a waiting robot holds.
 */
import type { NavEdge } from '../config/schema/floor.js'

/** The resources an edge needs: itself when single-lane, its door when it passes one. */
export function resourcesOf(edge: NavEdge): string[] {
  const out: string[] = []
  if (edge.singleLane) out.push(`edge:${edge.id}`)
  if (edge.door !== undefined) out.push(`door:${edge.door}`)
  return out
}

export class Reservations {
  private readonly holder = new Map<string, string>()

  /** Who holds a resource, if anyone. */
  heldBy(resource: string): string | undefined {
    return this.holder.get(resource)
  }

  /** Resources a robot holds. */
  heldByRobot(robot: string): string[] {
    return [...this.holder].filter(([, r]) => r === robot).map(([k]) => k)
  }

  /** Take all of `resources` for `robot`, or none; true when it holds them all now. */
  tryAcquire(robot: string, resources: readonly string[]): boolean {
    if (resources.some((r) => (this.holder.get(r) ?? robot) !== robot)) return false
    for (const r of resources) this.holder.set(r, robot)
    return true
  }

  /** Let go of resources (those the robot holds; others are left alone). */
  release(robot: string, resources: readonly string[]): void {
    for (const r of resources) if (this.holder.get(r) === robot) this.holder.delete(r)
  }

  /** Let go of everything a robot holds except `keep`. */
  releaseAllBut(robot: string, keep: readonly string[]): void {
    for (const [r, who] of [...this.holder]) if (who === robot && !keep.includes(r)) this.holder.delete(r)
  }

  /**
   * How far along `edges` (edge i joins node i to node i + 1) a robot may be released, taking the runs
   * of reserved edges it can get that start no later than edge `untilEdge`: returns the number of
   * nodes that may be released (at least 1).
   */
  releaseAlong(robot: string, edges: readonly NavEdge[], fromEdge = 0, untilEdge = Infinity): number {
    let i = fromEdge
    while (i < edges.length) {
      // runs that start further ahead than `untilEdge` are left for later (released up to before them)
      if (i > untilEdge && resourcesOf(edges[i]!).length > 0) return i + 1
      const first = resourcesOf(edges[i]!)
      if (first.length === 0) {
        i++
        continue
      }
      // the whole run of consecutive reserved edges, at once
      const run: string[] = []
      let j = i
      while (j < edges.length && resourcesOf(edges[j]!).length > 0) run.push(...resourcesOf(edges[j++]!))
      if (!this.tryAcquire(robot, run)) return i + 1
      i = j
    }
    return edges.length + 1
  }
}
