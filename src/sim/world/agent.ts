/**
 * One walker: a behaviour (a generator of actions) and the motion it is in. Advancing to a sim time
 * replays every action ending before it, so positions depend only on the seed and the times asked.
 */
import type { PersonKind, SimPerson } from './types.js'
import type { XY } from './plan.js'
import type { Rng } from '../../shared/random.js'

export type Action =
  /** Walk the polyline (starting where the agent stands) at the agent's speed, or `speed` m/s. */
  | { kind: 'walk'; path: XY[]; speed?: number }
  /** Stand still until a sim time. */
  | { kind: 'stand'; until: number }
  /** Out of the venue (present false) until a sim time. */
  | { kind: 'hide'; until: number }
  /** Step in from outside at a point (present true). */
  | { kind: 'appear'; at: XY }
  /** Step out of the venue (present false). */
  | { kind: 'vanish' }

export type Behaviour = Generator<Action, void, void>

export class Agent {
  x = 0
  y = 0
  heading = 0
  present = false
  spoof = false
  /** What the agent is doing, for tests and the scenario runner. */
  activity = 'idle'
  /** Sim time the behaviour resumed at (end of the previous action). */
  now: number
  /** Left for the day: comes back no more. */
  left = false

  private gen: Behaviour | null = null
  private endT = -Infinity
  private walking = false
  private pts: XY[] = []
  private cum: number[] = []
  private seg = 0
  private t0 = 0
  private v = 1
  // zone cache for people()
  private zx = NaN
  private zy = NaN
  private z: string | null = null

  constructor(
    readonly id: string,
    readonly kind: PersonKind,
    public subject: string | null,
    readonly speed: number,
    readonly rng: Rng,
    start_ms: number,
  ) {
    this.now = start_ms
  }

  get pos(): XY {
    return [this.x, this.y]
  }

  place(p: XY, present = true): void {
    this.x = p[0]
    this.y = p[1]
    this.present = present
  }

  /** Start a behaviour at sim time t (the agent must already stand where it is at t). */
  run(gen: Behaviour, t: number): void {
    if (this.walking) this.interpolate(t)
    this.walking = false
    const old = this.gen
    this.gen = gen
    old?.return() // lets the old behaviour release what it holds (finally blocks)
    this.now = t
    this.endT = t
    this.advance(t)
  }

  /** Replay every action ending at or before t, then interpolate a walk in progress. */
  advance(t: number): void {
    let guard = 0
    while (this.endT <= t && this.gen !== null) {
      if (this.walking) this.finishWalk()
      this.now = this.endT
      const next = this.gen.next()
      if (next.done) {
        this.gen = null
        this.endT = Infinity
        break
      }
      this.start(next.value)
      if (++guard > 10_000) throw new Error(`agent ${this.id}: behaviour does not let time pass`)
    }
    if (this.walking) this.interpolate(t)
  }

  private start(a: Action): void {
    switch (a.kind) {
      case 'stand':
        this.endT = Math.max(this.now, a.until)
        return
      case 'hide':
        this.present = false
        this.endT = Math.max(this.now, a.until)
        return
      case 'appear':
        this.place(a.at, true)
        this.endT = this.now
        return
      case 'vanish':
        this.present = false
        this.endT = this.now
        return
      case 'walk': {
        const pts: XY[] = [[this.x, this.y], ...a.path]
        const cum = [0]
        for (let i = 1; i < pts.length; i++) cum.push(cum[i - 1]! + Math.hypot(pts[i]![0] - pts[i - 1]![0], pts[i]![1] - pts[i - 1]![1]))
        this.pts = pts
        this.cum = cum
        this.seg = 0
        this.t0 = this.now
        this.v = a.speed ?? this.speed
        this.walking = true
        this.endT = this.now + (cum[cum.length - 1]! / this.v) * 1000
        return
      }
    }
  }

  private finishWalk(): void {
    const last = this.pts[this.pts.length - 1]!
    const n = this.pts.length
    if (n >= 2) this.face(this.pts[n - 2]!, last)
    this.x = last[0]
    this.y = last[1]
    this.walking = false
  }

  private interpolate(t: number): void {
    const d = (Math.max(0, t - this.t0) / 1000) * this.v
    const cum = this.cum
    while (this.seg < cum.length - 2 && cum[this.seg + 1]! < d) this.seg++
    const a = this.pts[this.seg]!
    const b = this.pts[this.seg + 1] ?? a
    const l = cum[this.seg + 1]! - cum[this.seg]!
    const u = l > 0 ? Math.min(1, (d - cum[this.seg]!) / l) : 1
    this.x = a[0] + (b[0] - a[0]) * u
    this.y = a[1] + (b[1] - a[1]) * u
    this.face(a, b)
  }

  private face(a: XY, b: XY): void {
    if (a[0] !== b[0] || a[1] !== b[1]) this.heading = Math.atan2(b[1] - a[1], b[0] - a[0])
  }

  /** The agent as the cameras see it; zoneAt is asked only when the agent moved. */
  person(zoneAt: (p: XY) => string | null): SimPerson {
    if (this.x !== this.zx || this.y !== this.zy) {
      this.zx = this.x
      this.zy = this.y
      this.z = zoneAt([this.x, this.y])
    }
    return {
      id: this.id,
      kind: this.kind,
      subject: this.subject,
      floor: [this.x, this.y],
      zone: this.z,
      heading: this.heading,
      spoof: this.spoof,
      present: this.present,
    }
  }
}
