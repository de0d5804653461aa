// Test side of the simulated vehicle: a master control stand-in speaking as the 'fleet' principal,
// a small navigation graph, and order / action builders.
import { Bus } from '../../src/contract/index.js'
import { vdaHeader, type Action, type Connection, type Factsheet, type Order, type State } from '../../src/contract/vda5050/index.js'
import type { Venue } from '../../src/config/index.js'
import { SimVehicle, type SimVehicleOptions } from '../../src/sim/vehicle/index.js'
import { password, testVenue } from '../helpers/venue.js'

export const MANUFACTURER = 'Acme'
export const SERIAL = 'P-001' // robot r1

/** n1 (1,5) - n2 (2,5) - n3 (3,5) - n4 (4,5) - n5 (5,5): 1 m apart, edges eAB between nA and nB. */
export function simVenue(): Promise<Venue> {
  const nodes = [1, 2, 3, 4, 5].map((i) => ({ id: `n${i}`, at: [i, 5] as [number, number] }))
  const edges = [1, 2, 3, 4].map((i) => ({ id: `e${i}${i + 1}`, from: `n${i}`, to: `n${i + 1}` }))
  return testVenue({ navigation: { nodes, edges } })
}

export function edgeBetween(a: string, b: string): string {
  const [i, j] = [Number(a.slice(1)), Number(b.slice(1))].sort()
  return `e${i}${j}`
}

export interface Step {
  id: string
  released?: boolean
  actions?: Action[]
}

export const act = (actionType: string, actionId: string, blockingType: Action['blockingType'] = 'HARD', params: Record<string, string | number> = {}): Action => ({
  actionType,
  actionId,
  blockingType,
  actionParameters: Object.entries(params).map(([key, value]) => ({ key, value })),
})

let probeCounter = 0

/** Master control stand-in: sends orders and instant actions, records what the vehicle says. */
export class FleetProbe {
  readonly states: State[] = []
  readonly connections: Connection[] = []
  readonly factsheets: Factsheet[] = []
  visualizations = 0
  private readonly bus: Bus
  private readonly waiters = new Set<() => void>()
  private orderHeader = 0
  private instantHeader = 0

  constructor(url: string) {
    this.bus = new Bus({ url, username: 'fleet', password: password('fleet'), clientId: `fleet-probe-${process.pid}-${++probeCounter}`, reconnectPeriod_ms: 0 })
  }

  private get params() {
    return { interface: 'uagv', manufacturer: MANUFACTURER, serialNumber: SERIAL }
  }

  async start(): Promise<void> {
    const wake = () => {
      for (const w of [...this.waiters]) w()
    }
    await this.bus.subscribe('vdaState', this.params, (s) => {
      this.states.push(s)
      wake()
    })
    await this.bus.subscribe('vdaConnection', this.params, (c) => {
      this.connections.push(c)
      wake()
    })
    await this.bus.subscribe('vdaFactsheet', this.params, (f) => {
      this.factsheets.push(f)
      wake()
    })
    await this.bus.subscribe('vdaVisualization', this.params, () => {
      this.visualizations++
      wake()
    })
    await this.bus.start()
  }

  async stop(): Promise<void> {
    await this.bus.stop()
  }

  get latest(): State | undefined {
    return this.states[this.states.length - 1]
  }

  /** Wait until `check` returns something; fail with `what` after the timeout rather than hang. */
  waitFor<T>(check: () => T | undefined, what: string, timeout_ms = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const poll = (): void => {
        const v = check()
        if (v === undefined) return
        clearTimeout(timer)
        this.waiters.delete(poll)
        resolve(v)
      }
      const timer = setTimeout(() => {
        this.waiters.delete(poll)
        reject(new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(this.latest)}`))
      }, timeout_ms)
      this.waiters.add(poll)
      poll()
    })
  }

  /** The first state from index `since` on (default: the latest one on) that satisfies `pred`. */
  waitState(pred: (s: State) => boolean, what: string, since = Math.max(0, this.states.length - 1), timeout_ms = 5000): Promise<State> {
    return this.waitFor(() => this.states.slice(since).find(pred), what, timeout_ms)
  }

  buildOrder(orderId: string, orderUpdateId: number, steps: Step[], firstSeq = 0): Order {
    const nodes = steps.map((s, i) => ({ nodeId: s.id, sequenceId: firstSeq + 2 * i, released: s.released ?? true, actions: s.actions ?? [] }))
    const edges = steps.slice(1).map((s, i) => ({
      edgeId: edgeBetween(steps[i]!.id, s.id),
      sequenceId: firstSeq + 2 * i + 1,
      released: (steps[i]!.released ?? true) && (s.released ?? true),
      startNodeId: steps[i]!.id,
      endNodeId: s.id,
      actions: [],
    }))
    return { ...vdaHeader(MANUFACTURER, SERIAL, this.orderHeader++), orderId, orderUpdateId, nodes, edges }
  }

  async send(order: Order): Promise<void> {
    await this.bus.publish('vdaOrder', this.params, order)
  }

  async order(orderId: string, orderUpdateId: number, steps: Step[], firstSeq = 0): Promise<Order> {
    const o = this.buildOrder(orderId, orderUpdateId, steps, firstSeq)
    await this.send(o)
    return o
  }

  async instant(...actions: Action[]): Promise<void> {
    await this.bus.publish('vdaInstantActions', this.params, { ...vdaHeader(MANUFACTURER, SERIAL, this.instantHeader++), actions })
  }
}

export const actionState = (s: State, actionId: string) => s.actionStates.find((a) => a.actionId === actionId)
export const errorOf = (s: State, errorType: string) => s.errors.find((e) => e.errorType === errorType)
export const refs = (e: { errorReferences?: Array<{ referenceKey: string; referenceValue: string }> } | undefined): Record<string, string> =>
  Object.fromEntries((e?.errorReferences ?? []).map((r) => [r.referenceKey, r.referenceValue]))

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Start a vehicle (robot r1 on n1 unless told) and a probe, run `body`, stop both. Errors the vehicle
 * could not report (an invalid payload it built, a failed publish) fail the test.
 */
export async function withVehicle(
  venue: Venue,
  url: string,
  opts: Partial<SimVehicleOptions>,
  body: (v: SimVehicle, fleet: FleetProbe) => Promise<void>,
): Promise<void> {
  const errors: unknown[] = []
  const fleet = new FleetProbe(url)
  await fleet.start()
  const v = new SimVehicle({
    venue,
    robot: 'r1',
    url,
    username: 'robot-r1',
    password: password('robot-r1'),
    startNode: 'n1',
    speed: 10,
    tick_ms: 20,
    statePeriod_ms: 500,
    onError: (err) => errors.push(err),
    ...opts,
  })
  try {
    await v.start()
    await fleet.waitState(() => true, 'the first state', 0)
    await body(v, fleet)
  } finally {
    await v.stop()
    await fleet.stop()
  }
  if (errors.length > 0) throw new Error(`the vehicle hit errors: ${errors.map(String).join('; ')}`)
}
