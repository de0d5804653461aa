/**
 * A robot as the fleet keeps it, and the fleet's watch over its health: what each report from the
 * robot changes (battery, connection, FATAL errors) and what the per-tick watchdog finds missing
 * (no report for `stateTimeout_s`, no node reached for `noProgress_s`, a guard too low to stay on
 * duty). Faults go back through the hooks; fleet.ts decides what they do to missions.
 */
import type { FleetConfig } from '../config/schema/fleet.js'
import type { Robot } from '../config/schema/robots.js'
import type { RobotFaultKind, RobotStatus } from '../contract/venue/missions.js'
import type { RobotDriver } from './driver.js'
import type { Mission } from './missions.js'
import type { Faults } from './status.js'

export interface FleetRobot {
  robot: Robot
  driver: RobotDriver
  mission: Mission | null
  faults: Faults
  charging: boolean
  /** Sent to charge: out of allocation until it reaches battery.ready_pct. */
  needsCharge: boolean
  lastPublished: number
  lastMode: RobotStatus['mode'] | null
  /** After a failed trip: out of allocation until then (fleet clock), so a failure cannot loop. */
  heldUntil: number
}

export interface HealthHooks {
  fault(rt: FleetRobot, kind: RobotFaultKind, detail: string): void
  /** Send an idle robot to its dock (to charge, when it needs to). */
  sendHome(rt: FleetRobot): void
  /** A guard low on battery leaves its post to charge; the post waits for a robot. */
  relieveGuard(rt: FleetRobot, m: Mission): void
  /** A robot came back into service. */
  available(): void
  /** Publish the robot's status, now (`force`) or when its mode changed or the interval passed. */
  publishStatus(rt: FleetRobot, force: boolean): void
}

/** What one report from the robot changes. */
export function onReport(rt: FleetRobot, hooks: HealthHooks): void {
  const s = rt.driver.link.snapshot()
  const low = rt.robot.battery.low_pct
  if (s.battery_pct !== null && s.battery_pct < low && !rt.needsCharge) {
    rt.needsCharge = true
    // rounded down: 24.6 % is not '25% < 25%'
    hooks.fault(rt, 'low_battery', `battery ${Math.floor(s.battery_pct)}% < ${low}%`)
    if (!rt.driver.busy) hooks.sendHome(rt)
  }
  if (rt.needsCharge && s.battery_pct !== null && s.battery_pct >= rt.robot.battery.ready_pct) {
    rt.needsCharge = false
    rt.faults.delete('low_battery')
    void rt.driver.link.charge(false)
    hooks.available()
  }
  // CONNECTIONBROKEN (the vehicle's last will) is a fault; OFFLINE is a robot switched off on purpose,
  // and one never heard from is simply not there yet (VDA 5050 6.14)
  if (s.connection !== 'connectionbroken') rt.faults.delete('disconnected')
  else if (!rt.faults.has('disconnected')) hooks.fault(rt, 'disconnected', 'connection broken (last will)')
  const fatal = s.errors.find((e) => e.level === 'FATAL')
  if (fatal !== undefined && !rt.faults.has('fatal_error')) hooks.fault(rt, 'fatal_error', `${fatal.type}: ${fatal.description}`)
  if (fatal === undefined) rt.faults.delete('fatal_error')
  if (s.reportedAt > 0) rt.faults.delete('lost')
  hooks.publishStatus(rt, false)
}

/** The per-tick watchdog: what a robot that stopped reporting or moving has not said. */
export function watch(rt: FleetRobot, now: number, cfg: FleetConfig, hooks: HealthHooks): void {
  const s = rt.driver.link.snapshot()
  if (s.connection === 'online' && s.reportedAt > 0 && now - s.reportedAt > cfg.stateTimeout_s * 1000 && !rt.faults.has('lost')) {
    hooks.fault(rt, 'lost', `no state for ${((now - s.reportedAt) / 1000).toFixed(0)} s`)
    rt.driver.fail('robot lost: no state')
  }
  // a guard stands on duty with no trip running: low on battery, it hands the post back and charges
  if (rt.needsCharge && !rt.driver.busy && rt.mission?.kind === 'guard') hooks.relieveGuard(rt, rt.mission)
  // waiting for a person (a hatch) or for a lane another robot holds is not being stuck
  rt.driver.poll()
  const d = rt.driver
  if (d.busy && !d.waitingOnAction && !d.dwelling && d.blockedSince === undefined && now - d.lastProgressAt > cfg.noProgress_s * 1000 && !rt.faults.has('stuck')) {
    hooks.fault(rt, 'stuck', `no node reached for ${cfg.noProgress_s} s`)
    d.fail('robot stuck: no progress')
  }
  if ((s.connection !== 'online' || rt.faults.has('fatal_error')) && d.busy) d.fail(rt.faults.has('fatal_error') ? 'fatal error' : `connection ${s.connection}`)
  if (now - rt.lastPublished >= cfg.statusInterval_ms * 5) hooks.publishStatus(rt, true)
}
