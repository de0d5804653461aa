/** expert_with_unauthorised: placeholder until its module is written (no hooks: it raises nothing). */
import type { RuleContext, RuleInstance, RuleOf } from './types.js'

export function createExpertWithUnauthorised(config: RuleOf<'expert_with_unauthorised'>, _ctx: RuleContext): RuleInstance {
  return { id: config.id, kind: config.kind, enabled: true }
}
