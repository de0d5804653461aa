/** robot_fault: placeholder until its module is written (no hooks: it raises nothing). */
import type { RuleContext, RuleInstance, RuleOf } from './types.js'

export function createRobotFault(config: RuleOf<'robot_fault'>, _ctx: RuleContext): RuleInstance {
  return { id: config.id, kind: config.kind, enabled: true }
}
