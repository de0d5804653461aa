/** outside_session_window: placeholder until its module is written (no hooks: it raises nothing). */
import type { RuleContext, RuleInstance, RuleOf } from './types.js'

export function createOutsideSessionWindow(config: RuleOf<'outside_session_window'>, _ctx: RuleContext): RuleInstance {
  return { id: config.id, kind: config.kind, enabled: true }
}
