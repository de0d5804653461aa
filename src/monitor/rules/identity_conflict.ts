/** identity_conflict: one finding per identity conflict reported by fusion (one subject seen in two places at once). */
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

export function createIdentityConflict(config: RuleOf<'identity_conflict'>, ctx: RuleContext): RuleInstance {
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onConflict(c, now): Finding[] {
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
