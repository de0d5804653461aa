/**
 * bench:sim's venue: a floor for 300 experts, 24 cameras and 10 robots, built in code and checked by
 * the same loader as any venue file (`parseVenue`), so the bench runs what an integrator could write.
 *
 *   dining  | spine |  staff room
 *   entrance > check-in gate > spine | rooms 1..15 (south row, 6 x 8 m, doors to the corridor)
 *   exit    | spine | corridor (4 zones of 24 m, y 16..22) | restrooms 1, 2 (east end, no camera)
 *   kitchen | spine | rooms 16..30 (north row)
 *   docks (10 robots) south of the spine
 *
 * Roster: six sessions, starts staggered by half an hour (08:30-09:30 and 13:30-14:30), of five projects
 * of 10 experts, each project in its own room (300 experts); meals go to the morning rooms at 11:00 and
 * to the afternoon rooms at 15:30.
 */
import { stringify } from 'yaml'
import { hashSecret } from '../src/broker/passwords.js'
import { parseVenue, type Venue, type VenueInput } from '../src/config/index.js'
import { formatProblem } from '../src/config/problems.js'

export const EXPERTS_PER_PROJECT = 10
export const PROJECTS = 30
const ROOMS_PER_ROW = 15
const ROOM_W = 6
/** Six sessions of five projects each, their starts half an hour apart. */
const SESSIONS: Array<[string, string, string]> = [
  ['am-1', '08:30', '11:30'],
  ['am-2', '09:00', '12:00'],
  ['am-3', '09:30', '12:30'],
  ['pm-1', '13:30', '16:30'],
  ['pm-2', '14:00', '17:00'],
  ['pm-3', '14:30', '17:30'],
]

type Zone = NonNullable<VenueInput['floor']>['zones'][number]
type Door = NonNullable<NonNullable<VenueInput['floor']>['doors']>[number]
type Node = VenueInput['navigation']['nodes'][number]
type Edge = NonNullable<VenueInput['navigation']['edges']>[number]
type Camera = NonNullable<VenueInput['cameras']>[number]

const rect = (x: number, y: number, w: number, h: number): [number, number][] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
  [x, y],
]
const room = (i: number): string => `room-${String(i).padStart(2, '0')}`
const corridorOf = (x: number): string => `corr-${Math.min(4, Math.floor((x - 16) / 24) + 1)}`

function floorPlan(): { zones: Zone[]; doors: Door[] } {
  const zones: Zone[] = [
    { id: 'dining', kind: 'dining', polygon: rect(0, 0, 10, 10), capacity: 40 },
    { id: 'entrance', kind: 'entrance', polygon: rect(0, 10, 6, 10), capacity: 40 },
    { id: 'checkin', kind: 'checkin', polygon: rect(6, 12, 4, 6), capacity: 6 },
    { id: 'exit', kind: 'exit', polygon: rect(4, 22, 6, 6), capacity: 20 },
    { id: 'kitchen', kind: 'kitchen', polygon: rect(4, 30, 6, 8) },
    { id: 'spine', kind: 'corridor', polygon: rect(10, 0, 6, 44), capacity: 60 },
    { id: 'staff', kind: 'staff', polygon: rect(16, 0, 20, 8) },
    { id: 'docks', kind: 'dock', polygon: rect(10, 44, 16, 6) },
    { id: 'restroom-1', kind: 'restroom', polygon: rect(112, 16, 6, 3), capacity: 4 },
    { id: 'restroom-2', kind: 'restroom', polygon: rect(112, 19, 6, 3), capacity: 4 },
  ]
  for (let k = 0; k < 4; k++) zones.push({ id: `corr-${k + 1}`, kind: 'corridor', polygon: rect(16 + 24 * k, 16, 24, 6), capacity: 40 })
  const doors: Door[] = [
    { id: 'door-gate', between: ['entrance', 'checkin'], at: [6, 15], gate: true },
    { id: 'door-checkin', between: ['checkin', 'spine'], at: [10, 15] },
    { id: 'door-exit', between: ['exit', 'spine'], at: [10, 25] },
    { id: 'door-kitchen', between: ['kitchen', 'spine'], at: [10, 34] },
    { id: 'door-dining', between: ['dining', 'spine'], at: [10, 5] },
    { id: 'door-staff', between: ['staff', 'spine'], at: [16, 4] },
    { id: 'door-docks', between: ['docks', 'spine'], at: [13, 44] },
    { id: 'door-wc-1', between: ['restroom-1', 'corr-4'], at: [112, 17.5] },
    { id: 'door-wc-2', between: ['restroom-2', 'corr-4'], at: [112, 20.5] },
  ]
  for (let k = 0; k < ROOMS_PER_ROW; k++) {
    const x = 16 + ROOM_W * k
    const mid = x + ROOM_W / 2
    zones.push({ id: room(k + 1), kind: 'evaluation_room', polygon: rect(x, 8, ROOM_W, 8), capacity: 12 })
    zones.push({ id: room(k + 16), kind: 'evaluation_room', polygon: rect(x, 22, ROOM_W, 8), capacity: 12 })
    doors.push({ id: `door-${room(k + 1)}`, between: [room(k + 1), corridorOf(mid)], at: [mid, 16] })
    doors.push({ id: `door-${room(k + 16)}`, between: [room(k + 16), corridorOf(mid)], at: [mid, 22] })
  }
  return { zones, doors }
}

function navigation(): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [
    { id: 'n-checkin', at: [8, 15] },
    { id: 'n-s5', at: [13, 5] },
    { id: 'n-s15', at: [13, 15] },
    { id: 'n-s19', at: [13, 19] },
    { id: 'n-s25', at: [13, 25] },
    { id: 'n-s34', at: [13, 34] },
    { id: 'n-s42', at: [13, 42] },
    { id: 'n-dining', at: [5, 5] },
    { id: 'n-exit', at: [7, 25] },
    { id: 'n-kitchen', at: [7, 34] },
    { id: 'n-staff', at: [20, 4] },
    { id: 'n-dockhub', at: [18, 46] },
  ]
  const edges: Edge[] = [
    { id: 'e-s5-s15', from: 'n-s5', to: 'n-s15' },
    { id: 'e-s15-s19', from: 'n-s15', to: 'n-s19' },
    { id: 'e-s19-s25', from: 'n-s19', to: 'n-s25' },
    { id: 'e-s25-s34', from: 'n-s25', to: 'n-s34' },
    { id: 'e-s34-s42', from: 'n-s34', to: 'n-s42' },
    { id: 'e-checkin', from: 'n-checkin', to: 'n-s15', door: 'door-checkin' },
    { id: 'e-dining', from: 'n-dining', to: 'n-s5', door: 'door-dining' },
    { id: 'e-exit', from: 'n-exit', to: 'n-s25', door: 'door-exit' },
    { id: 'e-kitchen', from: 'n-kitchen', to: 'n-s34', door: 'door-kitchen' },
    { id: 'e-staff', from: 'n-staff', to: 'n-s5', door: 'door-staff' },
    { id: 'e-docks', from: 'n-dockhub', to: 'n-s42', door: 'door-docks' },
  ]
  for (let k = 0; k < ROOMS_PER_ROW; k++) {
    const x = 16 + ROOM_W * k + ROOM_W / 2
    nodes.push({ id: `n-c${k}`, at: [x, 19] })
    edges.push({ id: `e-c${k}`, from: k === 0 ? 'n-s19' : `n-c${k - 1}`, to: `n-c${k}` })
    for (const [r, y] of [[k + 1, 12], [k + 16, 26]] as const) {
      nodes.push({ id: `n-${room(r)}`, at: [x, y] })
      edges.push({ id: `e-${room(r)}`, from: `n-c${k}`, to: `n-${room(r)}`, door: `door-${room(r)}` })
    }
  }
  for (let i = 0; i < 10; i++) {
    nodes.push({ id: `n-dock-${i}`, at: [11 + 1.4 * i, 48.5] })
    edges.push({ id: `e-dock-${i}`, from: `n-dock-${i}`, to: 'n-dockhub' })
  }
  return { nodes, edges }
}

/** A camera looking at the bounding box of its zones: image corners map to the box's corners. */
function camera(id: string, edgeNode: string, zones: string[], all: Zone[]): Camera {
  const pts = all.filter((z) => zones.includes(z.id)).flatMap((z) => z.polygon)
  const xs = pts.map((p) => p[0])
  const ys = pts.map((p) => p[1])
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
  return {
    id,
    rtspUrl: `rtsp://127.0.0.1:8554/${id}`,
    edgeNode,
    zones,
    fps: 5,
    calibration: {
      pairs: [
        { image: [160, 1000], floor: [x0, y0] },
        { image: [1760, 1000], floor: [x1, y0] },
        { image: [1760, 80], floor: [x1, y1] },
        { image: [160, 80], floor: [x0, y1] },
      ],
    },
  }
}

const ROBOTS: Array<{ id: string; kind: 'guard' | 'patrol' | 'delivery' }> = [
  { id: 'gr-001', kind: 'guard' },
  ...[1, 2, 3].map((i) => ({ id: `pt-00${i}`, kind: 'patrol' as const })),
  ...[1, 2, 3, 4, 5, 6].map((i) => ({ id: `dl-00${i}`, kind: 'delivery' as const })),
]

/** The bench venue with its principals' passwords `dev-<name>`, as the demo's (principalLogins finds them). */
export async function simBenchVenue(demoRules: VenueInput['rules']): Promise<Venue> {
  const { zones, doors } = floorPlan()
  const { nodes, edges } = navigation()
  const roomCams = [1, 2, 3, 4, 5, 6, 16, 17, 18, 19, 20, 21].map(room)
  const cameraZones: string[][] = [['entrance', 'checkin'], ['checkin'], ['exit'], ['spine'], ['spine'], ['dining'], ['kitchen'], ['docks'], ['corr-1'], ['corr-2'], ['corr-3'], ['corr-4'], ...roomCams.map((r) => [r])]
  const cameras = cameraZones.map((zs, i) => camera(`cam-${String(i + 1).padStart(2, '0')}`, i < 12 ? 'edge-1' : 'edge-2', zs, zones))
  const projects = Array.from({ length: PROJECTS }, (_, i) => ({
    id: `2026-${String(200 + i)}`,
    session: SESSIONS[Math.floor(i / 5)]![0],
    rooms: [room(i + 1)],
    experts: Array.from({ length: EXPERTS_PER_PROJECT }, (_, j) => `sub-b${String(i).padStart(2, '0')}x${j}`),
  }))
  const names = ['admin', 'monitor', 'fleet', 'console', 'edge-1', 'edge-2', ...ROBOTS.map((r) => `robot-${r.id}`)]
  const role = (n: string): 'admin' | 'monitor' | 'fleet' | 'console' | 'edge' | 'robot' => (n.startsWith('robot-') ? 'robot' : n.startsWith('edge-') ? 'edge' : (n as 'admin' | 'monitor' | 'fleet' | 'console'))
  const principals = await Promise.all(
    names.map(async (name) => ({
      name,
      role: role(name),
      ...(name.startsWith('edge-') ? { edgeNode: name } : {}),
      ...(name.startsWith('robot-') ? { robot: name.slice('robot-'.length) } : {}),
      secretHash: await hashSecret(`dev-${name}`),
    })),
  )
  const corridor = Array.from({ length: ROOMS_PER_ROW }, (_, k) => `n-c${k}`)
  const input: VenueInput = {
    schemaVersion: 1,
    site: { id: 'bench', name: 'Simulator bench venue', timezone: 'Asia/Shanghai' },
    floor: { width_m: 120, height_m: 50, zones, doors },
    navigation: { nodes, edges },
    cameras,
    robots: ROBOTS.map((r, i) => ({ id: r.id, kind: r.kind, dockNode: `n-dock-${i}`, vda5050: { manufacturer: 'SentinelRobotics', serialNumber: r.id.toUpperCase() } })),
    roster: {
      // staggered sessions of 50 experts: one check-in gate admits about one expert every 40 s
      sessions: SESSIONS.map(([id, start, end]) => ({ id, start, end, arrivalWindow_min: 60 })),
      projects,
      staff: [
        { subject: 'sub-staffhost1', role: 'host', zones: ['entrance', 'checkin', 'spine', 'dining'] },
        { subject: 'sub-staffclean1', role: 'cleaner', zones: ['spine', 'corr-1', 'corr-2', 'corr-3', 'corr-4', 'kitchen'] },
      ],
    },
    rules: (demoRules ?? []).map((r) => (r.kind === 'loitering' ? { ...r, zones: ['corr-1', 'corr-2', 'corr-3', 'corr-4'] } : r)),
    // at x150 the roles' event loop lags by 10-25 ms, that is 1.5-4 sim s: a sighting 2 s old (the
    // default view_s) would already count as out of view, and experts sitting in their rooms as gone
    monitor: { view_s: 15, lost_s: 60 },
    fleet: {
      mealsPerTrip: 4,
      // at x150 a 100 ms pause of the process (a GC) is 15 sim s without a robot's state: the default
      // 10 s (and 60 s without reaching a node) would call robots lost or stuck that are not
      stateTimeout_s: 60,
      noProgress_s: 180,
      schedules: [
        { id: 'guard-duty', kind: 'guard', robot: 'gr-001', nodes: ['n-checkin'], at: ['start'] },
        { id: 'round-west', kind: 'patrol', robot: 'pt-001', nodes: ['n-s19', ...corridor.slice(0, 8), 'n-s19'], at: ['start', '10:00', '14:00', '16:00'] },
        { id: 'round-east', kind: 'patrol', robot: 'pt-002', nodes: [...corridor.slice(8), 'n-c8'], at: ['start', '11:00', '15:00', '17:00'] },
        { id: 'lunch', kind: 'delivery', rooms: projects.filter((p) => p.session.startsWith('am')).flatMap((p) => p.rooms), at: ['11:00'] },
        { id: 'tea', kind: 'delivery', rooms: projects.filter((p) => p.session.startsWith('pm')).flatMap((p) => p.rooms), at: ['15:30'] },
      ],
    },
    principals,
  }
  const { venue, problems } = parseVenue(stringify(input))
  if (venue === undefined) throw new Error(`the bench venue does not pass the checks:\n${problems.map((p) => formatProblem(p)).join('\n')}`)
  return venue
}
