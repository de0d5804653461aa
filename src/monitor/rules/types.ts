/**
 * Rules (issue 5): small, separate modules behind one interface.
 *
 * A rule instance is created from its config entry and a `RuleContext` built once from the venue.
 * It keeps its own small state (dwell timers) and is deterministic: the caller passes the time.
 */
import type { Severity, ZoneKind } from '../../config/schema/common.js'
import type { Rule, RuleKind } from '../../config/schema/rules.js'
import type { Door } from '../../config/schema/floor.js'
import type { RobotStatus } from '../../contract/venue/missions.js'
import type { CameraStatus } from '../../contract/venue/status.js'
import type { PersonTrack } from '../../contract/venue/tracks.js'
import type { IdentityConflict } from '../fusion.js'

export type FloorXY = [number, number]

/** Start and end of a session on a given day, epoch ms. */
export interface SessionWindow {
  start_ms: number
  end_ms: number
}

/** A session window with the earliest time its experts may arrive (start - arrivalWindow_min). */
export interface SessionDay extends SessionWindow {
  arrival_ms: number
}

/** One face in one frame, as the monitor saw it: a sighting with its floor point and zone resolved. */
export interface SeenFace {
  camera: string
  trackId: string
  subject: string
  score: number
  liveness: number | null
  quality: number
  /** Floor point (given by the edge or through the camera's homography), or null when unknown. */
  floor: FloorXY | null
  /** Zone of the floor point; else the camera's only zone when it views one; else null. */
  zone: string | null
  /** Capture time, epoch ms. */
  at: number
  /** Snapshot id the edge keeps for this frame, when it named one. */
  snapshot?: string | undefined
}

/** Which zones a rule watches: explicit ids win, else the given kinds, else the rule's default kinds. */
export interface ZoneSelector {
  zones?: string[] | undefined
  zoneKinds?: ZoneKind[] | undefined
}

/** Venue lookups the rules need; built once from the venue by `createRuleContext`. */
export interface RuleContext {
  /** Project an expert is drawn for, or null for anyone not on a project. */
  projectOf(subject: string): string | null
  /** Evaluation rooms of a project ([] for an unknown project). */
  roomsOf(project: string | null): string[]
  /**
   * Session window of a project on the day whose local midnight (site time zone) is `dayStart_ms`.
   * Roster times are HH:MM local; an end at or before the start is taken as the next day. Null for an
   * unknown project or session.
   */
  sessionOf(project: string, dayStart_ms: number): SessionWindow | null
  /**
   * The project's session on the roster's day: its fixed `date`, or for "today" the site-local day of
   * `now_ms`. Null for an unknown project or session.
   */
  sessionAt(project: string, now_ms: number): SessionDay | null
  isStaff(subject: string): boolean
  /** Zones a staff member may enter ([] for anyone not on staff). */
  staffZones(subject: string): string[]
  /** Kind of a zone by id, or null for an unknown id. */
  zoneKind(zone: string): ZoneKind | null
  /** Ids of the zones of the given kinds, in venue order. */
  zonesOfKinds(kinds: readonly ZoneKind[]): string[]
  /** Smallest zone containing a floor point, or null. */
  zoneAt(p: FloorXY): string | null
  /** Zones a camera views ([] for an unknown camera). */
  cameraZones(camera: string): string[]
  /** Zone ids a rule watches (see ZoneSelector), in venue order. */
  selectZones(sel: ZoneSelector, defaultKinds: readonly ZoneKind[]): string[]
  /** A zone's declared capacity, or null. */
  capacityOf(zone: string): number | null
  /** A door by id, or null. */
  door(id: string): Door | null
  /** Doors into zones no camera sees (restrooms): the zone behind each, and where the door is. */
  unseenDoors(): Array<{ zone: string; at: FloorXY }>
  /** Battery level below which a robot counts as low (its `battery.low_pct`), or null for an unknown robot. */
  robotLowBattery(robot: string): number | null
}

export interface Finding {
  ruleId: string
  kind: RuleKind
  severity: Severity
  title: string
  /** Subject ids involved, sorted; "unknown" for an unrecognised person. */
  subjects: string[]
  zone: string | null
  floor: FloorXY | null
  cameras: string[]
  /** Robots involved (robot_fault), sorted. */
  robots: string[]
  /** Epoch ms when the finding was raised. */
  at: number
  /** Epoch ms when the situation began (a dwell's start); `at` when it began now. */
  since: number
  /** Stable for "the same situation": rule id + sorted subjects + zone (+ camera for camera findings). */
  dedupKey: string
}

export interface RuleInstance {
  readonly id: string
  readonly kind: RuleKind
  readonly enabled: boolean
  /** Called with the full current set of venue tracks; a track absent from the list is gone. */
  onTracks?(tracks: PersonTrack[], now: number): Finding[]
  onConflict?(c: IdentityConflict, now: number): Finding[]
  onCameraStatus?(s: CameraStatus, now: number): Finding[]
  /** Every face of every frame, before fusion (liveness and per-frame detail live here). */
  onSighting?(s: SeenFace, now: number): Finding[]
  onRobotStatus?(s: RobotStatus, now: number): Finding[]
  /** Called periodically without new input, for timers that expire between messages. */
  onTick?(now: number): Finding[]
}

export type RuleOf<K extends RuleKind> = Extract<Rule, { kind: K }>

export function makeDedupKey(ruleId: string, subjects: readonly string[], zone: string | null, extra?: string): string {
  const parts = [ruleId, [...subjects].sort().join(','), zone ?? '-']
  if (extra !== undefined) parts.push(extra)
  return parts.join('|')
}

export function makeFinding(
  rule: Pick<Rule, 'id' | 'kind' | 'severity'>,
  f: {
    title: string
    subjects: string[]
    zone: string | null
    floor: FloorXY | null
    cameras: string[]
    robots?: string[]
    at: number
    since?: number
    dedupExtra?: string
  },
): Finding {
  const subjects = [...f.subjects].sort()
  return {
    ruleId: rule.id,
    kind: rule.kind,
    severity: rule.severity,
    title: f.title,
    subjects,
    zone: f.zone,
    floor: f.floor,
    cameras: [...new Set(f.cameras)].sort(),
    robots: [...new Set(f.robots ?? [])].sort(),
    at: f.at,
    since: Math.min(f.since ?? f.at, f.at),
    dedupKey: makeDedupKey(rule.id, subjects, f.zone, f.dedupExtra),
  }
}
