/**
 * One VDA 5050 2.0 vehicle, seen from master control: orders and instant actions out, state and
 * connection in, turned into the fleet's `RobotLink` events.
 *
 * - headerId counts up per topic for every message sent (6.4).
 * - A leg is accepted when the state reports its orderId at the sent orderUpdateId; it is rejected when
 *   the state carries an error of type orderError / orderUpdateError / noRouteError / validationError
 *   referring to it (6.6.4, 6.10.6).
 * - A node is reached when lastNodeId / lastNodeSequenceId name it (6.10.3); the leg is finished when
 *   the vehicle has reached the last node, nodeStates and edgeStates are empty and every action of the
 *   leg is FINISHED or FAILED (6.10.3, 6.10.5).
 * - cancel() sends instant action cancelOrder and waits for its actionState to end (6.8.1).
 * - connection CONNECTIONBROKEN (the vehicle's last will) or OFFLINE fails the running leg (6.14).
 * - the factsheet's NODE-scope agvActions say which actions the vehicle takes on a node (6.15): the
 *   fleet gives a vehicle no mission whose actions it does not list.
 */
import type { Venue } from '../../config/schema/venue.js'
import type { Robot } from '../../config/schema/robots.js'
import type { Bus } from '../../contract/bus.js'
import { VDA5050_VERSION } from '../../contract/vda5050/common.js'
import type { Connection } from '../../contract/vda5050/connection.js'
import type { Factsheet } from '../../contract/vda5050/factsheet.js'
import type { State } from '../../contract/vda5050/state.js'
import type { NavGraph } from '../graph.js'
import type { ActionStatus, Leg, LegEvent, LinkSnapshot, RobotLink } from '../link.js'
import { orderFor } from './orders.js'

const REJECTIONS = new Set(['orderError', 'orderUpdateError', 'noRouteError', 'validationError'])

interface Running {
  leg: Leg
  updateId: number
  onEvent: (e: LegEvent) => void
  accepted: boolean
  reached: number
  actions: Map<string, ActionStatus>
}

export interface VdaLinkOptions {
  venue: Pick<Venue, 'broker' | 'site'>
  robot: Robot
  graph: NavGraph
  bus: Bus
  clock?: () => number
}

export class VdaLink implements RobotLink {
  readonly robot: string
  private snap: LinkSnapshot = { connection: 'offline', floor: null, theta: null, node: null, battery_pct: null, charging: false, driving: false, paused: false, errors: [], reportedAt: 0 }
  private readonly listeners: Array<(s: LinkSnapshot) => void> = []
  private running: Running | undefined
  private readonly headerIds = { order: 0, instantActions: 0 }
  private readonly pendingInstant = new Map<string, { resolve: (ok: boolean) => void }>()
  private actionSeq = 0
  private nodeActions: Set<string> | undefined
  private readonly clock: () => number
  private readonly params: { interface: string; manufacturer: string; serialNumber: string }

  constructor(private readonly o: VdaLinkOptions) {
    this.robot = o.robot.id
    this.clock = o.clock ?? Date.now
    this.params = { interface: o.venue.broker.vda5050Interface, ...o.robot.vda5050 }
  }

  async start(): Promise<void> {
    await this.o.bus.subscribe('vdaState', this.params, (s) => this.onState(s))
    await this.o.bus.subscribe('vdaConnection', this.params, (c) => this.onConnection(c))
    await this.o.bus.subscribe('vdaFactsheet', this.params, (f) => this.onFactsheet(f))
  }

  supports(actionType: string): boolean | undefined {
    return this.nodeActions === undefined ? undefined : this.nodeActions.has(actionType)
  }

  async stop(): Promise<void> {
    for (const p of this.pendingInstant.values()) p.resolve(false)
    this.pendingInstant.clear()
  }

  snapshot(): LinkSnapshot {
    return this.snap
  }

  onUpdate(listener: (s: LinkSnapshot) => void): void {
    this.listeners.push(listener)
  }

  async drive(leg: Leg, onEvent: (e: LegEvent) => void): Promise<void> {
    if (this.running !== undefined) throw new Error(`${this.robot}: leg ${this.running.leg.id} is still running`)
    this.running = { leg, updateId: 0, onEvent, accepted: false, reached: 0, actions: new Map(leg.actions.map((a) => [a.id, 'WAITING' as ActionStatus])) }
    await this.sendOrder(orderFor(this.o.graph, leg, 0, 0, this.o.venue.site.id))
  }

  async extend(leg: Leg): Promise<void> {
    const r = this.running
    if (r === undefined || r.leg.id !== leg.id) throw new Error(`${this.robot}: leg ${leg.id} is not running`)
    if (leg.released <= r.leg.released) return
    const stitch = r.leg.released - 1
    r.leg = leg
    r.updateId++
    await this.sendOrder(orderFor(this.o.graph, leg, r.updateId, stitch, this.o.venue.site.id))
  }

  async cancel(): Promise<void> {
    const r = this.running
    if (r === undefined) return
    await this.instant('cancelOrder')
    if (this.running === r) this.end({ kind: 'cancelled' })
  }

  async pause(): Promise<void> {
    await this.instant('startPause')
  }

  async resume(): Promise<void> {
    await this.instant('stopPause')
  }

  async charge(on: boolean): Promise<void> {
    await this.instant(on ? 'startCharging' : 'stopCharging')
  }

  // ---- vehicle to master ------------------------------------------------------------------------

  /** The factsheet's agvActions with scope NODE: what may be put on an order's nodes (6.15). */
  private onFactsheet(f: Factsheet): void {
    this.nodeActions = new Set(f.protocolFeatures.agvActions.filter((a) => a.actionScopes.includes('NODE')).map((a) => a.actionType))
  }

  private onConnection(c: Connection): void {
    const connection = c.connectionState === 'ONLINE' ? 'online' : c.connectionState === 'OFFLINE' ? 'offline' : 'connectionbroken'
    this.update({ connection })
    if (connection !== 'online' && this.running !== undefined) this.end({ kind: 'failed', reason: `connection ${c.connectionState}` })
  }

  private onState(s: State): void {
    const pos = s.agvPosition
    this.update({
      connection: 'online',
      floor: pos ? [pos.x, pos.y] : this.snap.floor,
      theta: pos ? pos.theta : this.snap.theta,
      node: s.lastNodeId === '' ? this.snap.node : s.lastNodeId,
      battery_pct: s.batteryState.batteryCharge,
      charging: s.batteryState.charging,
      driving: s.driving,
      paused: s.paused ?? false,
      errors: s.errors.map((e) => ({ type: e.errorType, level: e.errorLevel, description: e.errorDescription ?? '' })),
      reportedAt: this.clock(),
    })
    for (const a of s.actionStates) {
      const p = this.pendingInstant.get(a.actionId)
      if (p !== undefined && (a.actionStatus === 'FINISHED' || a.actionStatus === 'FAILED')) {
        this.pendingInstant.delete(a.actionId)
        p.resolve(a.actionStatus === 'FINISHED')
      }
    }
    const r = this.running
    if (r !== undefined) this.follow(r, s)
  }

  private follow(r: Running, s: State): void {
    const refersTo = (e: State['errors'][number]): boolean => (e.errorReferences ?? []).some((ref) => ref.referenceKey === 'orderId' && ref.referenceValue === r.leg.id)
    const rejected = s.errors.find((e) => REJECTIONS.has(e.errorType) && refersTo(e))
    if (rejected !== undefined) {
      const reason = `${rejected.errorType}${rejected.errorDescription ? `: ${rejected.errorDescription}` : ''}`
      this.end(r.accepted ? { kind: 'failed', reason } : { kind: 'rejected', reason })
      return
    }
    if (s.orderId !== r.leg.id) return
    if (!r.accepted) {
      r.accepted = true
      r.onEvent({ kind: 'accepted' })
    }
    const index = s.lastNodeId === r.leg.nodes[s.lastNodeSequenceId / 2] ? s.lastNodeSequenceId / 2 : -1
    while (index > r.reached) {
      r.reached++
      r.onEvent({ kind: 'reached', node: r.leg.nodes[r.reached]!, index: r.reached })
    }
    for (const a of s.actionStates) {
      const before = r.actions.get(a.actionId)
      if (before === undefined || before === a.actionStatus) continue
      r.actions.set(a.actionId, a.actionStatus)
      r.onEvent({ kind: 'action', actionId: a.actionId, status: a.actionStatus, ...(a.resultDescription ? { result: a.resultDescription } : {}) })
    }
    const fatal = s.errors.find((e) => e.errorLevel === 'FATAL')
    if (fatal !== undefined) {
      this.end({ kind: 'failed', reason: `${fatal.errorType}${fatal.errorDescription ? `: ${fatal.errorDescription}` : ''}` })
      return
    }
    const atEnd = r.reached === r.leg.nodes.length - 1 && r.leg.released === r.leg.nodes.length
    const actionsDone = [...r.actions.values()].every((x) => x === 'FINISHED' || x === 'FAILED')
    if (atEnd && s.nodeStates.length === 0 && s.edgeStates.length === 0 && actionsDone) this.end({ kind: 'finished' })
  }

  private end(e: LegEvent): void {
    const r = this.running
    this.running = undefined
    r?.onEvent(e)
  }

  private update(patch: Partial<LinkSnapshot>): void {
    this.snap = { ...this.snap, ...patch }
    for (const l of this.listeners) l(this.snap)
  }

  // ---- master to vehicle ------------------------------------------------------------------------

  private header(topic: 'order' | 'instantActions') {
    return {
      headerId: this.headerIds[topic]++,
      timestamp: new Date(this.clock()).toISOString(),
      version: VDA5050_VERSION,
      manufacturer: this.params.manufacturer,
      serialNumber: this.params.serialNumber,
    }
  }

  private async sendOrder(body: ReturnType<typeof orderFor>): Promise<void> {
    await this.o.bus.publish('vdaOrder', this.params, { ...this.header('order'), ...body })
  }

  /** Send one instant action; resolves true when the vehicle reports it FINISHED (false: FAILED, or no answer in 10 s). */
  private async instant(actionType: string): Promise<boolean> {
    const actionId = `${this.robot}-${actionType}-${this.clock().toString(36)}-${this.actionSeq++}`
    const done = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.pendingInstant.delete(actionId)
        resolve(false)
      }, 10_000)
      timer.unref()
      this.pendingInstant.set(actionId, { resolve: (ok) => (clearTimeout(timer), resolve(ok)) })
    })
    await this.o.bus.publish('vdaInstantActions', this.params, { ...this.header('instantActions'), actions: [{ actionType, actionId, blockingType: 'HARD' }] })
    return done
  }
}
