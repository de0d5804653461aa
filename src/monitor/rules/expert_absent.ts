/** expert_absent: placeholder until its module is written (no hooks: it raises nothing). */
import type { RuleContext, RuleInstance, RuleOf } from './types.js'

export function createExpertAbsent(config: RuleOf<'expert_absent'>, _ctx: RuleContext): RuleInstance {
  return { id: config.id, kind: config.kind, enabled: true }
}
