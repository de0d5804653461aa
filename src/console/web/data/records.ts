import { arr, each, isRecord, oneOf, optNum, optStr, point, record, str, strings, time, ParseError, type XY } from './narrow.js'

/** The page's view of the contract payloads (src/contract/venue): only the fields it shows. */

export type Category = 'expert' | 'staff' | 'unknown' | 'other'
export interface Track { id: string; subject: string; category: Category; project: string | null; zone: string | null; floor: XY; lastSeenAt: number | null }

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]
export type AlertState = 'open' | 'acknowledged' | 'resolved'
export interface Evidence { kind: string; ref: string }
export interface Alert {
  id: string
  kind: string
  rule: string
  severity: Severity
  state: AlertState
  title: string
  subjects: string[]
  zone: string | null
  floor: XY | null
  cameras: string[]
  robots: string[]
  firstAt: number
  lastAt: number
  raisedAt: number | null
  count: number
  escalated: boolean
  evidence: Evidence[]
  acknowledged: { by: string; at: number | null } | null
  resolved: { by: string; at: number | null; note: string } | null
}

export const ROBOT_MODES = ['idle', 'mission', 'charging', 'docking', 'fault', 'paused'] as const
export type RobotMode = (typeof ROBOT_MODES)[number]
export interface RobotStatus {
  robot: string
  kind: string
  connection: 'online' | 'offline' | 'connectionbroken'
  mode: RobotMode
  battery: number | null
  floor: XY | null
  theta: number | null
  node: string | null
  mission: string | null
  errors: string[]
  faults: string[]
  at: number | null
}

export const CAMERA_STATES = ['online', 'stalled', 'frozen', 'dark', 'tampered', 'offline'] as const
export type CameraState = (typeof CAMERA_STATES)[number]
export interface CameraStatus { camera: string; state: CameraState; fps: number; lastFrameAt: number | null; since: number | null; detail: string | null; at: number | null }

export const MISSION_STATES = ['queued', 'assigned', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const
export type MissionPhase = (typeof MISSION_STATES)[number]
export interface Mission { missionId: string; requestId: string | null; kind: string; robot: string | null; state: MissionPhase; step: string; progress: number; reason: string | null; at: number | null }

export function parseTrack(v: unknown): Track {
  const o = record(v, 'track')
  const floor = point(o['floor'])
  if (floor === null) throw new ParseError('track without a floor position')
  return {
    id: str(o, 'id'),
    subject: str(o, 'subject'),
    category: oneOf(o, 'category', ['expert', 'staff', 'unknown', 'other'], 'unknown'),
    project: optStr(o, 'project'),
    zone: optStr(o, 'zone'),
    floor,
    lastSeenAt: time(o, 'lastSeenAt'),
  }
}

export function parseAlert(v: unknown): Alert {
  const o = record(v, 'alert')
  const firstAt = time(o, 'firstAt')
  if (firstAt === null) throw new ParseError('alert without firstAt')
  const ack = isRecord(o['acknowledged']) ? o['acknowledged'] : null
  const res = isRecord(o['resolved']) ? o['resolved'] : null
  return {
    id: str(o, 'id'),
    kind: str(o, 'kind'),
    rule: optStr(o, 'rule') ?? '',
    severity: oneOf(o, 'severity', SEVERITIES, 'medium'),
    state: oneOf(o, 'state', ['open', 'acknowledged', 'resolved'], 'open'),
    title: optStr(o, 'title') ?? '',
    subjects: strings(o, 'subjects'),
    zone: optStr(o, 'zone'),
    floor: point(o['floor']),
    cameras: strings(o, 'cameras'),
    robots: strings(o, 'robots'),
    firstAt,
    lastAt: time(o, 'lastAt') ?? firstAt,
    raisedAt: time(o, 'timestamp'),
    count: optNum(o, 'count') ?? 1,
    escalated: o['escalated'] === true,
    evidence: each(arr(o, 'evidence'), (e) => {
      const r = record(e, 'evidence')
      return { kind: str(r, 'kind'), ref: str(r, 'ref') }
    }),
    acknowledged: ack === null ? null : { by: optStr(ack, 'by') ?? '', at: time(ack, 'at') },
    resolved: res === null ? null : { by: optStr(res, 'by') ?? '', at: time(res, 'at'), note: optStr(res, 'note') ?? '' },
  }
}

export function parseRobotStatus(v: unknown): RobotStatus {
  const o = record(v, 'robot status')
  const battery = optNum(o, 'battery_pct')
  return {
    robot: str(o, 'robot'),
    kind: optStr(o, 'kind') ?? '',
    connection: oneOf(o, 'connection', ['online', 'offline', 'connectionbroken'], 'offline'),
    mode: oneOf(o, 'mode', ROBOT_MODES, 'idle'),
    battery,
    floor: point(o['floor']),
    theta: optNum(o, 'theta_rad'),
    node: optStr(o, 'node'),
    mission: optStr(o, 'mission'),
    errors: strings(o, 'errors'),
    faults: each(arr(o, 'faults'), (f) => str(record(f, 'fault'), 'kind')),
    at: time(o, 'timestamp'),
  }
}

export function parseCameraStatus(v: unknown): CameraStatus {
  const o = record(v, 'camera status')
  return {
    camera: str(o, 'camera'),
    state: oneOf(o, 'state', CAMERA_STATES, 'offline'),
    fps: optNum(o, 'fps') ?? 0,
    lastFrameAt: time(o, 'lastFrameAt'),
    since: time(o, 'since'),
    detail: optStr(o, 'detail'),
    at: time(o, 'timestamp'),
  }
}

export function parseMission(v: unknown): Mission {
  const o = record(v, 'mission')
  return {
    missionId: str(o, 'missionId'),
    requestId: optStr(o, 'requestId'),
    kind: str(o, 'kind'),
    robot: optStr(o, 'robot'),
    state: oneOf(o, 'state', MISSION_STATES, 'queued'),
    step: optStr(o, 'step') ?? '',
    progress: optNum(o, 'progress') ?? 0,
    reason: optStr(o, 'reason'),
    at: time(o, 'timestamp'),
  }
}

export function missionActive(m: Mission): boolean {
  return m.state === 'queued' || m.state === 'assigned' || m.state === 'running' || m.state === 'paused'
}
