/**
 * `npm run bench:monitor`: sightings per second the monitor sustains with 1,000 people tracked at once,
 * and the latency from a sighting's capture time to its alert leaving the broker. Targets (issue):
 * >= 20,000 sightings/s; p99 <= 100 ms inside the monitor. Figures only: a benchmark never asserts.
 *
 * The venue: a 120 m x 60 m floor, 24 cameras (one per evaluation room, two per corridor, dining room and
 * waiting hall, entrance, check-in, staff office, one over a block of 16 small restricted vaults) and
 * 1,000 people, each seen by one camera at 10 fps and walking slowly (0.26 m/s) round a 0.5 m circle:
 * 300 experts of 6 projects in their 12 rooms, 50 staff where they may be, 100 recognised people not on
 * the roster (bidders) and 550 unknown visitors in the lobby, corridors, hall and dining room. All 13 rule
 * kinds are on, as in config/venues/demo.yaml, but everyone stays where the rules allow it (1.2 m from
 * every wall), so the normal load raises no alert; the tables count the alerts it raised anyway.
 *
 * 1. Engine alone (MonitorEngine, no MQTT): `sightings()` per message, `evaluate()` once per 50 messages,
 *    simulated time at 10 fps per camera. Baseline in the same run: the engine with no rules (fusion only).
 * 2. The role (Monitor) through our broker: the broker runs in a child process (this script with
 *    `--broker`), since the machine's cores are few and the broker validates every message as the monitor
 *    does; the monitor, the two edge clients and the console share this process. Edge clients publish
 *    pre-encoded frames (QoS 0) with end-to-end backpressure: at most AHEAD messages published that the
 *    monitor has not handled yet. Rate = monitor.stats().sightings delta / time.
 *    The console and a plain probe subscriber share the monitor's process, so their figures include waiting
 *    for the monitor's event loop; the probe (capture -> the trigger frame delivered here) shows that part.
 * 3. Latency: a steady background load (20,000 sightings/s, or 80% of the rate phase 2 sustained when that
 *    is lower) and every 50 ms a trigger: a new unknown person in one of the vaults, which rule
 *    `unknown_in_restricted` (dwell_s 0) turns into an alert. A console client records arrival - capture
 *    time; it then resolves the alert and the vault camera "recognises" the person (a subject not on the
 *    roster), so the next trigger in that vault opens a new alert and cannot be joined to this track.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { MqttClient } from 'mqtt'
import type { Venue, VenueInput, ZoneKind } from '../src/config/index.js'
import { SCHEMA_VERSION } from '../src/contract/envelope.js'
import type { Sightings, SightingTrack } from '../src/contract/venue/sightings.js'
import { MonitorEngine } from '../src/monitor/engine.js'
import { Monitor } from '../src/monitor/monitor.js'
import { silentLogger } from '../src/shared/log.js'
import { connectAs, sleep, startBroker, tempDir } from '../test/helpers/mqtt.js'
import { password, SITE, square, testVenue } from '../test/helpers/venue.js'
import { fmt, median, quantile, table } from './stats.js'

type RuleInput = NonNullable<VenueInput['rules']>[number]
type XY = [number, number]

const ENGINE_RUNS = Number(process.env.BENCH_RUNS ?? 5)
const ROLE_RUNS = Number(process.env.BENCH_ROLE_RUNS ?? 3)
const ROLE_S = Number(process.env.BENCH_ROLE_S ?? 10)
const LATENCY_S = Number(process.env.BENCH_LATENCY_S ?? 10)
const WARM_S = 2
/** Which of the three parts to run (for profiling one of them): BENCH_PHASES=2 runs the role alone. */
const PHASES = new Set((process.env.BENCH_PHASES ?? '1,2,3').split(',').map((x) => x.trim()))
/** Engine: seconds of work per timed run (at most ENGINE_MSGS messages). */
const ENGINE_S = 1.5
const ENGINE_MSGS = 20_000
const ENGINE_BURST = 50
const TARGET_RATE = 20_000
const TARGET_P99_MS = 100
const TRIGGER_MS = 50
/** Messages published that the monitor has not handled yet, at most (phase 2). */
const AHEAD = Number(process.env.BENCH_AHEAD ?? 96)
/** Frames per second per camera, and the time one lap of each person's circle takes. */
const FPS = 10
const CYCLE_S = 12
const RADIUS_M = 0.5
const WALL_M = 1.2
/** 2024-05-01 10:00 in Asia/Shanghai: inside the morning session of the roster. */
const IN_SESSION = Date.UTC(2024, 4, 1, 2, 0)

// ---- the venue --------------------------------------------------------------------------------------

interface Area {
  zone: string
  rect: [number, number, number, number] // x0, y0, x1, y1
}
interface Person {
  subject: string // "unknown" for a visitor
  camera: string
  home: XY
  phase: number
}
interface CameraDef {
  id: string
  zones: string[]
  edge: 'edge-1' | 'edge-2'
  view: Area // where the people it sees stand
}

const rect = (zone: string, x0: number, y0: number, x1: number, y1: number): Area => ({ zone, rect: [x0, y0, x1, y1] })
const ROOMS = Array.from({ length: 12 }, (_, i) => {
  const north = i < 6
  const x0 = 20 + (i % 6) * 12
  return rect(`room-${i + 1}`, x0, north ? 36 : 12, x0 + 12, north ? 48 : 24)
})
const VAULTS = Array.from({ length: 16 }, (_, i) => rect(`vault-${String(i + 1).padStart(2, '0')}`, 92 + (i % 8) * 3.5, i < 8 ? 0 : 6, 92 + (i % 8) * 3.5 + 3.5, i < 8 ? 6 : 12))
const AREAS = {
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
const CAMERAS: CameraDef[] = [
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
const VAULT_CAMERA = 'cam-vaults'
const PROJECTS = 6
const EXPERTS_PER_ROOM = 25
const sub = (prefix: string, n: number): string => `sub-${prefix}${String(n).padStart(3, '0')}`

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same crowd. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** 1,000 people, each placed in the view of one camera, away from the walls. */
function crowd(): Person[] {
  const rand = prng(7)
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

function benchVenue(): Promise<Venue> {
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

const FRAMES = CYCLE_S * FPS
const STAMP = '2000-01-01T00:00:00.000Z'
const FRAME_ID = 1_000_000_000

/** Every camera's frames over one lap of the circles: [camera index][frame] -> message (timestamps to fill in). */
function frames(people: Person[]): Sightings[][] {
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
interface Encoded {
  topic: string
  bytes: Buffer
  faces: number
  at: [number, number, number] // timestamp, capturedAt, frameId offsets
}

function encode(msg: Sightings): Encoded {
  const bytes = Buffer.from(JSON.stringify(msg))
  const ts = bytes.indexOf(STAMP)
  const cap = bytes.indexOf(STAMP, ts + 1)
  const id = bytes.indexOf(String(FRAME_ID))
  if (ts < 0 || cap < 0 || id < 0) throw new Error('frame template without its placeholders')
  return { topic: `venue/v1/${SITE}/cameras/${msg.camera}/sightings`, bytes, faces: msg.tracks.length, at: [ts, cap, id] }
}

let frameSeq = 0
/** A copy of a frame stamped with the capture time `at` (epoch ms). */
function stamped(e: Encoded, at: number): Buffer {
  const out = Buffer.from(e.bytes)
  const iso = new Date(at).toISOString()
  out.write(iso, e.at[0], 'latin1')
  out.write(iso, e.at[1], 'latin1')
  out.write(String(FRAME_ID + (++frameSeq % 1_000_000_000)), e.at[2], 'latin1')
  return out
}

// ---- 1. engine alone --------------------------------------------------------------------------------

interface EngineResult {
  rates: number[]
  tracks: number
  findings: number
  evalMs: number[]
}

function engineBench(venue: Venue, all: Sightings[][]): EngineResult {
  const engine = new MonitorEngine(venue, {
    fusion: { maxSpeed_mps: venue.monitor.maxSpeed_mps, tolerance_m: venue.monitor.tolerance_m, lost_ms: venue.monitor.lost_s * 1000 },
    onRuleError: (rule, hook, err) => console.error(`rule ${rule} ${hook} failed`, err),
  })
  const cams = all.length
  const step = 1000 / FPS / cams
  let i = 0
  let findings = 0
  const evalMs: number[] = []
  const messageAt = (n: number): { msg: Sightings; now: number } => {
    const round = Math.floor(n / cams)
    const now = IN_SESSION + n * step
    const base = all[n % cams]![round % FRAMES]!
    return { msg: { ...base, frameId: round, capturedAt: new Date(now).toISOString(), timestamp: new Date(now).toISOString() }, now }
  }
  /** Process messages [i, i + count); returns seconds taken and faces processed. */
  const run = (count: number, deadline_s: number): { seconds: number; faces: number } => {
    const batch = Array.from({ length: count }, (_, k) => messageAt(i + k))
    let faces = 0
    const t0 = performance.now()
    let k = 0
    for (; k < batch.length; k++) {
      const { msg, now } = batch[k]!
      findings += engine.sightings(msg, now).findings.length
      faces += msg.tracks.length
      if ((k + 1) % ENGINE_BURST === 0) {
        const e0 = performance.now()
        findings += engine.evaluate(now).length
        evalMs.push(performance.now() - e0)
        if ((performance.now() - t0) / 1000 > deadline_s) {
          k++
          break
        }
      }
    }
    i += k
    return { seconds: (performance.now() - t0) / 1000, faces }
  }
  // warm up: every camera once (creates the 1,000 tracks), then 2 s of simulated time
  run(cams * FPS * 2, Infinity)
  findings = 0
  evalMs.length = 0
  const rates: number[] = []
  for (let r = 0; r < ENGINE_RUNS; r++) {
    const { seconds, faces } = run(ENGINE_MSGS, ENGINE_S)
    rates.push(faces / seconds)
  }
  const live = engine.fusion.tracks(IN_SESSION + i * step).filter((t) => t.cameras.length > 0).length
  return { rates, tracks: live, findings, evalMs }
}

// ---- the broker in a child process ------------------------------------------------------------------

async function brokerChild(): Promise<void> {
  const dir = process.argv[3]
  if (dir === undefined) throw new Error('usage: monitor.js --broker DATA_DIR')
  const running = await startBroker(await benchVenue(), { dataDir: dir })
  process.stdout.write(JSON.stringify({ port: running.addresses.tcp.port }) + '\n')
  const stop = () => void running.broker.stop().then(() => {
    process.stdout.write(JSON.stringify({ counters: running.broker.counters }) + '\n', () => process.exit(0))
  })
  process.on('SIGTERM', stop)
  process.stdin.on('end', stop) // the parent went away
  process.stdin.resume()
}

interface ChildBroker {
  url: string
  pid: number
  stop: () => Promise<{ refusedPublishes: number } | undefined>
}

async function startChildBroker(dataDir: string): Promise<ChildBroker> {
  const script = fileURLToPath(import.meta.url)
  const child: ChildProcess = spawn(process.execPath, [script, '--broker', dataDir], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })
  const queue: string[] = []
  const waiters: Array<(l: string) => void> = []
  lines.on('line', (l) => (waiters.length > 0 ? waiters.shift()!(l) : queue.push(l)))
  const nextLine = () => new Promise<string>((resolve, reject) => {
    if (queue.length > 0) return resolve(queue.shift()!)
    waiters.push(resolve)
    child.once('exit', (code) => reject(new Error(`broker process exited with ${code}`)))
  })
  const exited = new Promise((r) => child.once('exit', r))
  const { port } = JSON.parse(await nextLine()) as { port: number }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM')
      const last = await Promise.race([nextLine().catch(() => undefined), sleep(5000).then(() => undefined)])
      await exited
      return last === undefined ? undefined : (JSON.parse(last) as { counters: { refusedPublishes: number } }).counters
    },
  }
}

/** CPU seconds (user + system) of a process, from /proc. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return NaN
  }
}
const ownCpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

// ---- 2 and 3. the role through the broker -----------------------------------------------------------

const OFFSET = IN_SESSION - Date.now()
const venueNow = (): number => Date.now() + OFFSET

class Feed {
  readonly monitor: Monitor
  private edges = new Map<string, MqttClient>()
  private readonly t0 = performance.now()
  private next = 0
  published = { messages: 0, faces: 0 }
  /** The monitor's track-rule passes (one per burst of messages): how many, and ms spent in them. */
  readonly passes = { count: 0, ms: 0 }

  constructor(
    venue: Venue,
    private readonly url: string,
    private readonly enc: Encoded[][],
  ) {
    this.monitor = new Monitor({ venue, url, username: 'monitor', password: password('monitor'), dbFile: ':memory:', logger: silentLogger(), clock: venueNow })
  }

  async start(): Promise<void> {
    for (const edge of ['edge-1', 'edge-2']) this.edges.set(edge, await connectAs(this.url, edge))
    await this.monitor.start()
    // count the burst passes: the monitor calls evaluate() once per event-loop turn that brought sightings
    const engine = this.engine
    const evaluate = engine.evaluate.bind(engine)
    engine.evaluate = (now: number) => {
      const t = performance.now()
      try {
        return evaluate(now)
      } finally {
        this.passes.count++
        this.passes.ms += performance.now() - t
      }
    }
  }

  /** The monitor's engine (private to the role; the bench only reads it and counts its passes). */
  get engine(): MonitorEngine {
    const e = (this.monitor as unknown as { engine: MonitorEngine | undefined }).engine
    if (e === undefined) throw new Error('monitor not started')
    return e
  }

  /** Publish the next frame in camera round-robin order; the frame shown follows the wall clock. */
  publishOne(): void {
    const c = this.next++ % CAMERAS.length
    const frame = Math.floor(((performance.now() - this.t0) / 1000) * FPS) % FRAMES
    const e = this.enc[c]![frame]!
    this.edges.get(CAMERAS[c]!.edge)!.publish(e.topic, stamped(e, venueNow()), { qos: 0 })
    this.published.messages++
    this.published.faces += e.faces
  }

  edge(name: string): MqttClient {
    return this.edges.get(name)!
  }

  async stop(): Promise<void> {
    await this.monitor.stop()
    for (const c of this.edges.values()) await c.endAsync()
  }
}

interface RoleResult {
  rate: number
  /** Messages per evaluate() pass, and ms per pass. */
  perPass: number
  passMs: number
  monitorCpu: number
  brokerCpu: number
  tracks: number
  alerts: number
  invalid: number
}

/** Publish as fast as the monitor keeps up for WARM_S + ROLE_S; the rate over the last ROLE_S. */
async function roleRun(venue: Venue, broker: ChildBroker, enc: Encoded[][]): Promise<RoleResult> {
  const feed = new Feed(venue, broker.url, enc)
  await feed.start()
  try {
    const handled = () => feed.monitor.stats().messages
    let stop = false
    const pump = (async () => {
      while (!stop) {
        while (feed.published.messages - handled() < AHEAD) feed.publishOne()
        await new Promise((r) => setImmediate(r))
      }
    })()
    await sleep(WARM_S * 1000)
    const s0 = feed.monitor.stats().sightings
    const m0 = feed.monitor.stats().messages
    const p0 = { ...feed.passes }
    const t0 = performance.now()
    const c0 = [ownCpu(), cpuOf(broker.pid)] as const
    await sleep(ROLE_S * 1000)
    const s1 = feed.monitor.stats()
    const seconds = (performance.now() - t0) / 1000
    const c1 = [ownCpu(), cpuOf(broker.pid)] as const
    const passes = feed.passes.count - p0.count
    const perPass = (s1.messages - m0) / passes
    const passMs = (feed.passes.ms - p0.ms) / passes
    const tracks = feed.engine.fusion.tracks().length
    stop = true
    await pump
    return { rate: (s1.sightings - s0) / seconds, perPass, passMs, monitorCpu: (c1[0] - c0[0]) / seconds, brokerCpu: (c1[1] - c0[1]) / seconds, tracks, alerts: s1.alertsOpened, invalid: s1.invalid }
  } finally {
    await feed.stop()
  }
}

interface LatencyResult {
  rate: number
  e2e: number[]
  hop: number[]
  triggers: number
  missed: number
  inside: { count: number; p50: number; p99: number; max: number }
  otherAlerts: number
  behind: number
  perPass: number
  passMs: number
  cpu: number
}

/**
 * Background load at `rate` sightings/s; after the warm-up, a trigger every TRIGGER_MS. Records capture ->
 * alert at the console per trigger, and capture -> the trigger frame reaching a plain subscriber in this
 * process (the broker hop into the monitor's process, without the monitor's work).
 */
async function latencyRun(venue: Venue, broker: ChildBroker, enc: Encoded[][], rate: number): Promise<LatencyResult> {
  const feed = new Feed(venue, broker.url, enc)
  await feed.start()
  const console_ = await connectAs(broker.url, 'console')
  const probe = await connectAs(broker.url, 'console')
  const vaultEdge = feed.edge(CAMERAS.find((c) => c.id === VAULT_CAMERA)!.edge)
  const vaultTopic = `venue/v1/${SITE}/cameras/${VAULT_CAMERA}/sightings`
  const pending = new Map<string, { k: number; t: number; floor: XY }>()
  const sentAt = new Map<number, number>()
  const seen = new Set<string>()
  const e2e: number[] = []
  const hop: number[] = []
  let otherAlerts = 0
  let triggers = 0
  let missed = 0
  let extra = 0 // vault frames published besides the background: triggers and recognitions
  const frame = (tracks: SightingTrack[], at: number) =>
    JSON.stringify({ schemaVersion: SCHEMA_VERSION, timestamp: new Date(at).toISOString(), camera: VAULT_CAMERA, frameId: ++frameSeq, capturedAt: new Date(at).toISOString(), width_px: 1920, height_px: 1080, tracks })
  const face = (k: number, floor: XY, subject: string): SightingTrack => ({ trackId: `trigger-${k}`, box: [900, 500, 960, 570], floor, subject, score: subject === 'unknown' ? 0.2 : 0.8, liveness: 0.95, quality: 0.85 })
  let bg: NodeJS.Timeout | undefined
  let trig: NodeJS.Timeout | undefined
  try {
    console_.on('message', (_topic, payload) => {
      const arrived = performance.now()
      if (payload.length === 0) return
      const a = JSON.parse(payload.toString()) as { id: string; rule: string; zone: string | null; floor: XY | null; state: string }
      if (seen.has(a.id) || a.state !== 'open') return
      seen.add(a.id)
      const p = a.rule === 'unknown-in-restricted' && a.zone !== null ? pending.get(a.zone) : undefined
      if (p === undefined || a.floor === null || Math.hypot(a.floor[0] - p.floor[0], a.floor[1] - p.floor[1]) > 1e-6) {
        otherAlerts++
        return
      }
      pending.delete(a.zone!)
      e2e.push(arrived - p.t)
      const now = venueNow()
      console_.publish(`venue/v1/${SITE}/commands/alerts`, JSON.stringify({ schemaVersion: SCHEMA_VERSION, timestamp: new Date(now).toISOString(), alertId: a.id, action: 'resolve', by: 'bench', note: '' }), { qos: 1 })
      // the person is recognised a moment later: no longer an unknown track a new trigger could join
      extra++
      vaultEdge.publish(vaultTopic, frame([face(p.k, p.floor, `sub-vis${String(p.k).padStart(4, '0')}`)], now), { qos: 0 })
    })
    await console_.subscribeAsync(`venue/v1/${SITE}/alerts/+`, { qos: 1 })
    probe.on('message', (_topic, payload) => {
      const arrived = performance.now()
      const m = /"trackId":"trigger-(\d+)","box":\[[^\]]*\],"floor":\[[^\]]*\],"subject":"unknown"/.exec(payload.toString())
      const t = m !== null ? sentAt.get(Number(m[1])) : undefined
      if (t !== undefined) hop.push(arrived - t)
    })
    await probe.subscribeAsync(vaultTopic, { qos: 0 })
    const trigger = (): void => {
      const k = triggers++
      // vaults in an order that puts consecutive triggers apart; skip a vault whose last alert is still due
      const order = [0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12, 5, 14, 7]
      for (let j = 0; j < order.length; j++) {
        const v = VAULTS[order[(k + j) % order.length]!]!
        if (pending.has(v.zone)) continue
        const [x0, y0, x1, y1] = v.rect
        const floor: XY = [(x0 + x1) / 2 + ((k % 10) - 4.5) * 0.05, (y0 + y1) / 2 + ((Math.floor(k / 10) % 10) - 4.5) * 0.05]
        const at = venueNow() // capture time: now
        const t = performance.now()
        pending.set(v.zone, { k, t, floor })
        sentAt.set(k, t)
        extra++
        vaultEdge.publish(vaultTopic, frame([face(k, floor, 'unknown')], at), { qos: 0 })
        return
      }
      missed++ // every vault still waits for its alert
    }
    // background at `rate`: every 5 ms, publish the frames due
    const avgFaces = enc.reduce((s, c) => s + (c[0]?.faces ?? 0), 0) / enc.length
    const start = performance.now()
    bg = setInterval(() => {
      const due = (((performance.now() - start) / 1000) * rate) / avgFaces
      while (feed.published.messages < due) feed.publishOne()
    }, 5)
    await sleep(WARM_S * 1000)
    // triggers only now, so that the monitor's own latency figures cover the same alerts as ours
    const s0 = feed.monitor.stats().sightings
    const m0 = feed.monitor.stats().messages
    const p0 = { ...feed.passes }
    const c0 = ownCpu()
    const t0 = performance.now()
    trig = setInterval(trigger, TRIGGER_MS)
    await sleep(LATENCY_S * 1000)
    const seconds = (performance.now() - t0) / 1000
    const s1 = feed.monitor.stats().sightings
    const m1 = feed.monitor.stats().messages
    const cpu = (ownCpu() - c0) / seconds
    const passes = feed.passes.count - p0.count
    const passMs = (feed.passes.ms - p0.ms) / passes
    clearInterval(trig)
    clearInterval(bg)
    await sleep(1000) // let the last alerts arrive
    const st = feed.monitor.stats()
    return { rate: (s1 - s0) / seconds, e2e, hop, triggers, missed: missed + pending.size, inside: st.latency, otherAlerts, behind: feed.published.messages + extra - st.messages, perPass: (m1 - m0) / passes, passMs, cpu }
  } finally {
    clearInterval(trig)
    clearInterval(bg)
    await probe.endAsync()
    await console_.endAsync()
    await feed.stop()
  }
}

// ---- main -------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const t00 = performance.now()
  const venue = await benchVenue()
  const people = crowd()
  const all = frames(people)
  const perMsg = all.map((c) => c[0]!.tracks.length)
  console.log(`venue: ${CAMERAS.length} cameras at ${FPS} fps, ${people.length} people (${people.filter((p) => p.subject.startsWith('sub-ex')).length} experts, ${people.filter((p) => p.subject === 'unknown').length} unknown), ${fmt(Math.min(...perMsg))}-${fmt(Math.max(...perMsg))} faces per frame (mean ${fmt(people.length / CAMERAS.length, 1)}); ${venue.rules.length} rules of ${new Set(venue.rules.map((r) => r.kind)).size} kinds`)
  console.log(`real-time load of this venue: ${fmt(people.length * FPS)} sightings/s\n`)

  // 1. engine alone
  let engineRate = NaN
  if (PHASES.has('1')) {
    const bare = engineBench({ ...venue, rules: [] }, all)
    const full = engineBench(venue, all)
    engineRate = median(full.rates)
    const engineRows = [
      ['engine alone (no MQTT)', 'sightings/s (median)', 'min', 'max', 'ratio', 'live tracks', 'evaluate() ms p50/p99', 'findings'],
      ...([['fusion only (no rules): baseline', bare], ['fusion + 13 rules', full]] as const).map(([name, r]) => [
        name,
        fmt(median(r.rates)),
        fmt(Math.min(...r.rates)),
        fmt(Math.max(...r.rates)),
        `${fmt(median(r.rates) / median(bare.rates), 2)}x`,
        fmt(r.tracks),
        `${fmt(median(r.evalMs), 1)} / ${fmt(quantile(r.evalMs, 0.99), 1)}`,
        fmt(r.findings),
      ]),
    ]
    console.log(`1. engine: sightings() per message, evaluate() every ${ENGINE_BURST} messages; ${ENGINE_RUNS} runs of ${ENGINE_S} s, medians`)
    console.log(table(engineRows))
  }

  // 2 and 3. through the broker
  if (!PHASES.has('2') && !PHASES.has('3')) return
  const enc = all.map((c) => c.map(encode))
  const dir = await tempDir('venue-bench-monitor-')
  const broker = await startChildBroker(dir.path).catch(async (err: unknown) => {
    await dir.remove()
    throw err
  })
  try {
    let rate = NaN
    if (PHASES.has('2')) {
      console.log(`\n2. the monitor role through our broker (broker in a child process; monitor, edge clients and console in this one), QoS 0, <= ${AHEAD} messages ahead of the monitor; ${ROLE_RUNS} runs of ${ROLE_S} s after ${WARM_S} s warm-up, medians`)
      const runs: RoleResult[] = []
      for (let r = 0; r < ROLE_RUNS; r++) runs.push(await roleRun(venue, broker, enc))
      rate = median(runs.map((r) => r.rate))
      console.log(
        table([
          ['monitor role', 'sightings/s (median)', 'min', 'max', 'ratio to engine alone', 'live tracks', 'msgs per evaluate()', 'ms per evaluate()', 'CPU monitor process', 'CPU broker', 'alerts opened', 'invalid'],
          [
            'Monitor + VenueBroker',
            fmt(rate),
            fmt(Math.min(...runs.map((r) => r.rate))),
            fmt(Math.max(...runs.map((r) => r.rate))),
            Number.isNaN(engineRate) ? '-' : `${fmt(rate / engineRate, 2)}x`,
            fmt(median(runs.map((r) => r.tracks))),
            fmt(median(runs.map((r) => r.perPass)), 1),
            fmt(median(runs.map((r) => r.passMs)), 1),
            `${fmt(100 * median(runs.map((r) => r.monitorCpu)))}%`,
            `${fmt(100 * median(runs.map((r) => r.brokerCpu)))}%`,
            fmt(runs.reduce((s, r) => s + r.alerts, 0)),
            fmt(runs.reduce((s, r) => s + r.invalid, 0)),
          ],
        ]),
      )
    }

    // 3. latency
    if (!PHASES.has('3')) return
    const bgRate = Number.isNaN(rate) ? TARGET_RATE : Math.min(TARGET_RATE, Math.floor((0.8 * rate) / 100) * 100)
    const note = bgRate < TARGET_RATE ? ` (the 20,000 target is above what phase 2 sustained: 80% of ${fmt(rate)})` : ''
    console.log(`\n3. latency: background ${fmt(bgRate)} sightings/s${note}, a new unknown person in a vault every ${TRIGGER_MS} ms for ${LATENCY_S} s`)
    const lat = await latencyRun(venue, broker, enc, bgRate)
    console.log(
      table([
        ['latency', 'p50 ms', 'p99 ms', 'max ms', 'samples'],
        ['capture -> alert at the console (end to end, console in this process)', fmt(quantile(lat.e2e, 0.5), 1), fmt(quantile(lat.e2e, 0.99), 1), fmt(Math.max(...lat.e2e), 1), fmt(lat.e2e.length)],
        ['inside the monitor (stats().latency: burst start -> alert handed to MQTT)', fmt(lat.inside.p50, 1), fmt(lat.inside.p99, 1), fmt(lat.inside.max, 1), fmt(lat.inside.count)],
        ['capture -> trigger frame at a plain subscriber (broker hop + this loop)', fmt(quantile(lat.hop, 0.5), 1), fmt(quantile(lat.hop, 0.99), 1), fmt(Math.max(...lat.hop), 1), fmt(lat.hop.length)],
      ]),
    )
    console.log(
      `handled ${fmt(lat.rate)} sightings/s; ${fmt(lat.triggers)} triggers, ${fmt(lat.missed)} without an alert (vaults all waiting, or lost); other alerts opened ${fmt(lat.otherAlerts)}; messages the monitor had not handled 1 s after the end ${fmt(lat.behind)}; ` +
        `${fmt(lat.perPass, 1)} messages per evaluate() pass, ${fmt(lat.passMs, 1)} ms each; CPU of the monitor's process ${fmt(100 * lat.cpu)}%`,
    )
    const p99in = lat.inside.p99
    const p99e2e = quantile(lat.e2e, 0.99)
    console.log(
      `\nsummary: role ${fmt(rate)} sightings/s (target >= ${fmt(TARGET_RATE)}: ${rate >= TARGET_RATE ? 'met' : 'NOT met'}; engine alone ${fmt(engineRate)}); ` +
        `p99 inside the monitor ${fmt(p99in, 1)} ms (target <= ${TARGET_P99_MS}: ${p99in <= TARGET_P99_MS ? 'met' : 'NOT met'}), end to end ${fmt(p99e2e, 1)} ms at ${fmt(bgRate)} sightings/s background`,
    )
  } finally {
    const counters = await broker.stop()
    await dir.remove()
    if (counters !== undefined && counters.refusedPublishes > 0) console.log(`broker refused ${fmt(counters.refusedPublishes)} publishes (ACL or schema): the figures above are suspect`)
    console.log(`(bench took ${fmt((performance.now() - t00) / 1000)} s)`)
  }
}

if (process.argv[2] === '--broker') {
  brokerChild().catch((err) => {
    console.error(err)
    process.exit(1)
  })
} else {
  main().catch((err) => {
    console.error(err)
    process.exitCode = 1
  })
}
