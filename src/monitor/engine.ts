/**
 * The monitor's core, without MQTT or storage: sightings -> fusion -> rules -> findings.
 *
 * Deterministic: the caller passes the time of every call. Per-face rules (liveness) run on every
 * sighting; track rules run in `evaluate()`, which the role calls once per burst of messages rather
 * than once per message, so a flood of sightings costs one pass over the tracks, not one per frame.
 * A rule that throws is reported through `onRuleError` and skipped; the other rules still run.
 */
import type { Venue } from '../config/schema/venue.js'
import type { RobotStatus } from '../contract/venue/missions.js'
import type { Sightings } from '../contract/venue/sightings.js'
import type { CameraStatus } from '../contract/venue/status.js'
import type { PersonTrack } from '../contract/venue/tracks.js'
import { Fusion, type FusionOptions } from './fusion.js'
import { createRuleContext, createRules, type Finding, type RuleContext, type RuleInstance, type SeenFace } from './rules/index.js'

export interface EngineOptions {
  fusion?: FusionOptions
  onRuleError?: (rule: string, hook: string, err: unknown) => void
}

export interface SightingsResult {
  findings: Finding[]
  /** Venue tracks created or moved by this message. */
  changed: PersonTrack[]
  /** Venue tracks that ended (expired or merged). */
  removed: string[]
}

type Hook = 'onTracks' | 'onConflict' | 'onCameraStatus' | 'onSighting' | 'onRobotStatus' | 'onTick'

export class MonitorEngine {
  readonly fusion: Fusion
  readonly ctx: RuleContext
  readonly rules: readonly RuleInstance[]
  private readonly faceRules: RuleInstance[]
  private readonly snapshots = new Map<string, { snapshot: string; at: number }>()

  constructor(
    venue: Pick<Venue, 'site' | 'floor' | 'roster' | 'cameras' | 'robots' | 'rules'>,
    private readonly o: EngineOptions = {},
  ) {
    this.fusion = new Fusion(venue, o.fusion)
    this.ctx = createRuleContext(venue)
    this.rules = createRules(venue.rules, this.ctx)
    this.faceRules = this.rules.filter((r) => r.onSighting !== undefined)
  }

  /** Fuse one frame's sightings; per-face rules and identity conflicts give findings at once. */
  sightings(msg: Sightings, now: number): SightingsResult {
    const update = this.fusion.ingest(msg, now)
    const findings: Finding[] = []
    for (const c of update.conflicts) findings.push(...this.run('onConflict', (r) => r.onConflict?.(c, now)))
    if (msg.snapshot !== undefined) this.snapshots.set(msg.camera, { snapshot: msg.snapshot, at: Date.parse(msg.capturedAt) })
    if (this.faceRules.length > 0) {
      const at = Date.parse(msg.capturedAt)
      const camZones = this.ctx.cameraZones(msg.camera)
      for (const s of msg.tracks) {
        const floor = this.fusion.faceFloor(msg.camera, s.floor, s.box)
        const zone = (floor !== null ? this.ctx.zoneAt(floor) : null) ?? (camZones.length === 1 ? (camZones[0] ?? null) : null)
        const face: SeenFace = { camera: msg.camera, trackId: s.trackId, subject: s.subject, score: s.score, liveness: s.liveness, quality: s.quality, floor, zone, at, snapshot: msg.snapshot }
        for (const r of this.faceRules) findings.push(...this.guard(r, 'onSighting', () => r.onSighting?.(face, now)))
      }
    }
    return { findings, changed: update.changed, removed: update.removed }
  }

  /**
   * Run the track rules over the venue tracks some camera sees now. A track out of every view is kept by
   * fusion for a while (to join it up again) but is not evidence of where the person is: a walker who
   * left the cameras' sight is not loitering at the last point seen. Rules that need the last known
   * place of someone (expert_absent) remember it themselves.
   */
  evaluate(now: number): Finding[] {
    const tracks = this.fusion.tracks(now).filter((t) => t.cameras.length > 0)
    return this.run('onTracks', (r) => r.onTracks?.(tracks, now))
  }

  cameraStatus(s: CameraStatus, now: number): Finding[] {
    return this.run('onCameraStatus', (r) => r.onCameraStatus?.(s, now))
  }

  robotStatus(s: RobotStatus, now: number): Finding[] {
    return this.run('onRobotStatus', (r) => r.onRobotStatus?.(s, now))
  }

  /** Periodic work without new input: expire tracks, fire timers, re-run the track rules. Returns the ids of tracks that ended. */
  tick(now: number): { findings: Finding[]; removed: string[] } {
    const removed = this.fusion.expire(now)
    const findings = [...this.run('onTick', (r) => r.onTick?.(now)), ...this.evaluate(now)]
    return { findings, removed }
  }

  /** The latest snapshot id an edge named for a camera, if any. */
  lastSnapshot(camera: string): { snapshot: string; at: number } | undefined {
    return this.snapshots.get(camera)
  }

  private run(hook: Hook, call: (r: RuleInstance) => Finding[] | undefined): Finding[] {
    const out: Finding[] = []
    for (const r of this.rules) if (r[hook] !== undefined) out.push(...this.guard(r, hook, () => call(r)))
    return out
  }

  private guard(r: RuleInstance, hook: Hook, call: () => Finding[] | undefined): Finding[] {
    try {
      return call() ?? []
    } catch (err) {
      this.o.onRuleError?.(r.id, hook, err)
      return []
    }
  }
}
