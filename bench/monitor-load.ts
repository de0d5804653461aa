/**
 * The load of bench:monitor: a 120 m x 60 m venue with 24 cameras and 1,000 people walking small
 * circles in the view of one camera each, and every camera's frames over one lap, pre-encoded.
 */
import type { Venue, VenueInput, ZoneKind } from '../src/config/index.js'
import { SCHEMA_VERSION } from '../src/contract/envelope.js'
import type { Sightings, SightingTrack } from '../src/contract/venue/sightings.js'
import { mulberry32 } from '../src/shared/random.js'
import { SITE, square, testVenue } from '../test/helpers/venue.js'

export type RuleInput = NonNullable<VenueInput['rules']>[number]
export type XY = [number, number]

/** Frames per second per camera, and the time one lap of each person's circle takes. */
export const FPS = 10
const CYCLE_S = 12
const RADIUS_M = 0.5
const WALL_M = 1.2
/** 2024-05-01 10:00 in Asia/Shanghai: inside the morning session of the roster. */
export const IN_SESSION = Date.UTC(2024, 4, 1, 2, 0)

// ---- the venue --------------------------------------------------------------------------------------

export interface Area {
  zone: string
  rect: [number, number, number, number] // x0, y0, x1, y1
}
export interface Person {
  subject: string // "unknown" for a visitor
  camera: string
  home: XY
  phase: number
}
export interface CameraDef {
  id: string
  zones: string[]
  edge: 'edge-1' | 'edge-2'
  view: Area // where the people it sees stand
}

const rect = (zone: string, x0: number, y0: number, x1: number, y1: number): Area => ({ zone, rect: [x0, y0, x1, y1] })
export const ROOMS = Array.from({ length: 12 }, (_, i) => {
  const north = i < 6
  const x0 = 20 + (i % 6) * 12
  return rect(`room-${i + 1}`, x0, north ? 36 : 12, x0 + 12, north ? 48 : 24)
})
export const VAULTS = Array.from({ length: 16 }, (_, i) => rect(`vault-${String(i + 1).padStart(2, '0')}`, 92 + (i % 8) * 3.5, i < 8 ? 0 : 6, 92 + (i % 8) * 3.5 + 3.5, i < 8 ? 6 : 12))
export const AREAS = {
  entrance: rect('entrance', 0, 24, 10, 36),
  checkin: rect('checkin', 10, 24, 20, 36),
  corrW: rect('corr-west', 20, 24, 56, 36),
  corrE: rect('corr-east', 56, 24, 92, 36),
  hall: rect('hall', 92, 12, 120, 30),
  dining: rect('dining', 92, 30, 120, 48),
  office: rect('staff-office', 92, 48, 120, 60),
}
const half = (a: Area, which: 0 | 1): Area => {
  const [x0, y0, x1, y1] = a.rect
  const mid = (x0 + x1) / 2
  return { zone: a.zone, rect: which === 0 ? [x0, y0, mid, y1] : [mid, y0, x1, y1] }
}
export const CAMERAS: CameraDef[] = [
  { id: 'cam-entrance', zones: ['entrance'], edge: 'edge-1', view: AREAS.entrance },
  { id: 'cam-checkin', zones: ['checkin'], edge: 'edge-1', view: AREAS.checkin },
  { id: 'cam-corr-w1', zones: ['corr-west'], edge: 'edge-1', view: half(AREAS.corrW, 0) },
  { id: 'cam-corr-w2', zones: ['corr-west'], edge: 'edge-1', view: half(AREAS.corrW, 1) },
  { id: 'cam-corr-e1', zones: ['corr-east'], edge: 'edge-2', view: half(AREAS.corrE, 0) },
  { id: 'cam-corr-e2', zones: ['corr-east'], edge: 'edge-2', view: half(AREAS.corrE, 1) },
  ...ROOMS.map((r, i): CameraDef => ({ id: `cam-${r.zone}`, zones: [r.zone], edge: i < 6 ? 'edge-1' : 'edge-2', view: r })),
  { id: 'cam-hall-1', zones: ['hall'], edge: 'edge-2', view: half(AREAS.hall, 0) },
  { id: 'cam-hall-2', zones: ['hall'], edge: 'edge-2', view: half(AREAS.hall, 1) },
  { id: 'cam-dining-1', zones: ['dining'], edge: 'edge-2', view: half(AREAS.dining, 0) },
  { id: 'cam-dining-2', zones: ['dining'], edge: 'edge-2', view: half(AREAS.dining, 1) },
  { id: 'cam-office', zones: ['staff-office'], edge: 'edge-2', view: AREAS.office },
  { id: 'cam-vaults', zones: VAULTS.map((v) => v.zone), edge: 'edge-2', view: rect('vault-01', 92, 0, 120, 12) },
]
export const VAULT_CAMERA = 'cam-vaults'
const PROJECTS = 6
const EXPERTS_PER_ROOM = 25
const sub = (prefix: string, n: number): string => `sub-${prefix}${String(n).padStart(3, '0')}`

/** 1,000 people, each placed in the view of one camera, away from the walls. */
export function crowd(): Person[] {
  const rand = mulberry32(7)
  const people: Person[] = []
  const camerasOf = (zone: string) => CAMERAS.filter((c) => c.view.zone === zone)
  let spread = 0
  const place = (subject: string, zone: string): void => {
    const cams = camerasOf(zone)
    const cam = cams[spread++ % cams.length]!
    const [x0, y0, x1, y1] = cam.view.rect
    const m = WALL_M + RADIUS_M
    people.push({ subject, camera: cam.id, home: [x0 + m + rand() * (x1 - x0 - 2 * m), y0 + m + rand() * (y1 - y0 - 2 * m)], phase: rand() * 2 * Math.PI })
  }
  // 300 experts: 6 projects of 50, 25 in each of the project's two rooms
  for (let i = 0; i < PROJECTS * 2 * EXPERTS_PER_ROOM; i++) place(sub('ex', i), ROOMS[Math.floor(i / EXPERTS_PER_ROOM)]!.zone)
  // 50 staff
  ROOMS.forEach((r, i) => place(sub('sv', i), r.zone))
  for (let i = 0; i < 10; i++) place(sub('ho', i), ['entrance', 'checkin', 'corr-west', 'corr-east'][i % 4]!)
  for (let i = 0; i < 10; i++) place(sub('cl', i), ['corr-west', 'corr-east', 'hall', 'dining'][i % 4]!)
  for (let i = 0; i < 8; i++) place(sub('ck', i), 'dining')
  for (let i = 0; i < 10; i++) place(sub('of', i), 'staff-office')
  // 100 bidders' representatives: recognised, not on the roster
  for (let i = 0; i < 100; i++) place(sub('bd', i), i % 2 === 0 ? 'hall' : 'dining')
  // 550 unknown visitors
  const visitors: Array<[string, number]> = [['entrance', 40], ['checkin', 15], ['corr-west', 120], ['corr-east', 120], ['hall', 130], ['dining', 125]]
  for (const [zone, n] of visitors) for (let i = 0; i < n; i++) place('unknown', zone)
  return people
}

const RULES: RuleInput[] = [
  { id: 'unknown-in-restricted', kind: 'unknown_in_restricted', severity: 'high', zoneKinds: ['restricted', 'evaluation_room', 'staff'], dwell_s: 0, response: { notify: true, dispatch: 'verify', escalateAfter_s: 60 } },
  { id: 'wrong-room', kind: 'wrong_room', severity: 'high', grace_s: 10, response: { notify: true, dispatch: 'verify', escalateAfter_s: 120 } },
  { id: 'cross-project-contact', kind: 'cross_project_contact', severity: 'critical', distance_m: 2, duration_s: 5, response: { notify: true, dispatch: 'verify', escalateAfter_s: 60 } },
  { id: 'expert-with-unauthorised', kind: 'expert_with_unauthorised', severity: 'critical', distance_m: 1.5, duration_s: 5, response: { notify: true, dispatch: 'verify', escalateAfter_s: 60 } },
  { id: 'expert-absent', kind: 'expert_absent', severity: 'medium', absence_s: 900, earlyLeave: true, response: { notify: true, dispatch: 'none', escalateAfter_s: 300 } },
  { id: 'loitering', kind: 'loitering', severity: 'low', zones: ['corr-west', 'corr-east'], dwell_s: 300, response: { notify: true, dispatch: 'patrol', escalateAfter_s: 600 } },
  { id: 'outside-session-window', kind: 'outside_session_window', severity: 'low', margin_s: 600, response: { notify: true, dispatch: 'none', escalateAfter_s: 0 } },
  { id: 'crowding', kind: 'crowding', severity: 'medium', zoneKinds: ['evaluation_room', 'restroom', 'dining'], response: { notify: true, dispatch: 'none', escalateAfter_s: 300 } },
  { id: 'spoof-attempt', kind: 'spoof_attempt', severity: 'high', liveness_min: 0.5, response: { notify: true, dispatch: 'verify', escalateAfter_s: 60 } },
  { id: 'identity-conflict', kind: 'identity_conflict', severity: 'high', maxSpeed_mps: 3, response: { notify: true, dispatch: 'verify', escalateAfter_s: 120 } },
  { id: 'tailgating', kind: 'tailgating', severity: 'medium', gate: 'door-gate', window_s: 5, response: { notify: true, dispatch: 'verify', escalateAfter_s: 120 } },
  { id: 'camera-health', kind: 'camera_health', severity: 'high', statuses: ['offline', 'frozen', 'dark', 'tampered'], after_s: 3, response: { notify: true, dispatch: 'none', escalateAfter_s: 300 } },
  { id: 'robot-fault', kind: 'robot_fault', severity: 'medium', faults: ['stuck', 'lost', 'low_battery', 'mission_failed', 'disconnected', 'fatal_error'], response: { notify: true, dispatch: 'none', escalateAfter_s: 300 } },
]

export function benchVenue(): Promise<Venue> {
  const zone = (a: Area, kind: ZoneKind, capacity?: number) => ({ id: a.zone, kind, polygon: square(a.rect[0], a.rect[1], a.rect[2] - a.rect[0], a.rect[3] - a.rect[1]), ...(capacity !== undefined ? { capacity } : {}) })
  const projects = Array.from({ length: PROJECTS }, (_, p) => ({
    id: `p${p + 1}`,
    session: 'am',
    rooms: [ROOMS[2 * p]!.zone, ROOMS[2 * p + 1]!.zone],
    experts: Array.from({ length: 2 * EXPERTS_PER_ROOM }, (_, i) => sub('ex', p * 2 * EXPERTS_PER_ROOM + i)),
  }))
  const staff = [
    ...ROOMS.map((r, i) => ({ subject: sub('sv', i), role: 'supervisor', zones: [r.zone, 'corr-west', 'corr-east', 'checkin'] })),
    ...Array.from({ length: 10 }, (_, i) => ({ subject: sub('ho', i), role: 'host', zones: ['entrance', 'checkin', 'corr-west', 'corr-east'] })),
    ...Array.from({ length: 10 }, (_, i) => ({ subject: sub('cl', i), role: 'cleaner', zones: ['corr-west', 'corr-east', 'hall', 'dining', 'restroom-1', 'restroom-2'] })),
    ...Array.from({ length: 8 }, (_, i) => ({ subject: sub('ck', i), role: 'cook', zones: ['dining'] })),
    ...Array.from({ length: 10 }, (_, i) => ({ subject: sub('of', i), role: 'office', zones: ['staff-office', 'hall', 'dining'] })),
  ]
  const calibration = (v: Area) => {
    const [x0, y0, x1, y1] = v.rect
    return {
      pairs: [
        { image: [0, 0] as XY, floor: [x0, y1] as XY },
        { image: [1920, 0] as XY, floor: [x1, y1] as XY },
        { image: [1920, 1080] as XY, floor: [x1, y0] as XY },
        { image: [0, 1080] as XY, floor: [x0, y0] as XY },
      ],
    }
  }
  return testVenue({
    site: { id: SITE, name: 'Bench venue', timezone: 'Asia/Shanghai' },
    floor: {
      width_m: 120,
      height_m: 60,
      zones: [
        zone(AREAS.entrance, 'entrance'),
        zone(AREAS.checkin, 'checkin'),
        zone(AREAS.corrW, 'corridor'),
        zone(AREAS.corrE, 'corridor'),
        ...ROOMS.map((r) => zone(r, 'evaluation_room', 30)),
        zone(rect('restroom-1', 0, 36, 10, 46), 'restroom', 6),
        zone(rect('restroom-2', 0, 14, 10, 24), 'restroom', 6),
        zone(AREAS.hall, 'corridor'),
        zone(AREAS.dining, 'dining', 250),
        zone(AREAS.office, 'staff'),
        ...VAULTS.map((v) => zone(v, 'restricted', 2)),
      ],
      doors: [{ id: 'door-gate', between: ['entrance', 'checkin'], at: [10, 30], width_m: 1, gate: true }],
    },
    navigation: {
      nodes: [
        { id: 'n1', at: [15, 30] },
        { id: 'n2', at: [56, 30] },
        { id: 'n3', at: [100, 20] },
        { id: 'n4', at: [106, 13] },
      ],
      edges: [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', to: 'n3' },
        { id: 'e3', from: 'n3', to: 'n4' },
      ],
    },
    cameras: CAMERAS.map((c) => ({ id: c.id, rtspUrl: `rtsp://127.0.0.1:8554/${c.id}`, edgeNode: c.edge, zones: c.zones, fps: FPS, calibration: calibration(c.view) })),
    roster: { date: '2024-05-01', sessions: [{ id: 'am', start: '08:30', end: '12:00', arrivalWindow_min: 30 }], projects, staff },
    rules: RULES,
  })
}

// ---- frames -----------------------------------------------------------------------------------------

export const FRAMES = CYCLE_S * FPS
const STAMP = '2000-01-01T00:00:00.000Z'
const FRAME_ID = 1_000_000_000

/** Every camera's frames over one lap of the circles: [camera index][frame] -> message (timestamps to fill in). */
export function frames(people: Person[]): Sightings[][] {
  const r2 = (x: number) => Math.round(x * 100) / 100
  return CAMERAS.map((cam) => {
    const mine = people.map((p, i) => ({ p, i })).filter(({ p }) => p.camera === cam.id)
    return Array.from({ length: FRAMES }, (_, f) => {
      const angle = (2 * Math.PI * f) / FRAMES
      const tracks: SightingTrack[] = mine.map(({ p, i }) => {
        const floor: XY = [r2(p.home[0] + RADIUS_M * Math.cos(angle + p.phase)), r2(p.home[1] + RADIUS_M * Math.sin(angle + p.phase))]
        const known = p.subject !== 'unknown'
        return { trackId: `t${i}`, box: [800, 400, 880, 500], floor, subject: p.subject, score: known ? 0.82 : 0.21, liveness: 0.95, quality: 0.85 }
      })
      return { schemaVersion: SCHEMA_VERSION, timestamp: STAMP, camera: cam.id, frameId: FRAME_ID, capturedAt: STAMP, width_px: 1920, height_px: 1080, tracks }
    })
  })
}

/** A pre-encoded frame: its bytes and where the two timestamps and the frame id go. */
export interface Encoded {
  topic: string
  bytes: Buffer
  faces: number
  at: [number, number, number] // timestamp, capturedAt, frameId offsets
}

export function encode(msg: Sightings): Encoded {
  const bytes = Buffer.from(JSON.stringify(msg))
  const ts = bytes.indexOf(STAMP)
  const cap = bytes.indexOf(STAMP, ts + 1)
  const id = bytes.indexOf(String(FRAME_ID))
  if (ts < 0 || cap < 0 || id < 0) throw new Error('frame template without its placeholders')
  return { topic: `venue/v1/${SITE}/cameras/${msg.camera}/sightings`, bytes, faces: msg.tracks.length, at: [ts, cap, id] }
}

let frameSeq = 0
/** The next frame id of the bench's frames (one sequence for the whole run). */
export const nextFrameId = (): number => ++frameSeq
/** A copy of a frame stamped with the capture time `at` (epoch ms). */
export function stamped(e: Encoded, at: number): Buffer {
  const out = Buffer.from(e.bytes)
  const iso = new Date(at).toISOString()
  out.write(iso, e.at[0], 'latin1')
  out.write(iso, e.at[1], 'latin1')
  out.write(String(FRAME_ID + (++frameSeq % 1_000_000_000)), e.at[2], 'latin1')
  return out
}

