/** unknown_in_restricted: an unknown person in a selected zone (default kinds: restricted, evaluation_room) for >= dwell_s. */
import type { ZoneKind } from '../../config/schema/common.js'
import { trackDwellRule, trackFinding } from './timers.js'
import type { RuleContext, RuleInstance, RuleOf } from './types.js'

export const DEFAULT_RESTRICTED_KINDS: readonly ZoneKind[] = ['restricted', 'evaluation_room']

export function createUnknownInRestricted(config: RuleOf<'unknown_in_restricted'>, ctx: RuleContext): RuleInstance {
  const zones = new Set(ctx.selectZones(config, DEFAULT_RESTRICTED_KINDS))
  return trackDwellRule(
    config,
    config.dwell_s,
    (t) => (t.category === 'unknown' && t.zone !== null && zones.has(t.zone) ? `${t.id}\u0000${t.zone}` : undefined),
    (t, now, since) => trackFinding(config, t, `Unknown person in ${t.zone} for ${config.dwell_s} s`, now, since),
  )
}
