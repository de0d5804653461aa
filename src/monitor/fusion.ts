/**
 * Fusion (issue 5, "One person, many cameras"): sightings from every camera -> venue-level person tracks.
 *
 * Pure and deterministic: no MQTT, no I/O, no clock; the caller passes the time of every message.
 *
 * - Each sighting's floor point is the one it carries, or else the centre of its face box mapped through
 *   the camera's homography (`boxToFloor`). Sightings with neither (uncalibrated or unknown camera, a
 *   point above the horizon) are skipped.
 * - A per-camera track is the pair (camera, trackId); it is linked to one venue track while it lives.
 * - A recognised subject is one venue track wherever it is seen (keyed by subject id). Its category comes
 *   from the roster: expert (with its project), staff, or other.
 * - An unlinked unknown per-camera track joins the nearest live unknown venue track that passes the gates,
 *   or starts a new one:
 *     speed:   distance <= maxSpeed_mps * dt + tolerance_m, dt since the venue track was last seen;
 *     overlap: if the venue track is seen at the same time (within `simultaneous_ms`) by another camera,
 *              the two cameras must share a zone (a camera's views are its `zones`): cameras that do not
 *              overlap cannot see one person at once. A hand-off (the person left one view, then entered
 *              the other) only has the speed gate;
 *     a camera's tracker already tells apart the people it sees at once, so a venue track that this
 *     camera currently sees under another trackId, or that another sighting of the same frame took, is
 *     not a candidate.
 * - A per-camera track that later gets a subject takes its venue track along: the unknown track becomes
 *   the subject's track, or merges into it if the subject already has one (the merged id is reported
 *   in `removed`).
 * - Identity conflict: when a subject is seen by two per-camera tracks at points further apart than
 *   maxSpeed_mps * dt + tolerance_m allows, a conflict record is emitted, once per pair of per-camera
 *   tracks until they agree again or expire.
 * - Tracks and links expire after `lost_ms` without a sighting.
 */
import { boxToFloor } from '../config/homography.js'
import type { Camera } from '../config/schema/cameras.js'
import type { Venue } from '../config/schema/venue.js'
import type { Sightings } from '../contract/venue/sightings.js'
import type { PersonTrack } from '../contract/venue/tracks.js'
import { ZoneIndex } from '../config/zones.js'

export type FloorXY = [number, number]
export type Category = PersonTrack['category']

export interface FusionOptions {
  /** Fastest plausible walking speed, m/s (default 2.5). */
  maxSpeed_mps?: number
  /** Position tolerance for calibration error, m (default 1). */
  tolerance_m?: number
  /** A track, or a per-camera link, with no sighting for this long is dropped, ms (default 10000). */
  lost_ms?: number
  /** A camera counts among a track's `cameras` while it saw the track this recently, ms (default 2000). */
  view_ms?: number
  /** Sightings this close in time are "at once" for the overlap gate, ms (default 500). */
  simultaneous_ms?: number
  /** Prefix of venue track ids (default "t-"). */
  idPrefix?: string
}

export interface ConflictSide {
  camera: string
  floor: FloorXY
  /** ISO time of that sighting. */
  at: string
}

export interface IdentityConflict {
  subject: string
  a: ConflictSide
  b: ConflictSide
  distance_m: number
}

export interface FusionUpdate {
  /** Tracks created or updated by this message, contract shape. */
  changed: PersonTrack[]
  /** Ids of venue tracks that ended: expired, or merged into a subject's track. */
  removed: string[]
  conflicts: IdentityConflict[]
}

export type TimeInput = Date | number | string

interface Observation {
  camera: string
  trackId: string
  floor: FloorXY
  at: number
}

interface Link {
  key: string
  camera: string
  trackId: string
  track: string
  floor: FloorXY
  lastSeen: number
}

interface VenueTrack {
  id: string
  subject: string
  category: Category
  project: string | null
  zone: string | null
  floor: FloorXY
  lastSeen: number
  /** camera id -> last time it saw this track */
  cameras: Map<string, number>
  /** Per-camera tracks currently linked to this one (index of `Fusion.links` by track). */
  links: Set<Link>
}

const linkKey = (camera: string, trackId: string): string => `${camera}\u0000${trackId}`
const dist = (a: readonly [number, number], b: readonly [number, number]): number => Math.hypot(a[0] - b[0], a[1] - b[1])
const toMs = (t: TimeInput): number => {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t)
  if (!Number.isFinite(ms)) throw new Error(`invalid time: ${String(t)}`)
  return ms
}
const iso = (ms: number): string => new Date(ms).toISOString()

/** Expiry granularity, ms of message time. */
const EXPIRE_EVERY_MS = 100

export class Fusion {
  readonly maxSpeed_mps: number
  readonly tolerance_m: number
  readonly lost_ms: number
  readonly view_ms: number
  readonly simultaneous_ms: number
  private readonly idPrefix: string
  private readonly zones: ZoneIndex
  private readonly cameras = new Map<string, Camera>()
  private readonly cameraZones = new Map<string, Set<string>>()
  private readonly roster = new Map<string, { category: Category; project: string | null }>()
  private readonly byId = new Map<string, VenueTrack>()
  private readonly bySubject = new Map<string, string>()
  private readonly links = new Map<string, Link>()
  /** Active conflict keys (pair of link keys), so one conflict is reported once. */
  private readonly activeConflicts = new Set<string>()
  private nextId = 1
  private lastExpiry = -Infinity

  constructor(venue: Pick<Venue, 'floor' | 'cameras' | 'roster'>, options: FusionOptions = {}) {
    this.maxSpeed_mps = options.maxSpeed_mps ?? 2.5
    this.tolerance_m = options.tolerance_m ?? 1
    this.lost_ms = options.lost_ms ?? 10_000
    this.view_ms = options.view_ms ?? 2000
    this.simultaneous_ms = options.simultaneous_ms ?? 500
    this.idPrefix = options.idPrefix ?? 't-'
    this.zones = new ZoneIndex(venue)
    for (const cam of venue.cameras) {
      this.cameras.set(cam.id, cam)
      this.cameraZones.set(cam.id, new Set(cam.zones))
    }
    for (const s of venue.roster.staff) this.roster.set(s.subject, { category: 'staff', project: null })
    // an expert drawn for a project is an expert, even if also listed as staff
    for (const p of venue.roster.projects) {
      for (const e of p.experts) if (this.roster.get(e)?.category !== 'expert') this.roster.set(e, { category: 'expert', project: p.id })
    }
  }

  /**
   * Fuse one Sightings message received at `receivedAt`. Its sightings count as seen at their capture
   * time (never later than the receipt, nor older than `lost_ms`): speed gates compare where a person
   * was when each frame was taken, not when a busy network or monitor got round to it.
   */
  ingest(msg: Sightings, receivedAt: TimeInput): FusionUpdate {
    const received = toMs(receivedAt)
    const captured = Date.parse(msg.capturedAt)
    const now = Number.isFinite(captured) ? Math.min(received, Math.max(captured, received - this.lost_ms)) : received
    const removed = this.expireSometimes(received)
    const changed = new Set<string>()
    const conflicts: IdentityConflict[] = []
    const camera = this.cameras.get(msg.camera)
    /** venue tracks this frame already claimed */
    const claimed = new Set<string>()

    for (const s of msg.tracks) {
      const floor = this.floorOf(camera, s.floor, s.box)
      if (floor === null) continue
      const key = linkKey(msg.camera, s.trackId)
      let link = this.links.get(key)
      let track = link !== undefined ? this.byId.get(link.track) : undefined

      if (s.subject !== 'unknown') {
        const subjectTrackId = this.bySubject.get(s.subject)
        const subjectTrack = subjectTrackId !== undefined ? this.byId.get(subjectTrackId) : undefined
        if (track !== undefined && track.subject !== s.subject) {
          if (subjectTrack === undefined && track.subject === 'unknown') {
            this.assignSubject(track, s.subject)
          } else if (subjectTrack !== undefined && track.subject === 'unknown') {
            this.merge(track, subjectTrack)
            removed.push(track.id)
            changed.delete(track.id)
            track = subjectTrack
          } else {
            // the camera's tracker switched identity: this per-camera track now follows the other subject
            track = subjectTrack ?? this.create(s.subject, floor, now)
          }
        } else if (track === undefined) {
          track = subjectTrack ?? this.create(s.subject, floor, now)
        }
        conflicts.push(...this.checkConflicts(track, { camera: msg.camera, trackId: s.trackId, floor, at: now }))
      } else if (track === undefined) {
        track = this.associate(msg.camera, s.trackId, floor, now, claimed) ?? this.create('unknown', floor, now)
      }

      if (link === undefined) {
        link = { key, camera: msg.camera, trackId: s.trackId, track: track.id, floor, lastSeen: now }
        this.links.set(key, link)
      } else if (link.track !== track.id) {
        this.byId.get(link.track)?.links.delete(link)
      }
      link.track = track.id
      track.links.add(link)
      link.floor = floor
      link.lastSeen = now
      claimed.add(track.id)
      track.floor = floor
      track.lastSeen = Math.max(track.lastSeen, now)
      track.zone = this.zones.zoneAt(floor)
      track.cameras.set(msg.camera, now)
      changed.add(track.id)
    }

    return {
      changed: [...changed].map((id) => this.byId.get(id)).filter((t): t is VenueTrack => t !== undefined).map((t) => this.toContract(t, now)),
      removed,
      conflicts,
    }
  }

  /**
   * `ingest` expires at most once per `EXPIRE_EVERY_MS` of message time: thousands of frames a second
   * must not each walk every track.
   */
  private expireSometimes(t: number): string[] {
    if (t - this.lastExpiry < EXPIRE_EVERY_MS && t >= this.lastExpiry) return []
    return this.expire(t)
  }

  /** Drop tracks and links not seen for more than `lost_ms`; returns the ids of the tracks dropped. */
  expire(now: TimeInput): string[] {
    const t = toMs(now)
    this.lastExpiry = t
    const gone: string[] = []
    for (const [key, link] of this.links) {
      if (t - link.lastSeen > this.lost_ms) {
        this.links.delete(key)
        this.byId.get(link.track)?.links.delete(link)
      }
    }
    for (const [id, track] of this.byId) {
      if (t - track.lastSeen > this.lost_ms) {
        this.byId.delete(id)
        if (track.subject !== 'unknown' && this.bySubject.get(track.subject) === id) this.bySubject.delete(track.subject)
        gone.push(id)
      }
    }
    for (const k of this.activeConflicts) {
      const [a, b] = k.split('\u0001') as [string, string]
      if (!this.links.has(a) || !this.links.has(b)) this.activeConflicts.delete(k)
    }
    return gone
  }

  /** Every live venue track, contract shape, ordered by id. `now` (default: the latest sighting) bounds `cameras`. */
  tracks(now?: TimeInput): PersonTrack[] {
    const all = [...this.byId.values()]
    let t = now !== undefined ? toMs(now) : -Infinity
    if (now === undefined) for (const x of all) if (x.lastSeen > t) t = x.lastSeen
    // ids are issued in increasing order and a Map iterates in insertion order: already sorted by id
    return all.map((x) => this.toContract(x, t))
  }

  // -------------------------------------------------------------------------------------------------

  /** Floor point of one face of a camera's frame: the one it carries, else through the camera's homography. */
  faceFloor(camera: string, given: [number, number] | null, box: [number, number, number, number]): FloorXY | null {
    return this.floorOf(this.cameras.get(camera), given, box)
  }

  private floorOf(camera: Camera | undefined, given: [number, number] | null, box: [number, number, number, number]): FloorXY | null {
    if (given !== null) return Number.isFinite(given[0]) && Number.isFinite(given[1]) ? [given[0], given[1]] : null
    return camera === undefined ? null : boxToFloor(camera, box)
  }

  private create(subject: string, floor: FloorXY, now: number): VenueTrack {
    const track: VenueTrack = {
      id: `${this.idPrefix}${this.nextId++}`,
      subject: 'unknown',
      category: 'unknown',
      project: null,
      zone: this.zones.zoneAt(floor),
      floor,
      lastSeen: now,
      cameras: new Map(),
      links: new Set(),
    }
    this.byId.set(track.id, track)
    if (subject !== 'unknown') this.assignSubject(track, subject)
    return track
  }

  private assignSubject(track: VenueTrack, subject: string): void {
    const r = this.roster.get(subject)
    track.subject = subject
    track.category = r?.category ?? 'other'
    track.project = r?.project ?? null
    this.bySubject.set(subject, track.id)
  }

  /** Fold an unknown track into a subject's track: its links and cameras move over. */
  private merge(from: VenueTrack, into: VenueTrack): void {
    for (const link of from.links) {
      link.track = into.id
      into.links.add(link)
    }
    from.links.clear()
    for (const [cam, at] of from.cameras) into.cameras.set(cam, Math.max(at, into.cameras.get(cam) ?? -Infinity))
    this.byId.delete(from.id)
  }

  private associate(camera: string, trackId: string, floor: FloorXY, now: number, claimed: Set<string>): VenueTrack | undefined {
    const myZones = this.cameraZones.get(camera)
    let best: { track: VenueTrack; d: number } | undefined
    for (const track of this.byId.values()) {
      if (track.subject !== 'unknown' || claimed.has(track.id)) continue
      const dt = Math.max(0, now - track.lastSeen) / 1000
      const d = dist(floor, track.floor)
      if (d > this.maxSpeed_mps * dt + this.tolerance_m) continue
      let ok = true
      for (const link of track.links) {
        if (now - link.lastSeen > this.simultaneous_ms) continue
        // this camera sees that person right now under another trackId: a different person
        if (link.camera === camera && link.trackId !== trackId) ok = false
        // seen at once by a camera whose view does not overlap this one's
        if (link.camera !== camera && !sharesZone(myZones, this.cameraZones.get(link.camera))) ok = false
        if (!ok) break
      }
      if (!ok) continue
      if (best === undefined || d < best.d || (d === best.d && compareIds(track.id, best.track.id) < 0)) best = { track, d }
    }
    return best?.track
  }

  private checkConflicts(track: VenueTrack, obs: Observation): IdentityConflict[] {
    const out: IdentityConflict[] = []
    const me = linkKey(obs.camera, obs.trackId)
    const others = [...track.links].filter((l) => l.key !== me).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    for (const other of others) {
      const dt = Math.abs(obs.at - other.lastSeen) / 1000
      const d = dist(obs.floor, other.floor)
      const pair = me < other.key ? `${me}\u0001${other.key}` : `${other.key}\u0001${me}`
      if (d <= this.maxSpeed_mps * dt + this.tolerance_m) {
        this.activeConflicts.delete(pair)
        continue
      }
      if (this.activeConflicts.has(pair)) continue
      this.activeConflicts.add(pair)
      out.push({
        subject: track.subject,
        a: { camera: other.camera, floor: [other.floor[0], other.floor[1]], at: iso(other.lastSeen) },
        b: { camera: obs.camera, floor: [obs.floor[0], obs.floor[1]], at: iso(obs.at) },
        distance_m: d,
      })
    }
    return out
  }

  private toContract(t: VenueTrack, now: number): PersonTrack {
    const cameras = [...t.cameras].filter(([, at]) => now - at <= this.view_ms).map(([c]) => c).sort()
    return {
      id: t.id,
      subject: t.subject,
      category: t.category,
      project: t.project,
      zone: t.zone,
      floor: [t.floor[0], t.floor[1]],
      cameras,
      lastSeenAt: iso(t.lastSeen),
    }
  }
}

function sharesZone(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (a === undefined || b === undefined) return false
  for (const z of a) if (b.has(z)) return true
  return false
}

/** Natural order of ids like t-2 < t-10. */
function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true })
}
