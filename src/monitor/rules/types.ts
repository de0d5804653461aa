/**
 * Rules (issue 5): small, separate modules behind one interface.
 *
 * A rule instance is created from its config entry and a `RuleContext` built once from the venue.
 * It keeps its own small state (dwell timers) and is deterministic: the caller passes the time.
 */
import type { Severity, ZoneKind } from '../../config/schema/common.js'
import type { Rule, RuleKind } from '../../config/schema/rules.js'
import type { CameraStatus } from '../../contract/venue/status.js'
import type { PersonTrack } from '../../contract/venue/tracks.js'
import type { IdentityConflict } from '../fusion.js'

export type FloorXY = [number, number]

/** Start and end of a session on a given day, epoch ms. */
export interface SessionWindow {
  start_ms: number
  end_ms: number
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
  /** Epoch ms when the finding was raised. */
  at: number
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
  f: { title: string; subjects: string[]; zone: string | null; floor: FloorXY | null; cameras: string[]; at: number; dedupExtra?: string },
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
    at: f.at,
    dedupKey: makeDedupKey(rule.id, subjects, f.zone, f.dedupExtra),
  }
}
