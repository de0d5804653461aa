/**
 * identity_conflict: one subject seen in two places at once. Fusion reports every pair of sightings of
 * a subject that its own walking-speed gate cannot join; this rule keeps those that its
 * `maxSpeed_mps` cannot join either, allowing TOLERANCE_M for the two cameras' calibration and
 * detection errors, which add up. A look-alike or a photo elsewhere is further apart than that.
 */
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

/** Position error allowed between two cameras' floor points, m: each camera's error is up to ~1 m. */
const TOLERANCE_M = 3

export function createIdentityConflict(config: RuleOf<'identity_conflict'>, ctx: RuleContext): RuleInstance {
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onConflict(c, now): Finding[] {
      const dt_s = Math.abs(Date.parse(c.a.at) - Date.parse(c.b.at)) / 1000
      if (c.distance_m <= config.maxSpeed_mps * dt_s + TOLERANCE_M) return []
      return [
        makeFinding(config, {
          title: `Subject seen in two places ${c.distance_m.toFixed(1)} m apart (cameras ${c.a.camera}, ${c.b.camera})`,
          subjects: [c.subject],
          zone: ctx.zoneAt(c.a.floor),
          floor: c.a.floor,
          cameras: [c.a.camera, c.b.camera],
          at: now,
        }),
      ]
    },
  }
}
