/**
 * Camera health from the frames themselves plus the source's own state. Pure: no timers, no clock;
 * the caller passes `now` (epoch ms) with every observation, so tests drive it with synthetic frames.
 *
 * States, most important first:
 * - offline / stalled: straight from the source (it has already debounced them);
 * - dark: mean grey below `dark.mean` with little spread, for `dark.enter_ms`;
 * - tampered: most of the view no longer agrees with a slowly learned reference of the scene (turned,
 *   covered, painted), or sharpness collapsed against its running median (defocused, smeared), for
 *   `enter_ms`; a view that stays changed for `relearn_ms` becomes the new reference;
 * - frozen: frames flow but the picture stays within `frozen.eps` grey levels of where it was, and
 *   most frames repeat the previous one exactly, for `frozen.enter_ms`. Thumbnails are single
 *   pixels, so a live still scene keeps some sensor noise in every frame, while a frozen encoder
 *   sends skip frames that decode to the same picture (changing a little only at keyframes). An
 *   empty room from a camera whose noise reduction and encoder erase all noise is indistinguishable
 *   from a frozen one: there, set `frozen.eps` lower or leave frozen out of the camera's rule;
 * - online otherwise.
 * Each condition has its own enter and exit thresholds and dwell times (see latch.ts), and while a
 * picture is dark the view, focus and stillness tests hold their state (lights off is not tampering).
 */
import type { Frame, SourceStatus } from '../types.js'
import type { HealthMonitor, HealthReport } from '../health-port.js'
import { Latch } from './latch.js'
import { agreement, meanAbsDiff, Thumbnailer, type RgbImage, type Sample } from './thumbnail.js'
import { median } from '../../shared/stats.js'

export interface HealthOptions {
  cols: number
  rows: number
  /**
   * eps: mean grey difference from the start of the still period; repeat_share: share of frames in
   * that period that repeat the previous one exactly (a frozen encoder sends skip frames, a quiet live
   * camera still leaks some noise into each frame); 0 turns that second test off.
   */
  frozen: { eps: number; exit_eps: number; repeat_share: number; enter_ms: number; exit_ms: number }
  dark: { mean: number; std: number; exit_mean: number; exit_std: number; enter_ms: number; exit_ms: number }
  view: { agree: number; exit_agree: number; enter_ms: number; exit_ms: number; reference_tau_ms: number; relearn_ms: number }
  focus: { ratio: number; exit_ratio: number; enter_ms: number; exit_ms: number; window: number; every_ms: number; min_samples: number }
  /** A frame this long after the previous one restarts the stillness clock (the source reconnected). */
  gap_ms: number
}

export const DEFAULT_HEALTH: HealthOptions = {
  cols: 64,
  rows: 36,
  frozen: { eps: 0.5, exit_eps: 1.5, repeat_share: 0.5, enter_ms: 2000, exit_ms: 400 },
  dark: { mean: 30, std: 12, exit_mean: 40, exit_std: 18, enter_ms: 1000, exit_ms: 1000 },
  view: { agree: 0.45, exit_agree: 0.65, enter_ms: 2000, exit_ms: 1000, reference_tau_ms: 60_000, relearn_ms: 600_000 },
  focus: { ratio: 0.4, exit_ratio: 0.6, enter_ms: 2000, exit_ms: 1000, window: 31, every_ms: 1000, min_samples: 5 },
  gap_ms: 1500,
}

/** Last measures, for logs, benches and tests. */
export interface HealthMeasures {
  mean: number
  std: number
  sharpness: number
  /** Median sharpness of the recent past (NaN until enough samples). */
  sharpnessMedian: number
  /** Share of the view that agrees with the learned scene, 0..1 (see thumbnail.ts agreement). */
  agree: number
  /** Mean grey difference from the start of the current still period. */
  still: number
  /** Share of the still period's frames that repeat the previous frame (thumbnail difference < 0.02). */
  repeats: number
}

interface Flags {
  frozenEnter: boolean
  frozenExit: boolean
  darkEnter: boolean
  darkExit: boolean
  viewEnter: boolean
  viewExit: boolean
  focusEnter: boolean
  focusExit: boolean
  dark: boolean
}

export class CameraHealth implements HealthMonitor {
  private readonly o: HealthOptions
  private readonly thumbs: Thumbnailer
  private readonly frozen: Latch
  private readonly dark: Latch
  private readonly view: Latch
  private readonly focus: Latch
  private report: HealthReport
  private readonly listeners: Array<(r: HealthReport) => void> = []
  private source: SourceStatus | undefined
  private lastFrameAt: number | undefined
  private stillRef: Float32Array | undefined
  private reference: Float32Array | undefined
  private learned_ms = 0
  private sharpness: number[] = []
  private sharpnessAt = -Infinity
  /** A frame has been seen since the source last reported a state. */
  private fresh = false
  /** The current thumbnail, reused frame after frame, and the previous one. */
  private readonly grey: Float32Array
  private readonly prevGrey: Float32Array
  private still = { frames: 0, repeats: 0 }
  private m: HealthMeasures = { mean: NaN, std: NaN, sharpness: NaN, sharpnessMedian: NaN, agree: NaN, still: NaN, repeats: NaN }

  constructor(now: number, opts: Partial<HealthOptions> = {}) {
    this.o = { ...DEFAULT_HEALTH, ...opts }
    this.thumbs = new Thumbnailer(this.o.cols, this.o.rows)
    this.grey = new Float32Array(this.o.cols * this.o.rows)
    this.prevGrey = new Float32Array(this.o.cols * this.o.rows)
    this.frozen = new Latch(this.o.frozen.enter_ms, this.o.frozen.exit_ms)
    this.dark = new Latch(this.o.dark.enter_ms, this.o.dark.exit_ms)
    this.view = new Latch(this.o.view.enter_ms, this.o.view.exit_ms)
    this.focus = new Latch(this.o.focus.enter_ms, this.o.focus.exit_ms)
    this.report = { state: 'offline', since: now, detail: 'no frame yet' }
  }

  current(): HealthReport {
    return { ...this.report }
  }

  measures(): HealthMeasures {
    return { ...this.m }
  }

  onChange(listener: (report: HealthReport) => void): void {
    this.listeners.push(listener)
  }

  observeSource(status: SourceStatus, now: number): void {
    this.source = status
    this.fresh = false
    this.decide(now)
  }

  observeFrame(frame: Frame | RgbImage, now: number): void {
    const s = this.thumbs.sample(frame, this.grey)
    const dt = this.lastFrameAt === undefined ? 0 : Math.max(0, now - this.lastFrameAt)
    const resumed = this.lastFrameAt === undefined || dt >= this.o.gap_ms
    this.lastFrameAt = now
    this.fresh = true
    // a frame is proof the source streams, whatever status event is still on its way
    if (this.source === undefined || this.source.state !== 'streaming') this.source = { state: 'streaming', since: now }
    const flags = this.measure(s, Math.min(dt, this.o.gap_ms), resumed)
    if (resumed) {
      // back after a gap: frozen needs frames flowing, so it starts over; a condition the picture
      // already clears is dropped now rather than shown for its exit time after "offline"
      this.frozen.reset()
      if (flags.darkExit) this.dark.reset()
      if (flags.viewExit) this.view.reset()
      if (flags.focusExit) this.focus.reset()
    }
    this.apply(now, flags)
  }

  /**
   * Nothing to do between frames: picture states change only on evidence (a frame), and a stream that
   * stops is the source's to report (stalled), not a picture state to extrapolate into.
   */
  tick(_now: number): void {}

  /** An operator confirms the present view is the scene (the camera was moved on purpose). */
  relearn(): void {
    this.reference = undefined
    this.learned_ms = 0
    this.sharpness = []
    this.view.reset()
    this.focus.reset()
  }

  private measure(s: Sample, dt: number, resumed: boolean): Flags {
    const { frozen: fo, dark: dko, view: vo, focus: fco } = this.o
    const m = this.m
    m.mean = s.mean
    m.std = s.std
    m.sharpness = s.sharpness
    const darkEnter = s.mean < dko.mean && s.std < dko.std
    const darkExit = s.mean > dko.exit_mean || s.std > dko.exit_std
    const dark = darkEnter || (this.dark.active && !darkExit)

    // stillness against the picture at the start of the still period, not the previous frame, so a
    // slow drift adds up and ends it; frozen keeps that picture until the view really moves again
    const repeat = !resumed && meanAbsDiff(s.grey, this.prevGrey) < 0.02
    this.prevGrey.set(s.grey)
    if (dark || resumed || this.stillRef === undefined) this.restill(s.grey)
    m.still = meanAbsDiff(s.grey, this.stillRef!)
    this.still.frames++
    if (repeat) this.still.repeats++
    m.repeats = this.still.repeats / this.still.frames
    const frozenEnter = !dark && m.still <= fo.eps && m.repeats >= fo.repeat_share
    const frozenExit = m.still > fo.exit_eps
    if (!this.frozen.active && m.still > fo.eps) this.restill(s.grey)

    // view against the learned scene: a running mean over the first reference_tau_ms, then a slow
    // exponential average; it learns only while the view matches, so a tamper never becomes the scene
    this.reference ??= Float32Array.from(s.grey)
    m.agree = agreement(s.grey, this.reference)
    const viewEnter = m.agree < vo.agree
    const viewExit = m.agree > vo.exit_agree
    if (!dark && !viewEnter && !this.view.active) {
      this.learned_ms += dt
      const a = dt <= 0 ? 0 : dt / Math.max(dt, Math.min(vo.reference_tau_ms, this.learned_ms))
      const ref = this.reference
      for (let i = 0; i < ref.length; i++) ref[i]! += a * (s.grey[i]! - ref[i]!)
    }

    // focus against the running median of sharpness, sampled about once a second while the view is sound
    m.sharpnessMedian = this.sharpness.length >= fco.min_samples ? median(this.sharpness) : NaN
    const known = !Number.isNaN(m.sharpnessMedian)
    const focusEnter = known && s.sharpness < fco.ratio * m.sharpnessMedian
    const focusExit = !known || s.sharpness > fco.exit_ratio * m.sharpnessMedian
    const now = this.lastFrameAt ?? 0
    if (!dark && !focusEnter && !this.focus.active && !viewEnter && !this.view.active && now - this.sharpnessAt >= fco.every_ms) {
      this.sharpnessAt = now
      this.sharpness.push(s.sharpness)
      if (this.sharpness.length > fco.window) this.sharpness.shift()
    }
    return { frozenEnter, frozenExit, darkEnter, darkExit, viewEnter, viewExit, focusEnter, focusExit, dark }
  }

  /** A new still period starts at this picture. */
  private restill(grey: Float32Array): void {
    if (this.stillRef === undefined) this.stillRef = Float32Array.from(grey)
    else this.stillRef.set(grey)
    this.still = { frames: 0, repeats: 0 }
  }

  private apply(now: number, f: Flags): void {
    this.dark.update(now, f.darkEnter, f.darkExit)
    if (this.dark.active) {
      // dark wins; stillness starts over afterwards; view and focus keep what they had
      this.frozen.reset()
    } else if (!f.dark) {
      // (while dark is only pending, everything else holds: no flash of "online" on the way to dark)
      this.frozen.update(now, f.frozenEnter, f.frozenExit)
      this.view.update(now, f.viewEnter, f.viewExit)
      this.focus.update(now, f.focusEnter, f.focusExit)
      if (this.view.active && now - this.view.onSince >= this.o.view.relearn_ms) this.relearn()
    }
    this.decide(now)
  }

  private pictureReport(): Omit<HealthReport, 'since'> {
    const m = this.m
    const g = (v: number): string => v.toFixed(1)
    if (this.dark.active) return { state: 'dark', detail: `mean grey ${g(m.mean)} (dark below ${this.o.dark.mean}), spread ${g(m.std)}` }
    if (this.view.active) {
      const detail = m.std < 4 ? `view covered: uniform picture (spread ${g(m.std)})` : `view differs from the learned scene (${Math.round(100 * m.agree)}% agrees)`
      return { state: 'tampered', detail }
    }
    if (this.focus.active) {
      const pct = Math.round((100 * m.sharpness) / m.sharpnessMedian)
      return { state: 'tampered', detail: `out of focus: sharpness ${pct}% of its recent median` }
    }
    if (this.frozen.active) return { state: 'frozen', detail: `picture unchanged while frames flow (mean difference ${m.still.toFixed(2)} grey levels)` }
    return { state: 'online' }
  }

  private decide(now: number): void {
    const src = this.source
    let next: HealthReport
    if (src === undefined || src.state === 'connecting') return
    if (src.state === 'stalled' || src.state === 'offline' || src.state === 'stopped') {
      const detail = src.state === 'stopped' ? 'source stopped' : src.detail
      next = { state: src.state === 'stalled' ? 'stalled' : 'offline', since: src.since, ...(detail !== undefined ? { detail } : {}) }
    } else {
      if (!this.fresh) return
      next = { ...this.pictureReport(), since: now }
    }
    if (next.state === this.report.state) {
      // same state, fresher words (no event: listeners hear state changes)
      if (next.detail !== undefined) this.report.detail = next.detail
      return
    }
    this.report = next
    for (const l of this.listeners) l(this.current())
  }
}
