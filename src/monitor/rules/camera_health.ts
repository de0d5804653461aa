/**
 * camera_health: a camera whose status is one of `statuses` for >= after_s. The time counts from the
 * status's `since` (when the state began), so a retained status that is already old fires at once;
 * `onTick` fires timers that expire between status messages.
 */
import type { CameraStatus } from '../../contract/venue/status.js'
import { DwellTimers } from './timers.js'
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

export function createCameraHealth(config: RuleOf<'camera_health'>, ctx: RuleContext): RuleInstance {
  const statuses = new Set<string>(config.statuses)
  const timers = new DwellTimers<CameraStatus>(config.after_s * 1000)
  const toFinding = (s: CameraStatus, now: number): Finding =>
    makeFinding(config, {
      title: `Camera ${s.camera} ${s.state}${s.detail ? `: ${s.detail}` : ''}`,
      subjects: [],
      zone: ctx.cameraZones(s.camera)[0] ?? null,
      floor: null,
      cameras: [s.camera],
      at: now,
      dedupExtra: s.camera,
    })
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onCameraStatus(s, now): Finding[] {
      if (!statuses.has(s.state)) {
        timers.delete(s.camera)
        return []
      }
      const since = Date.parse(s.since)
      timers.set(`${s.camera}`, s, Number.isFinite(since) ? Math.min(since, now) : now)
      return timers.tick(now).map((x) => toFinding(x, now))
    },
    onTick(now): Finding[] {
      return timers.tick(now).map((x) => toFinding(x, now))
    },
  }
}
