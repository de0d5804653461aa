/** Rule registry: `createRule` picks the module of a rule's kind. */
import type { Rule } from '../../config/schema/rules.js'
import { createCameraHealth } from './camera_health.js'
import { createCrossProjectContact } from './cross_project_contact.js'
import { createCrowding } from './crowding.js'
import { createExpertAbsent } from './expert_absent.js'
import { createExpertWithUnauthorised } from './expert_with_unauthorised.js'
import { createIdentityConflict } from './identity_conflict.js'
import { createLoitering } from './loitering.js'
import { createOutsideSessionWindow } from './outside_session_window.js'
import { createRobotFault } from './robot_fault.js'
import { createSpoofAttempt } from './spoof_attempt.js'
import { createTailgating } from './tailgating.js'
import { createUnknownInRestricted } from './unknown_in_restricted.js'
import { createWrongRoom } from './wrong_room.js'
import type { RuleContext, RuleInstance } from './types.js'

export * from './types.js'
export { createRuleContext } from './context.js'
export { DwellTimers, trackDwellRule } from './timers.js'
export { DEFAULT_RESTRICTED_KINDS } from './unknown_in_restricted.js'

/**
 * A rule instance for a config entry. A rule with `enabled: false` gets an instance with no hooks: it
 * never raises a finding.
 */
export function createRule(config: Rule, ctx: RuleContext): RuleInstance {
  if (!config.enabled) return { id: config.id, kind: config.kind, enabled: false }
  switch (config.kind) {
    case 'unknown_in_restricted':
      return createUnknownInRestricted(config, ctx)
    case 'wrong_room':
      return createWrongRoom(config, ctx)
    case 'cross_project_contact':
      return createCrossProjectContact(config, ctx)
    case 'expert_with_unauthorised':
      return createExpertWithUnauthorised(config, ctx)
    case 'expert_absent':
      return createExpertAbsent(config, ctx)
    case 'loitering':
      return createLoitering(config, ctx)
    case 'outside_session_window':
      return createOutsideSessionWindow(config, ctx)
    case 'crowding':
      return createCrowding(config, ctx)
    case 'spoof_attempt':
      return createSpoofAttempt(config, ctx)
    case 'identity_conflict':
      return createIdentityConflict(config, ctx)
    case 'tailgating':
      return createTailgating(config, ctx)
    case 'camera_health':
      return createCameraHealth(config, ctx)
    case 'robot_fault':
      return createRobotFault(config, ctx)
  }
}

/** Create every rule of a venue. */
export function createRules(rules: readonly Rule[], ctx: RuleContext): RuleInstance[] {
  return rules.map((r) => createRule(r, ctx))
}
