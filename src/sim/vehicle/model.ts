// What the simulated vehicle is and does, without I/O: order handling (VDA 5050 6.6), driving along
// released edges (6.10.2), node and instant actions (6.8, 6.9, 6.11, 6.12), battery, faults, and the
// state and visualization payloads are built in payloads.ts. `SimVehicle` wires it to MQTT and timers.
import type { Action, ErrorEntry, InstantActions, Load, Order } from '../../contract/vda5050/index.js'
import { ActionBook, paramsOf, type ActionEffects, type Tracked } from './actions.js'
import { INSTANT_ACTION_TYPES } from './factsheet.js'
import { checkOrder, positionOf } from './order-check.js'
import { distance, type Resolved } from './options.js'

type OrderNode = Order['nodes'][number]
type OrderEdge = Order['edges'][number]
type ErrorSource = 'warning' | 'fault' | 'battery'

const MAX_WARNINGS = 10

export class VehicleModel {
  orderId = ''
  orderUpdateId = 0
  zoneSetId: string | undefined
  /** Nodes not yet reached (base, then horizon); edges[i] leads into nodes[i]. */
  nodes: OrderNode[] = []
  edges: OrderEdge[] = []
  baseEnd: { nodeId: string; sequenceId: number } | undefined
  /** The order was cancelled: a second cancelOrder has nothing to cancel (6.6.3.2). */
  cancelled = false
  cancelling: Tracked | undefined
  lastNodeId: string
  lastNodeSequenceId = 0
  x: number
  y: number
  theta = 0
  distanceSinceLastNode = 0
  driving = false
  velocity = 0
  paused = false
  battery: number
  charging = false
  loads: Load[] = []
  stuck = false
  readonly actions = new ActionBook()
  private errors: Array<{ source: ErrorSource; entry: ErrorEntry }> = []
  private readonly fx: ActionEffects

  constructor(
    private readonly o: Resolved,
    /** Something master control should hear about now (6.10: state on relevant events). */
    private readonly changed: () => void,
    private readonly factsheetRequested: () => void,
  ) {
    const at = o.graph.nodes.get(o.startNode)!
    this.lastNodeId = o.startNode
    this.x = at.x
    this.y = at.y
    this.battery = o.battery_pct
    this.fx = {
      pickDrop_s: o.pickDrop_s,
      startCharging: () => this.startCharging(),
      stopCharging: () => {
        this.charging = false
      },
      pick: (p) => {
        const load: Load = { loadPosition: typeof p.lhd === 'string' ? p.lhd : 'default' }
        if (typeof p.loadId === 'string') load.loadId = p.loadId
        if (typeof p.loadType === 'string') load.loadType = p.loadType
        this.loads.push(load)
      },
      drop: (p) => {
        this.loads = typeof p.loadId === 'string' ? this.loads.filter((l) => l.loadId !== p.loadId) : []
      },
    }
  }

  get fatal(): boolean {
    return this.errors.some((e) => e.entry.errorLevel === 'FATAL')
  }

  /** Figure 8 step 3: nodeStates not empty, or order actions neither FINISHED nor FAILED. */
  get active(): boolean {
    return this.nodes.length > 0 || this.actions.orderBusy()
  }

  // ---- errors ----------------------------------------------------------------------------------

  addError(source: ErrorSource, entry: ErrorEntry): void {
    this.errors.push({ source, entry })
    const warnings = this.errors.filter((e) => e.source === 'warning')
    if (warnings.length > MAX_WARNINGS) this.errors.splice(this.errors.indexOf(warnings[0]!), 1)
    this.changed()
  }

  clearErrors(source: ErrorSource): void {
    const before = this.errors.length
    this.errors = this.errors.filter((e) => e.source !== source)
    if (this.errors.length !== before) this.changed()
  }

  /** 6.6.4.1: a message that fails the schema (seen only behind a broker that does not validate). */
  invalidMessage(topic: string, description: string): void {
    const refs = [{ referenceKey: 'topic', referenceValue: topic.split('/').pop() ?? topic }]
    this.addError('warning', { errorType: 'validationError', errorLevel: 'WARNING', errorDescription: description, errorReferences: refs })
  }

  // ---- orders (6.6) ----------------------------------------------------------------------------

  handleOrder(order: Order): void {
    const verdict = checkOrder(order, {
      orderId: this.orderId,
      orderUpdateId: this.orderUpdateId,
      active: this.active,
      baseEnd: this.baseEnd,
      lastNodeId: this.lastNodeId,
      lastNodeSequenceId: this.lastNodeSequenceId,
      position: { x: this.x, y: this.y },
      fatal: this.fatal,
      graph: this.o.graph,
      tolerance_m: this.o.nodeTolerance_m,
    })
    switch (verdict.kind) {
      case 'duplicate':
        return
      case 'reject':
        // 6.6.4: the order is not taken over; the warning stays until an order is accepted
        this.addError('warning', verdict.error)
        return
      case 'new':
        this.acceptNew(order)
        return
      case 'update':
        this.acceptUpdate(order)
    }
  }

  private acceptNew(order: Order): void {
    this.clearErrors('warning')
    this.actions.newOrder()
    this.orderId = order.orderId
    this.orderUpdateId = order.orderUpdateId
    this.zoneSetId = order.zoneSetId
    this.cancelled = false
    this.nodes = [...order.nodes]
    this.edges = [...order.edges]
    this.release(order.nodes)
    // 6.6.1: the first node is trivially reachable: the vehicle stands on it, so it counts as traversed
    this.reachNode()
    this.changed()
  }

  /** 6.6.2: stitch at the decision point; the horizon is replaced, the stitching node kept as first sent. */
  private acceptUpdate(order: Order): void {
    this.clearErrors('warning')
    this.orderUpdateId = order.orderUpdateId
    this.zoneSetId = order.zoneSetId
    this.cancelled = false
    this.nodes = this.nodes.filter((n) => n.released)
    this.edges = this.edges.filter((e) => e.released)
    this.nodes.push(...order.nodes.slice(1))
    this.edges.push(...order.edges)
    this.release(order.nodes.slice(1))
    this.changed()
  }

  /** Actions of released nodes appear as WAITING (6.11); the last released node is the new decision point. */
  private release(nodes: readonly OrderNode[]): void {
    for (const n of nodes) {
      if (!n.released) continue
      for (const a of n.actions) this.actions.addNodeAction(a)
      this.baseEnd = { nodeId: n.nodeId, sequenceId: n.sequenceId }
    }
  }

  /** 6.10.2: the node counts as traversed: lastNode set, its state and the edge before it removed, its actions triggered. */
  private reachNode(): void {
    const node = this.nodes.shift()
    if (node === undefined) return
    if (this.nodes.length < this.edges.length) this.edges.shift()
    this.lastNodeId = node.nodeId
    this.lastNodeSequenceId = node.sequenceId
    this.distanceSinceLastNode = 0
    if (this.cancelling !== undefined) this.finishCancel()
    else this.actions.trigger(node.actions)
    this.changed()
  }

  // ---- motion ----------------------------------------------------------------------------------

  /** The next edge and node may be driven now. */
  private canDrive(): boolean {
    const edge = this.edges[0]
    const node = this.nodes[0]
    if (edge === undefined || node === undefined || !edge.released || !node.released) return false // horizon: never driven (6.6.1)
    return !this.paused && !this.fatal && this.battery > 0 && !this.actions.blocksDriving()
  }

  /** Advance the simulation by `dt` sim seconds. */
  step(dt: number): void {
    if (this.actions.step(dt, this.paused, this.fx)) this.changed()
    this.endCancelIfIdle()
    if (this.charging) {
      this.battery = Math.min(100, this.battery + this.o.charge_pct_per_s * dt)
      if (this.battery > 0) this.clearErrors('battery')
    }
    const wasDriving = this.driving
    let speed = 0
    if (this.stuck && this.canDrive()) {
      this.driving = true // reports driving, makes no progress
    } else {
      let budget = dt
      while (budget > 1e-9 && this.canDrive()) {
        const edge = this.edges[0]!
        const target = positionOf(this.nodes[0]!, this.o.graph)!
        const v = Math.min(this.o.speed_mps, edge.maxSpeed ?? Infinity, this.o.graph.edges.get(edge.edgeId)?.maxSpeed_mps ?? Infinity)
        const remaining = distance({ x: this.x, y: this.y }, target)
        // the battery runs out part-way: drive only as far as the charge left allows
        const range = this.o.drain_pct_per_m > 0 ? this.battery / this.o.drain_pct_per_m : Infinity
        const d = Math.min(remaining, v * budget, range)
        if (remaining > 0) this.theta = Math.atan2(target.y - this.y, target.x - this.x)
        if (d > 0) this.charging = false // driving off the charger ends charging
        this.drain(d)
        const f = remaining > 0 ? d / remaining : 1
        this.x += (target.x - this.x) * f
        this.y += (target.y - this.y) * f
        this.distanceSinceLastNode += d
        budget -= d / v
        speed = v
        if (d >= remaining - 1e-9) {
          this.x = target.x
          this.y = target.y
          this.reachNode()
        }
        if (this.battery <= 0) break
      }
      this.driving = speed > 0
    }
    this.velocity = this.driving && !this.stuck ? speed : 0
    if (this.driving !== wasDriving) this.changed()
  }

  private drain(metres: number): void {
    if (metres <= 0) return
    this.battery = Math.max(0, this.battery - metres * this.o.drain_pct_per_m)
    if (this.battery < 1e-9) this.battery = 0
    if (this.battery <= 0 && !this.errors.some((e) => e.source === 'battery')) {
      this.addError('battery', {
        errorType: 'batteryEmpty',
        errorLevel: 'FATAL',
        errorDescription: 'the battery is empty: the vehicle stopped',
        errorHint: 'charge the vehicle where it stands',
      })
    }
  }

  private startCharging(): string | undefined {
    if (this.distanceSinceLastNode > 0) return 'charging only while standing on a node'
    this.charging = true
    return undefined
  }

  // ---- instant actions (6.9) -------------------------------------------------------------------

  handleInstant(msg: InstantActions): void {
    for (const a of msg.actions) {
      const t = this.actions.addInstant(a)
      if (t !== undefined) this.runInstant(t)
    }
    this.changed()
  }

  private warn(errorType: string, a: Action, description: string): void {
    this.addError('warning', {
      errorType,
      errorLevel: 'WARNING',
      errorDescription: description,
      errorReferences: [
        { referenceKey: 'topic', referenceValue: 'instantActions' },
        { referenceKey: 'actionId', referenceValue: a.actionId },
      ],
    })
  }

  private runInstant(t: Tracked): void {
    const a = t.action
    const finish = (result?: string): void => {
      t.status = 'FINISHED'
      t.result = result
    }
    const fail = (errorType: string, why: string): void => {
      t.status = 'FAILED'
      t.result = why
      this.warn(errorType, a, why)
    }
    if (!INSTANT_ACTION_TYPES.has(a.actionType)) return fail('instantActionError', `action type "${a.actionType}" is not supported as an instant action`)
    switch (a.actionType) {
      case 'cancelOrder':
        return this.cancel(t)
      case 'startPause':
        this.paused = true // 6.8.1: no more driving, reaching the next node is not necessary
        return finish('paused')
      case 'stopPause':
        this.paused = false
        return finish('resumed')
      case 'startCharging': {
        const failure = this.startCharging()
        return failure === undefined ? finish('charging') : fail('chargingError', failure)
      }
      case 'stopCharging':
        this.charging = false
        return finish('not charging')
      case 'stateRequest':
        return finish() // the state goes out now
      case 'factsheetRequest':
        this.factsheetRequested()
        return finish()
      case 'initPosition': {
        if (this.active) return fail('instantActionError', 'initPosition only without an order')
        const p = paramsOf(a)
        if (typeof p.x !== 'number' || typeof p.y !== 'number') return fail('instantActionError', 'initPosition needs numbers x and y')
        this.x = p.x
        this.y = p.y
        if (typeof p.theta === 'number') this.theta = p.theta
        if (typeof p.lastNodeId === 'string') {
          this.lastNodeId = p.lastNodeId
          this.lastNodeSequenceId = 0
        }
        this.distanceSinceLastNode = 0
        return finish('position set')
      }
    }
  }

  /**
   * 6.6.3: stop on the next node (at once when standing on one, paused or unable to drive), then delete
   * the order: waiting and running actions FAILED, node and edge states cleared; orderId and
   * orderUpdateId are kept. Without an order: FAILED and a "noOrderToCancel" warning (6.6.3.2).
   */
  private cancel(t: Tracked): void {
    if (!this.active || this.cancelled || this.cancelling !== undefined) {
      t.status = 'FAILED'
      t.result = 'no order to cancel'
      this.warn('noOrderToCancel', t.action, 'cancelOrder without an order to cancel (6.6.3.2)')
      return
    }
    t.status = 'RUNNING' // "AGV is stopping or driving, until it reaches the next node" (6.8.2)
    this.cancelling = t
    const between = this.distanceSinceLastNode > 0 && this.canDrive()
    if (between) {
      this.nodes = this.nodes.slice(0, 1)
      this.edges = this.edges.slice(0, 1)
    } else this.finishCancel()
  }

  private finishCancel(): void {
    const t = this.cancelling
    if (t === undefined) return
    this.nodes = []
    this.edges = []
    this.actions.failOrderActions('order cancelled')
    this.cancelled = true
    this.cancelling = undefined
    t.status = 'FINISHED'
    t.result = 'order cancelled'
    this.changed()
  }

  /** A cancel waiting for the next node that can no longer drive there (paused, fault) stops where it is. */
  private endCancelIfIdle(): void {
    if (this.cancelling !== undefined && !this.canDrive() && !this.stuck) this.finishCancel()
  }

  // ---- triggers and faults ---------------------------------------------------------------------

  trigger(actionId: string, result?: string): boolean {
    const ok = this.actions.fireTrigger(actionId, result)
    if (ok) this.changed()
    return ok
  }

  raiseFatal(description: string): void {
    this.addError('fault', { errorType: 'simulatedFault', errorLevel: 'FATAL', errorDescription: description })
  }

  clearFaults(): void {
    this.stuck = false
    this.clearErrors('fault')
    if (this.battery > 0) this.clearErrors('battery')
    this.changed()
  }

  setBattery(pct: number): void {
    this.battery = Math.max(0, Math.min(100, pct))
    if (this.battery > 0) this.clearErrors('battery')
    this.changed()
  }

  /** Active errors, in the order raised (6.10.5). */
  errorEntries(): ErrorEntry[] {
    return this.errors.map((e) => e.entry)
  }
}
