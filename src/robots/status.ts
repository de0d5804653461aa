/** A robot's status on the contract (retained), from what its link reports and the faults the fleet found. */
import type { Robot } from '../config/schema/robots.js'
import { stamp } from '../contract/envelope.js'
import type { RobotFaultKind, RobotStatus } from '../contract/venue/missions.js'
import type { LinkSnapshot } from './link.js'

export type Faults = Map<RobotFaultKind, { since: string; detail: string }>

export function modeOf(faults: Faults, s: LinkSnapshot, onMission: boolean, driving: boolean): RobotStatus['mode'] {
  if (faults.has('fatal_error') || faults.has('stuck')) return 'fault'
  if (s.paused) return 'paused'
  if (s.charging) return 'charging'
  if (onMission) return 'mission'
  return driving ? 'docking' : 'idle'
}

export function robotStatus(robot: Robot, s: LinkSnapshot, mode: RobotStatus['mode'], mission: string | null, faults: Faults, now: number): RobotStatus {
  return {
    ...stamp(new Date(now)),
    robot: robot.id,
    kind: robot.kind,
    connection: s.connection,
    mode,
    battery_pct: s.battery_pct === null ? null : Math.max(0, Math.min(100, s.battery_pct)),
    floor: s.floor,
    theta_rad: s.theta,
    node: s.node,
    mission,
    errors: s.errors.map((e) => `${e.level} ${e.type}: ${e.description}`.slice(0, 200)),
    faults: [...faults].map(([kind, f]) => ({ kind, since: f.since, detail: f.detail })),
  }
}
