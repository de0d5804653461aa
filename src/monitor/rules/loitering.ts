/** loitering: placeholder until its module is written (no hooks: it raises nothing). */
import type { RuleContext, RuleInstance, RuleOf } from './types.js'

export function createLoitering(config: RuleOf<'loitering'>, _ctx: RuleContext): RuleInstance {
  return { id: config.id, kind: config.kind, enabled: true }
}
