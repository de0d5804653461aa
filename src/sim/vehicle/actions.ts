// Action bookkeeping of the simulated vehicle: actionStates (VDA 5050 6.11) and the execution of
// node actions in list order under their blocking types (6.12).
import type { Action, ActionState, ActionStatus } from '../../contract/vda5050/index.js'

export interface Tracked {
  action: Action
  scope: 'NODE' | 'INSTANT'
  status: ActionStatus
  result: string | undefined
  /** Sim seconds left of a timed action (pick, drop). */
  left_s: number
}

/** What running a node action does to the vehicle. A string result of `start` is a failure reason. */
export interface ActionEffects {
  startCharging(): string | undefined
  stopCharging(): void
  /** Sim seconds a pick or drop takes. */
  pickDrop_s: number
  pick(params: Record<string, unknown>): void
  drop(params: Record<string, unknown>): void
}

const DONE: ReadonlySet<ActionStatus> = new Set(['FINISHED', 'FAILED'])
export const isDone = (t: Tracked): boolean => DONE.has(t.status)

export function paramsOf(a: Action): Record<string, unknown> {
  return Object.fromEntries((a.actionParameters ?? []).map((p) => [p.key, p.value]))
}

export class ActionBook {
  /** Every action of the current order and every instant action since it, in arrival order (6.10.6 actionStates). */
  private readonly all = new Map<string, Tracked>()
  /** Node actions triggered (their node reached) and not yet done, in order. */
  private triggered: Tracked[] = []

  states(): ActionState[] {
    return [...this.all.values()].map((t) => {
      const s: ActionState = { actionId: t.action.actionId, actionType: t.action.actionType, actionStatus: t.status }
      if (t.action.actionDescription !== undefined) s.actionDescription = t.action.actionDescription
      if (t.result !== undefined) s.resultDescription = t.result
      return s
    })
  }

  get(actionId: string): Tracked | undefined {
    return this.all.get(actionId)
  }

  /** A new order: states are kept until then, except those of instant actions still running (6.10.6). */
  newOrder(): void {
    for (const [id, t] of this.all) if (t.scope === 'NODE' || isDone(t)) this.all.delete(id)
    this.triggered = []
  }

  /** An order action is known from the moment its node is released: WAITING until the node is reached (6.11). */
  addNodeAction(action: Action): void {
    if (!this.all.has(action.actionId)) this.all.set(action.actionId, { action, scope: 'NODE', status: 'WAITING', result: undefined, left_s: 0 })
  }

  addInstant(action: Action): Tracked | undefined {
    if (this.all.has(action.actionId)) return undefined // resent: already known
    const t: Tracked = { action, scope: 'INSTANT', status: 'WAITING', result: undefined, left_s: 0 }
    this.all.set(action.actionId, t)
    return t
  }

  /** 6.10.2: once a node counts as traversed its actions are triggered. */
  trigger(actions: readonly Action[]): void {
    for (const a of actions) {
      const t = this.all.get(a.actionId)
      if (t !== undefined && t.status === 'WAITING') this.triggered.push(t)
    }
  }

  /** Order actions still to end (Figure 8 step 3). */
  orderBusy(): boolean {
    for (const t of this.all.values()) if (t.scope === 'NODE' && !isDone(t)) return true
    return false
  }

  /** 6.12: SOFT and HARD actions stop the vehicle until they end; NONE ones run while it drives. */
  blocksDriving(): boolean {
    return this.triggered.some((t) => !isDone(t) && t.action.blockingType !== 'NONE')
  }

  /** 6.6.3: scheduled and running order actions are cancelled and reported FAILED. */
  failOrderActions(reason: string): void {
    for (const t of this.all.values()) {
      if (t.scope === 'NODE' && !isDone(t)) {
        t.status = 'FAILED'
        t.result = reason
      }
    }
    this.triggered = []
  }

  /** The waitForTrigger actions running now (a button someone may press), with their parameters. */
  awaitingTrigger(): Array<{ actionId: string; parameters: Record<string, unknown> }> {
    return [...this.all.values()].filter((t) => t.action.actionType === 'waitForTrigger' && t.status === 'RUNNING').map((t) => ({ actionId: t.action.actionId, parameters: paramsOf(t.action) }))
  }

  /** The recipient pressed the button: a running waitForTrigger ends FINISHED with the result text. */
  fireTrigger(actionId: string, result: string | undefined): boolean {
    const t = this.all.get(actionId)
    if (t === undefined || t.action.actionType !== 'waitForTrigger' || t.status !== 'RUNNING') return false
    t.status = 'FINISHED'
    t.result = result ?? 'triggered'
    return true
  }

  /**
   * Advance the triggered node actions by `dt_s` sim seconds. In list order: a HARD action starts only
   * when every earlier one ended and holds back the later ones; SOFT and NONE start together (6.12).
   * Returns whether any actionStatus changed.
   */
  step(dt_s: number, paused: boolean, fx: ActionEffects): boolean {
    let changed = false
    const set = (t: Tracked, status: ActionStatus, result?: string): void => {
      if (t.status === status && result === undefined) return
      t.status = status
      if (result !== undefined) t.result = result
      changed = true
    }
    let earlierOpen = false
    for (const t of this.triggered) {
      if (isDone(t)) continue
      const hard = t.action.blockingType === 'HARD'
      if (t.status === 'WAITING') {
        if (hard && earlierOpen) break
        this.start(t, fx, set)
      } else if (t.status === 'RUNNING' || t.status === 'PAUSED') {
        const timed = t.action.actionType === 'pick' || t.action.actionType === 'drop'
        // 6.8.2: pick and drop pause with the vehicle; waitForTrigger has no paused state
        if (timed && paused) set(t, 'PAUSED')
        else if (timed) {
          if (t.status === 'PAUSED') set(t, 'RUNNING')
          t.left_s -= dt_s
          if (t.left_s <= 0) {
            const p = paramsOf(t.action)
            if (t.action.actionType === 'pick') fx.pick(p)
            else fx.drop(p)
            set(t, 'FINISHED', `${t.action.actionType} done`)
          }
        }
      }
      if (!isDone(t)) {
        earlierOpen = true
        if (hard) break
      }
    }
    this.triggered = this.triggered.filter((t) => !isDone(t))
    return changed
  }

  private start(t: Tracked, fx: ActionEffects, set: (t: Tracked, s: ActionStatus, r?: string) => void): void {
    switch (t.action.actionType) {
      case 'waitForTrigger':
        set(t, 'RUNNING') // 6.8.2: running = "AGV is waiting for the trigger"
        break
      case 'pick':
      case 'drop':
        t.left_s = fx.pickDrop_s
        set(t, 'RUNNING')
        break
      case 'startCharging': {
        const failure = fx.startCharging()
        set(t, failure === undefined ? 'FINISHED' : 'FAILED', failure ?? 'charging')
        break
      }
      case 'stopCharging':
        fx.stopCharging()
        set(t, 'FINISHED', 'not charging')
        break
      default:
        set(t, 'FAILED', `unsupported action type ${t.action.actionType}`)
    }
  }
}
