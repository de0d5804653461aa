/**
 * loitering: a person staying in one selected zone (default kinds: corridor, entrance, exit, restroom)
 * for >= dwell_s. Staff in a zone they may enter are on their rounds, not loitering.
 */
import type { ZoneKind } from '../../config/schema/common.js'
import { trackDwellRule, trackFinding } from './timers.js'
import type { RuleContext, RuleInstance, RuleOf } from './types.js'

export const DEFAULT_LOITERING_KINDS: readonly ZoneKind[] = ['corridor', 'entrance', 'exit', 'restroom']

export function createLoitering(config: RuleOf<'loitering'>, ctx: RuleContext): RuleInstance {
  const zones = new Set(ctx.selectZones(config, DEFAULT_LOITERING_KINDS))
  return trackDwellRule(
    config,
    config.dwell_s,
    (t) => {
      if (t.zone === null || !zones.has(t.zone)) return undefined
      if (t.subject !== 'unknown' && ctx.staffZones(t.subject).includes(t.zone)) return undefined
      // Keyed by track and zone: moving to another zone starts a new dwell.
      return `${t.id}\u0000${t.zone}`
    },
    (t, now, since) => trackFinding(config, t, `${t.subject === 'unknown' ? 'Unknown person' : `Person (${t.category})`} in ${t.zone} for ${config.dwell_s} s`, now, since),
    // Loitering is standing still: tracks may not change for minutes, so the dwell must fire on tick too.
    { tick: true },
  )
}
