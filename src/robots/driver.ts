/**
 * Runs one trip on one robot: stop after stop, each a leg planned on the graph, released as far as
 * the traffic reservations allow and extended as lanes free up, with the robot's progress watched.
 */
import type { NavEdge } from '../config/schema/floor.js'
import type { Robot } from '../config/schema/robots.js'
import type { NavGraph } from './graph.js'
import type { ActionStatus, Leg, LegEvent, RobotLink } from './link.js'
import type { Stop, Trip } from './missions.js'
import { resourcesOf, type Reservations } from './reservations.js'

/**
 * Lanes are taken only this many edges ahead of the robot: a robot leaving a far room does not hold
 * a door it will reach minutes later.
 */
const LANE_LOOKAHEAD_EDGES = 2

export interface TripCallbacks {
  /** A stop's leg began (accepted by the robot). */
  onStop(stop: Stop, index: number): void
  /** An action at a stop ended. */
  onAction(stop: Stop, actionId: string, status: ActionStatus, result: string | undefined): void
  /** A stop is done (reached, its actions ended, its dwell over). */
  onStopDone(stop: Stop, index: number): void
  onTripDone(): void
  onTripFailed(reason: string): void
}

interface Current {
  trip: Trip
  index: number
  leg: Leg | null
  edges: NavEdge[]
  /** Index into leg.nodes of the last node reached. */
  reachedIndex: number
  cb: TripCallbacks
  /** A stop's dwell (looking around) ends at this time on the fleet's clock; `poll()` ends it. */
  dwellUntil?: number
  dwellDone?: () => void
}

export class RobotDriver {
  private current: Current | undefined
  private legSeq = 0
  private cancelling: Promise<void> | undefined
  /** Epoch ms of the last node reached or leg started: the stuck watchdog reads it. */
  lastProgressAt = 0
  /** An action is waiting for people (a hatch, the kitchen): not being stuck. */
  waitingOnAction = false

  constructor(
    readonly robot: Robot,
    readonly link: RobotLink,
    private readonly graph: NavGraph,
    private readonly reservations: Reservations,
    private readonly o: { speed_mps: number; clock: () => number; dwell_ms: (stop: Stop) => number },
  ) {}

  /** Standing still on purpose (a verify robot looking): not being stuck. */
  get dwelling(): boolean {
    return this.current?.dwellUntil !== undefined
  }

  /** Called by the fleet's tick: ends a dwell whose time has come. */
  poll(): void {
    const c = this.current
    if (c?.dwellUntil === undefined || this.o.clock() < c.dwellUntil) return
    const done = c.dwellDone
    c.dwellUntil = undefined
    c.dwellDone = undefined
    this.lastProgressAt = this.o.clock()
    done?.()
  }

  /** The cancel of a failed trip's leg has not gone out yet: the link still holds that leg. */
  get settling(): boolean {
    return this.cancelling !== undefined
  }

  get busy(): boolean {
    return this.current !== undefined
  }

  get trip(): Trip | undefined {
    return this.current?.trip
  }

  start(trip: Trip, cb: TripCallbacks): void {
    if (this.current !== undefined) throw new Error(`${this.robot.id} already has a trip`)
    this.current = { trip, index: 0, leg: null, edges: [], reachedIndex: 0, cb }
    void this.next()
  }

  /** Cancel the trip (the robot stops at its next node); the callbacks hear nothing more of it. */
  async abandon(): Promise<void> {
    const c = this.current
    this.current = undefined
    if (c?.leg) await this.link.cancel().catch(() => undefined)
    this.keepOnlyWhereItStands(c)
  }

  /** Fail the trip from outside (a watchdog saw the robot lost or stuck). */
  fail(reason: string): void {
    const c = this.current
    if (c === undefined) return
    this.current = undefined
    if (c.leg) {
      const cancelling: Promise<void> = this.link
        .cancel()
        .catch(() => undefined)
        .finally(() => {
          if (this.cancelling === cancelling) this.cancelling = undefined
        })
      this.cancelling = cancelling
    }
    this.keepOnlyWhereItStands(c)
    c.cb.onTripFailed(reason)
  }

  /**
   * Since when the running leg has been held back before a lane another robot holds (epoch ms), or
   * undefined: the fleet offers freed lanes to the longest-waiting robot first.
   */
  blockedSince: number | undefined

  /** Lanes freed elsewhere, or the robot moved on: release more of the running leg if we can. */
  async retryRelease(): Promise<void> {
    const c = this.current
    if (c?.leg == null || c.leg.released >= c.leg.nodes.length) return
    const released = this.reservations.releaseAlong(this.robot.id, c.edges, c.leg.released - 1, c.reachedIndex + LANE_LOOKAHEAD_EDGES)
    if (released > c.leg.released) {
      c.leg = { ...c.leg, released }
      this.updateBlocked(c)
      await this.link.extend(c.leg)
    }
  }

  private updateBlocked(c: Current): void {
    const leg = c.leg
    const waiting = leg != null && leg.released < leg.nodes.length && c.reachedIndex >= leg.released - 1 - LANE_LOOKAHEAD_EDGES
    if (!waiting) {
      // the wait for a lane does not count against the robot's progress
      if (this.blockedSince !== undefined) this.lastProgressAt = this.o.clock()
      this.blockedSince = undefined
    } else this.blockedSince ??= this.o.clock()
  }

  private async next(): Promise<void> {
    const c = this.current
    if (c === undefined) return
    const stop = c.trip.stops[c.index]
    if (stop === undefined) {
      this.current = undefined
      c.cb.onTripDone()
      return
    }
    const from = this.link.snapshot().node
    const path = from === null ? null : this.graph.path(from, stop.node, this.o.speed_mps)
    if (path === null) {
      this.fail(`no path from ${from ?? '(unknown position)'} to ${stop.node}`)
      return
    }
    const released = this.reservations.releaseAlong(this.robot.id, path.edges, 0, LANE_LOOKAHEAD_EDGES)
    const leg: Leg = { id: `${this.robot.id}-${this.o.clock().toString(36)}-${this.legSeq++}`, nodes: path.nodes, released, actions: stop.actions }
    c.leg = leg
    c.edges = path.edges
    c.reachedIndex = 0
    this.updateBlocked(c)
    this.lastProgressAt = this.o.clock()
    this.waitingOnAction = false
    try {
      await this.link.drive(leg, (e) => this.onLegEvent(c, stop, e))
    } catch (err) {
      this.fail(`could not send the leg: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  private onLegEvent(c: Current, stop: Stop, e: LegEvent): void {
    if (this.current !== c) return
    switch (e.kind) {
      case 'accepted':
        c.cb.onStop(stop, c.index)
        return
      case 'reached': {
        this.lastProgressAt = this.o.clock()
        c.reachedIndex = e.index
        // let go of the lanes behind; the one just driven is kept only where the robot stops at its
        // end (a dead-end spur to a room or a dock): it is not held while the robot drives on
        const last = c.leg!.nodes.length - 1
        for (let k = 0; k < e.index - (e.index === last ? 1 : 0); k++) this.releaseEdge(c, k)
        if (e.index === last && stop.actions.length > 0) this.waitingOnAction = true
        this.updateBlocked(c)
        return
      }
      case 'action':
        if (e.status === 'FINISHED' || e.status === 'FAILED') this.lastProgressAt = this.o.clock()
        c.cb.onAction(stop, e.actionId, e.status, e.result)
        return
      case 'finished': {
        c.leg = null
        this.waitingOnAction = false
        const done = (): void => {
          if (this.current !== c) return
          c.cb.onStopDone(stop, c.index)
          c.index++
          void this.next()
        }
        const dwell = this.o.dwell_ms(stop)
        if (dwell > 0) {
          // timed on the fleet's clock (a sim clock may run faster than the wall)
          c.dwellUntil = this.o.clock() + dwell
          c.dwellDone = done
        } else done()
        return
      }
      case 'rejected':
      case 'failed':
        c.leg = null
        this.fail(`${e.kind === 'rejected' ? 'leg rejected' : 'leg failed'}: ${e.reason}`)
        return
      case 'cancelled':
        c.leg = null
        this.fail('leg cancelled by the robot')
        return
    }
  }

  private releaseEdge(c: Current, k: number): void {
    const edge = c.edges[k]
    if (edge === undefined) return
    const later = new Set(c.edges.slice(k + 1).flatMap(resourcesOf))
    this.reservations.release(this.robot.id, resourcesOf(edge).filter((r) => !later.has(r)))
  }

  /** After a trip ends early: hold only the lanes of where the robot physically is. */
  private keepOnlyWhereItStands(c: Current | undefined): void {
    const here = this.link.snapshot().node
    const keep: string[] = []
    if (c !== undefined && here !== null) {
      const i = c.leg?.nodes.indexOf(here) ?? -1
      for (const k of [i - 1, i]) {
        const edge = k >= 0 ? c.edges[k] : undefined
        if (edge !== undefined) keep.push(...resourcesOf(edge))
      }
    }
    this.reservations.releaseAllBut(this.robot.id, keep)
  }
}
