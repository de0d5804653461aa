/**
 * Guard duty: the guard robot stands at its post by the check-in gate; each expert the check-in desk
 * admits is guided to their room, one after another, and the robot returns to its post. The room is
 * told to the expert on the robot's own screen, never on the bus: mission state says only that an
 * expert is being guided. Refused check-ins are recorded and shown as the mission's step; the alert
 * itself comes from the monitor's rules (spoof_attempt, unknown people past the gate).
 */
import type { Verdict } from './checkin.js'
import type { RobotDriver } from './driver.js'
import type { Mission, Trip } from './missions.js'
import type { Places } from './places.js'

export interface GuardHooks {
  /** The mission changed (publish it). */
  changed(m: Mission): void
  /** The robot's trip failed: hand the mission back for another guard. */
  failed(robot: string, reason: string): void
  record(kind: 'checkin.admitted' | 'checkin.refused', detail: Record<string, string>): void
  /** Whether the robot may start another guidance (not when it must go and charge). */
  mayGuide(robot: string): boolean
}

export class GuardDuty {
  private readonly queue: Array<Extract<Verdict, { kind: 'admit' }>> = []
  private onDuty: { m: Mission; driver: RobotDriver; post: string } | undefined

  constructor(
    private readonly places: Places,
    private readonly hooks: GuardHooks,
  ) {}

  /** A guard robot reached its post: it is on duty for the mission. */
  take(m: Mission, driver: RobotDriver, post: string): void {
    this.onDuty = { m, driver, post }
    this.standing()
    this.next()
  }

  /** The mission ended or its robot went away. */
  release(m: Mission): void {
    if (this.onDuty?.m === m) this.onDuty = undefined
  }

  robotOnDuty(): string | undefined {
    return this.onDuty?.driver.robot.id
  }

  verdict(v: Verdict): void {
    if (v.kind === 'refuse') {
      this.hooks.record('checkin.refused', { camera: v.camera, reason: v.reason, subject: v.subject })
      if (this.onDuty !== undefined) {
        this.onDuty.m.step = `check-in refused at ${v.camera}: ${v.reason}`
        this.hooks.changed(this.onDuty.m)
      }
      return
    }
    this.hooks.record('checkin.admitted', { camera: v.camera, subject: v.subject })
    this.queue.push(v)
    this.next()
  }

  private standing(): void {
    const d = this.onDuty
    if (d === undefined) return
    d.m.state = 'running'
    d.m.step = `standing guard at ${d.post}`
    this.hooks.changed(d.m)
  }

  private next(): void {
    const d = this.onDuty
    if (d === undefined || d.driver.busy) return
    // a guard low on battery guides nobody more: standing idle, the fleet relieves it to charge, and
    // the queue waits for the next guard on duty
    if (!this.hooks.mayGuide(d.driver.robot.id)) return
    const v = this.queue.shift()
    if (v === undefined) return
    const room = this.places.nodeIn(v.room)
    if (room === null) {
      d.m.step = `cannot guide: no navigation node in the expert's room`
      this.hooks.changed(d.m)
      return
    }
    const trip: Trip = {
      stops: [
        { node: room, label: 'guiding a checked-in expert to their room', actions: [] },
        { node: d.post, label: 'returning to the check-in post', actions: [] },
      ],
      rooms: [],
    }
    d.driver.start(trip, {
      onStop: (stop) => {
        d.m.step = stop.label
        this.hooks.changed(d.m)
      },
      onAction: () => undefined,
      onStopDone: () => undefined,
      onTripDone: () => {
        this.standing()
        this.next()
      },
      onTripFailed: (reason) => {
        this.queue.unshift(v)
        this.onDuty = undefined
        this.hooks.failed(d.driver.robot.id, reason)
      },
    })
  }
}
