/** Rule registry: `createRule` picks the module of a rule's kind. */
import type { Rule, RuleKind } from '../../config/schema/rules.js'
import { createCameraHealth } from './camera_health.js'
import { createCrossProjectContact } from './cross_project_contact.js'
import { createIdentityConflict } from './identity_conflict.js'
import type { RuleContext, RuleInstance } from './types.js'
import { createUnknownInRestricted } from './unknown_in_restricted.js'
import { createWrongRoom } from './wrong_room.js'

export * from './types.js'
export { createRuleContext } from './context.js'
export { DwellTimers } from './timers.js'
export { DEFAULT_RESTRICTED_KINDS, createUnknownInRestricted } from './unknown_in_restricted.js'
export { createWrongRoom } from './wrong_room.js'
export { createCrossProjectContact } from './cross_project_contact.js'
export { createIdentityConflict } from './identity_conflict.js'
export { createCameraHealth } from './camera_health.js'

export const IMPLEMENTED_KINDS: readonly RuleKind[] = [
  'unknown_in_restricted',
  'wrong_room',
  'cross_project_contact',
  'identity_conflict',
  'camera_health',
]

/**
 * A rule instance for a config entry, or undefined for a kind not implemented yet (the caller logs it).
 * A rule with `enabled: false` gets an instance with no hooks: it never raises a finding.
 */
export function createRule(config: Rule, ctx: RuleContext): RuleInstance | undefined {
  if (!IMPLEMENTED_KINDS.includes(config.kind)) return undefined
  if (!config.enabled) return { id: config.id, kind: config.kind, enabled: false }
  switch (config.kind) {
    case 'unknown_in_restricted':
      return createUnknownInRestricted(config, ctx)
    case 'wrong_room':
      return createWrongRoom(config, ctx)
    case 'cross_project_contact':
      return createCrossProjectContact(config, ctx)
    case 'identity_conflict':
      return createIdentityConflict(config, ctx)
    case 'camera_health':
      return createCameraHealth(config, ctx)
    default:
      return undefined
  }
}

/** Create every rule of a venue; `skipped` lists rules whose kind is not implemented. */
export function createRules(rules: readonly Rule[], ctx: RuleContext): { rules: RuleInstance[]; skipped: Rule[] } {
  const out: RuleInstance[] = []
  const skipped: Rule[] = []
  for (const r of rules) {
    const inst = createRule(r, ctx)
    if (inst) out.push(inst)
    else skipped.push(r)
  }
  return { rules: out, skipped }
}
