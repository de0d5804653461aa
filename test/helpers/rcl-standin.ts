/**
 * An in-process stand-in of the rclnodejs subset in src/robots/ros2/rcl.ts, for tests (rclnodejs
 * itself needs a ROS 2 installation). It keeps rclnodejs's behaviour where the transport can notice:
 *
 * - init() once per context (a second init throws), Node needs init, shutdown() destroys every node;
 * - names resolve like ROS 2: relative topic and action names go under the node's namespace;
 * - nothing reaches a node (messages, goal responses, feedback, results) until spin(node), and
 *   spinning twice throws; delivery is asynchronous, never inside the caller's stack;
 * - a subscription hears a publisher only with the same topic and message type;
 * - an action client talks to the server with the same resolved name and action type; with no such
 *   server sendGoal() stays pending forever (as with a real action client), waitForServer() polls;
 * - sendGoal() resolves with a ClientGoalHandle whether the goal is accepted or not (`accepted`);
 *   feedback goes only to the callback of its goal; getResult() resolves with the Result message
 *   (not the status) once the goal ended, after setting `status`, which only moves forward and never
 *   leaves a final state (SUCCEEDED 4, CANCELED 5, ABORTED 6);
 * - cancelGoal() resolves with an action_msgs/srv/CancelGoal response: return_code 0 and the goal in
 *   goals_canceling when accepted (status CANCELING), 1 when the server rejects, 3 when the goal
 *   already ended.
 *
 * The test side scripts the servers: actionServer(name, type) gives a server whose goals the test
 * accepts or rejects (acceptGoals), answers (feedback / succeed / abort / canceled) and whose cancel
 * policy it sets (onCancel).
 */

import { randomBytes } from 'node:crypto'
import {
  GoalStatus,
  type ActionClient,
  type CancelGoalResponse,
  type ClientGoalHandle,
  type Node,
  type Options,
  type Rclnodejs,
  type Subscription,
} from '../../src/robots/ros2/rcl.js'

/** ROS 2 name resolution (rcl_expand_topic_name), enough for the names the transport uses. */
export function expandTopicName(name: string, nodeName: string, namespace: string): string {
  const ns = namespace === '' || namespace === '/' ? '' : namespace.replace(/\/$/, '')
  if (name.startsWith('/')) return name
  if (name.startsWith('~')) return `${ns}/${nodeName}${name.slice(1)}`
  return `${ns}/${name}`
}

const uuidMessage = (): { uuid: Uint8Array } => ({ uuid: new Uint8Array(randomBytes(16)) })
const later = (fn: () => void): void => {
  setImmediate(fn)
}

type CancelPolicy = 'accept' | 'reject' | 'accept-and-cancel'

/** One goal as the server sees it. */
export class StandinGoal {
  readonly goalId = uuidMessage()
  status: number = GoalStatus.STATUS_UNKNOWN
  result: unknown = undefined
  cancelRequested = false
  private readonly resultWaiters: Array<() => void> = []
  /** @internal set by the client side when the goal is accepted */
  feedbackSink: ((fb: unknown) => void) | null = null
  /** @internal the client's handle and node, once accepted */
  handle: StandinGoalHandle | null = null
  clientNode: StandinNode | null = null

  constructor(
    readonly server: StandinActionServer,
    readonly request: any,
  ) {}

  get ended(): boolean {
    return this.status >= GoalStatus.STATUS_SUCCEEDED
  }

  /** Server-side: starts executing (status EXECUTING). Feedback and results do this implicitly. */
  execute(): void {
    if (this.status === GoalStatus.STATUS_ACCEPTED) this.setStatus(GoalStatus.STATUS_EXECUTING)
  }

  publishFeedback(feedback: unknown): void {
    if (this.ended) throw new Error('goal already ended')
    this.execute()
    const sink = this.feedbackSink
    if (sink !== null && this.clientNode !== null) {
      const copy = structuredClone(feedback)
      this.server.owner.deliverTo(this.clientNode, () => sink(copy))
    }
  }

  succeed(result: unknown = this.server.emptyResult()): void {
    this.finish(GoalStatus.STATUS_SUCCEEDED, result)
  }

  abort(result: unknown = this.server.emptyResult()): void {
    this.finish(GoalStatus.STATUS_ABORTED, result)
  }

  /** Ends the goal as CANCELED; rcl allows it only after a cancel request was accepted. */
  canceled(result: unknown = this.server.emptyResult()): void {
    if (this.status !== GoalStatus.STATUS_CANCELING) throw new Error('canceled() needs an accepted cancel request (status CANCELING)')
    this.finish(GoalStatus.STATUS_CANCELED, result)
  }

  private finish(status: number, result: unknown): void {
    if (this.ended) throw new Error('goal already ended')
    this.execute()
    this.result = result
    this.setStatus(status)
    for (const w of this.resultWaiters.splice(0)) w()
  }

  /** @internal */
  setStatus(status: number): void {
    this.status = status
    const handle = this.handle
    if (handle !== null && this.clientNode !== null) this.server.owner.deliverTo(this.clientNode, () => handle.updateStatus(status))
  }

  /** @internal resolves once the goal ended. */
  whenEnded(fn: () => void): void {
    if (this.ended) fn()
    else this.resultWaiters.push(fn)
  }
}

/** A scripted action server (what Nav2 would run). */
export class StandinActionServer {
  readonly goals: StandinGoal[] = []
  /** Accept (true) or reject (false) each incoming goal. */
  acceptGoals: (request: any) => boolean = () => true
  /**
   * What a cancel request does: 'accept-and-cancel' (default; like Nav2, which stops and reports
   * CANCELED at once), 'accept' (status CANCELING; the test ends the goal with canceled()), 'reject'.
   */
  onCancel: CancelPolicy = 'accept-and-cancel'
  private readonly waiting: Array<(g: StandinGoal) => void> = []

  constructor(
    readonly owner: RclStandin,
    readonly name: string,
    readonly typeClass: string,
  ) {}

  /** The next goal received (accepted or not), or the earliest not yet taken. */
  nextGoal(): Promise<StandinGoal> {
    const taken = this.taken
    const g = this.goals[taken]
    if (g !== undefined) {
      this.taken++
      return Promise.resolve(g)
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }
  private taken = 0

  emptyResult(): unknown {
    if (this.typeClass === 'nav2_msgs/action/FollowWaypoints') return { missed_waypoints: [], error_code: 0, error_msg: '' }
    return { error_code: 0, error_msg: '' }
  }

  /** @internal */
  receive(request: any): StandinGoal {
    const goal = new StandinGoal(this, structuredClone(request))
    goal.status = this.acceptGoals(goal.request) ? GoalStatus.STATUS_ACCEPTED : GoalStatus.STATUS_UNKNOWN
    this.goals.push(goal)
    const w = this.waiting.shift()
    if (w !== undefined) {
      this.taken++
      w(goal)
    }
    return goal
  }
}

/** rclnodejs ClientGoalHandle. */
export class StandinGoalHandle implements ClientGoalHandle<unknown> {
  private _status: number

  constructor(
    private readonly client: StandinActionClient,
    readonly goal: StandinGoal,
    private readonly _accepted: boolean,
  ) {
    this._status = _accepted ? GoalStatus.STATUS_ACCEPTED : GoalStatus.STATUS_UNKNOWN
  }

  get goalId(): { uuid: Uint8Array } {
    return this.goal.goalId
  }
  get accepted(): boolean {
    return this.isAccepted()
  }
  isAccepted(): boolean {
    return this._accepted
  }
  isExecuting(): boolean {
    return this._status === GoalStatus.STATUS_EXECUTING
  }
  isCanceling(): boolean {
    return this._status === GoalStatus.STATUS_CANCELING
  }
  isSucceeded(): boolean {
    return this._status === GoalStatus.STATUS_SUCCEEDED
  }
  isCanceled(): boolean {
    return this._status === GoalStatus.STATUS_CANCELED
  }
  isAborted(): boolean {
    return this._status === GoalStatus.STATUS_ABORTED
  }
  get status(): number {
    return this._status
  }

  /** Like rclnodejs: forward only, and never out of a final state. */
  updateStatus(status: number): void {
    if (this._status < GoalStatus.STATUS_SUCCEEDED && status > this._status) this._status = status
  }

  cancelGoal(): Promise<CancelGoalResponse> {
    return this.client.cancel(this)
  }

  getResult(): Promise<unknown> {
    return this.client.result(this)
  }
}

/** rclnodejs ActionClient. */
export class StandinActionClient implements ActionClient<object, unknown, unknown> {
  readonly actionName: string
  destroyed = false

  constructor(
    readonly owner: RclStandin,
    readonly node: StandinNode,
    readonly typeClass: string,
    actionName: string,
  ) {
    this.actionName = expandTopicName(actionName, node.name(), node.namespace())
    node.actionClients.push(this)
  }

  private server(): StandinActionServer | undefined {
    const s = this.owner.servers.get(this.actionName)
    return s !== undefined && s.typeClass === this.typeClass && this.owner.serverUp(s) ? s : undefined
  }

  isActionServerAvailable(): boolean {
    return !this.destroyed && this.server() !== undefined
  }

  async waitForServer(timeout?: number): Promise<boolean> {
    const deadline = timeout === undefined || timeout < 0 ? Infinity : Date.now() + timeout
    let wait = 5
    while (!this.isActionServerAvailable() && Date.now() < deadline) {
      wait = Math.min(wait * 2, 1000, Math.max(1, deadline - Date.now()))
      await new Promise((r) => setTimeout(r, wait))
    }
    return this.isActionServerAvailable()
  }

  sendGoal(goal: object, feedbackCallback?: (feedbackMessage: unknown) => void): Promise<StandinGoalHandle> {
    this.check()
    const server = this.server()
    // No server: the request is never answered (rclnodejs's promise stays pending too).
    if (server === undefined) return new Promise(() => {})
    return new Promise((resolve) => {
      later(() => {
        const g = server.receive(goal)
        const accepted = g.status === GoalStatus.STATUS_ACCEPTED
        const handle = new StandinGoalHandle(this, g, accepted)
        if (accepted) {
          if (feedbackCallback !== undefined) {
            g.feedbackSink = (fb) => {
              if (!this.destroyed) feedbackCallback(fb)
            }
          }
          g.handle = handle
          g.clientNode = this.node
        }
        this.owner.deliverTo(this.node, () => resolve(handle))
      })
    })
  }

  /** @internal */
  cancel(handle: StandinGoalHandle): Promise<CancelGoalResponse> {
    this.check()
    const g = handle.goal
    const server = g.server
    return new Promise((resolve) => {
      later(() => {
        let response: CancelGoalResponse
        if (!handle.accepted) response = { return_code: 2, goals_canceling: [] }
        else if (g.ended) response = { return_code: 3, goals_canceling: [] }
        else if (server.onCancel === 'reject') response = { return_code: 1, goals_canceling: [] }
        else {
          g.cancelRequested = true
          if (g.status !== GoalStatus.STATUS_CANCELING) g.setStatus(GoalStatus.STATUS_CANCELING)
          response = { return_code: 0, goals_canceling: [{ goal_id: g.goalId, stamp: { sec: 0, nanosec: 0 } }] }
        }
        this.owner.deliverTo(this.node, () => resolve(response))
        if (response.return_code === 0 && server.onCancel === 'accept-and-cancel') later(() => g.canceled())
      })
    })
  }

  /** @internal */
  result(handle: StandinGoalHandle): Promise<unknown> {
    this.check()
    return new Promise((resolve) => {
      handle.goal.whenEnded(() =>
        this.owner.deliverTo(this.node, () => {
          handle.updateStatus(handle.goal.status)
          resolve(structuredClone(handle.goal.result))
        }),
      )
    })
  }

  destroy(): void {
    this.destroyed = true
  }

  private check(): void {
    if (this.destroyed || this.node.destroyed) throw new Error('action client is destroyed')
  }
}

interface StandinSubscription extends Subscription {
  readonly typeClass: string
  readonly node: StandinNode
  readonly callback: (message: unknown) => void
  readonly options: Options
}

/** rclnodejs Node. */
export class StandinNode implements Node {
  destroyed = false
  spinning = false
  readonly subscriptions: StandinSubscription[] = []
  readonly actionClients: StandinActionClient[] = []
  /** @internal events waiting for spin() */
  readonly pending: Array<() => void> = []

  constructor(
    readonly owner: RclStandin,
    private readonly nodeName: string,
    private readonly nodeNamespace: string,
  ) {
    if (!owner.initialized) throw new Error('rclnodejs.init() must be called before creating a Node')
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(nodeName)) throw new Error(`invalid node name "${nodeName}"`)
    if (nodeNamespace !== '' && !nodeNamespace.startsWith('/')) throw new Error(`invalid namespace "${nodeNamespace}"`)
    owner.nodes.push(this)
  }

  name(): string {
    return this.nodeName
  }

  namespace(): string {
    return this.nodeNamespace === '' ? '/' : this.nodeNamespace
  }

  createSubscription(typeClass: string, topic: string, options: Options, callback: (message: any) => void): Subscription {
    if (this.destroyed) throw new Error('node is destroyed')
    if (typeof callback !== 'function') throw new TypeError('Invalid argument: callback')
    const sub: StandinSubscription = {
      topic: expandTopicName(topic, this.nodeName, this.namespace()),
      typeClass,
      node: this,
      callback,
      options,
    }
    this.subscriptions.push(sub)
    return sub
  }

  destroy(): void {
    this.destroyed = true
    this.spinning = false
    this.pending.length = 0
    for (const c of this.actionClients) c.destroy()
    this.subscriptions.length = 0
  }
}

/** The stand-in module, plus the test's side of the ROS graph (servers, publishers). */
export class RclStandin implements Rclnodejs {
  initialized = false
  private shut = false
  readonly nodes: StandinNode[] = []
  readonly servers = new Map<string, StandinActionServer>()
  private readonly down = new Set<StandinActionServer>()
  initCalls = 0
  shutdownCalls = 0

  readonly Node: new (nodeName: string, namespace?: string) => StandinNode
  readonly ActionClient: new (node: Node, typeClass: string, actionName: string) => StandinActionClient

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const standin = this
    this.Node = class extends StandinNode {
      constructor(nodeName: string, namespace = '') {
        super(standin, nodeName, namespace)
      }
    }
    this.ActionClient = class extends StandinActionClient {
      constructor(node: Node, typeClass: string, actionName: string) {
        if (!(node instanceof StandinNode)) throw new TypeError('Invalid argument: node')
        super(standin, node, typeClass, actionName)
      }
    }
  }

  async init(): Promise<void> {
    if (this.initialized) throw new Error('The context has already been initialized.')
    this.initCalls++
    this.initialized = true
    this.shut = false
  }

  isShutdown(): boolean {
    return this.shut
  }

  spin(node: Node, _timeout?: number): void {
    if (!(node instanceof StandinNode)) throw new TypeError('Invalid argument: node')
    if (node.destroyed) throw new Error('node is destroyed')
    if (node.spinning) throw new Error('The node is already spinning.')
    node.spinning = true
    for (const fn of node.pending.splice(0)) later(fn)
  }

  shutdown(): void {
    this.shutdownCalls++
    for (const n of this.nodes) n.destroy()
    this.nodes.length = 0
    this.initialized = false
    this.shut = true
  }

  // ---------------------------------------------------------------- the test's side

  /** A server for an absolute action name, e.g. '/r3/follow_waypoints'. */
  actionServer(name: string, typeClass: string): StandinActionServer {
    if (!name.startsWith('/')) throw new Error('give the server an absolute name')
    const s = new StandinActionServer(this, name, typeClass)
    this.servers.set(name, s)
    return s
  }

  /** Takes a server off the graph (or puts it back). */
  setServerUp(s: StandinActionServer, up: boolean): void {
    if (up) this.down.delete(s)
    else this.down.add(s)
  }

  /** @internal */
  serverUp(s: StandinActionServer): boolean {
    return !this.down.has(s)
  }

  /** A publisher on an absolute topic. */
  publisher(typeClass: string, topic: string): { publish(message: unknown): void } {
    if (!topic.startsWith('/')) throw new Error('give the publisher an absolute topic')
    return {
      publish: (message: unknown) => {
        for (const node of this.nodes) {
          for (const sub of node.subscriptions) {
            if (sub.topic !== topic || sub.typeClass !== typeClass) continue
            const copy = structuredClone(message)
            this.deliverTo(node, () => sub.callback(copy))
          }
        }
      },
    }
  }

  /** Whether a subscription exists on this topic with this type. */
  subscribed(typeClass: string, topic: string): boolean {
    return this.nodes.some((n) => n.subscriptions.some((s) => s.topic === topic && s.typeClass === typeClass))
  }

  /** @internal runs `fn` on the node's executor: asynchronously, once it spins, never after destroy. */
  deliverTo(node: StandinNode, fn: () => void): void {
    const guarded = (): void => {
      if (!node.destroyed) fn()
    }
    if (node.destroyed) return
    if (node.spinning) later(guarded)
    else node.pending.push(guarded)
  }
}
