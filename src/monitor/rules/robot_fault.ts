/**
 * robot_fault: a robot fault of a listed kind. Faults come from the fleet's `faults` list, plus
 * `disconnected` when the robot is not online and `low_battery` below the robot's battery.low_pct, so
 * the rule works even when the fleet has not classified them. Each (robot, kind) fires once when it
 * appears and again only after it has cleared.
 */
import { RobotFaultKind, type RobotStatus } from '../../contract/venue/missions.js'
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

// Compile-time check: the config's fault enum and the contract's RobotFaultKind list the same kinds,
// so a kind added to one side only fails the build instead of being silently never raised.
type ConfigFaultKind = RuleOf<'robot_fault'>['faults'][number]
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export const FAULT_KINDS_MATCH: Same<ConfigFaultKind, RobotFaultKind> = true

/** Present faults of a status, kind -> since (epoch ms) when the fleet gave one. */
function faultsOf(s: RobotStatus, lowPct: number | null): Map<RobotFaultKind, number | undefined> {
  const out = new Map<RobotFaultKind, number | undefined>()
  for (const f of s.faults) {
    const since = Date.parse(f.since)
    out.set(f.kind, Number.isFinite(since) ? since : undefined)
  }
  // a broken connection (the robot's last will) is a fault; OFFLINE is a robot switched off on purpose (VDA 5050 6.14)
  if (s.connection === 'connectionbroken' && !out.has('disconnected')) out.set('disconnected', undefined)
  if (s.battery_pct !== null && lowPct !== null && s.battery_pct < lowPct && !out.has('low_battery')) out.set('low_battery', undefined)
  return out
}

export function createRobotFault(config: RuleOf<'robot_fault'>, ctx: RuleContext): RuleInstance {
  const watched = new Set<RobotFaultKind>(config.faults)
  const active = new Map<string, Set<RobotFaultKind>>()
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onRobotStatus(s, now): Finding[] {
      const current = faultsOf(s, ctx.robotLowBattery(s.robot))
      const before = active.get(s.robot) ?? new Set<RobotFaultKind>()
      const after = new Set<RobotFaultKind>()
      const out: Finding[] = []
      // Contract order, so several new faults in one status come out in a stable order.
      for (const kind of RobotFaultKind.options) {
        if (!watched.has(kind) || !current.has(kind)) continue
        after.add(kind)
        if (before.has(kind)) continue
        const detail = s.faults.find((f) => f.kind === kind)?.detail ?? ''
        out.push(
          makeFinding(config, {
            title: `Robot ${s.robot}: ${kind.replaceAll('_', ' ')}${detail ? ` (${detail})` : ''}`,
            subjects: [],
            robots: [s.robot],
            zone: s.floor ? ctx.zoneAt(s.floor) : null,
            floor: s.floor,
            cameras: [],
            at: now,
            since: current.get(kind),
            dedupExtra: `${s.robot}:${kind}`,
          }),
        )
      }
      // A fault missing from this status has cleared: forget it so its return fires again.
      if (after.size > 0) active.set(s.robot, after)
      else active.delete(s.robot)
      return out
    },
  }
}
