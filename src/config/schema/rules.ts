import { z } from 'zod'
import { Id, Severity, ZoneKind } from './common.js'

export const Response = z.strictObject({
  notify: z.boolean().default(true).describe('show on the console'),
  dispatch: z.enum(['none', 'verify', 'patrol']).default('none').describe('ask the fleet to send a robot'),
  escalateAfter_s: z.number().int().min(0).max(86400).default(120).describe('raise severity when not acknowledged in time; 0 never'),
})

const base = {
  id: Id,
  enabled: z.boolean().default(true),
  severity: Severity,
  response: Response.default({ notify: true, dispatch: 'none', escalateAfter_s: 120 }),
}

const zoneSelector = {
  zones: z.array(Id).optional().describe('zone ids; default: by kinds'),
  zoneKinds: z.array(ZoneKind).optional(),
}

export const Rule = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('unknown_in_restricted'), ...zoneSelector, dwell_s: z.number().min(0).default(2) }),
  z.strictObject({ ...base, kind: z.literal('wrong_room'), grace_s: z.number().min(0).default(5) }),
  z.strictObject({
    ...base,
    kind: z.literal('cross_project_contact'),
    distance_m: z.number().positive().default(2),
    duration_s: z.number().min(0).default(5),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('expert_with_unauthorised'),
    distance_m: z.number().positive().default(1.5),
    duration_s: z.number().min(0).default(5),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('expert_absent'),
    absence_s: z.number().min(0).default(900).describe('out of the room this long during the session'),
    earlyLeave: z.boolean().default(true).describe('also alert on leaving the venue before the session ends'),
  }),
  z.strictObject({ ...base, kind: z.literal('loitering'), ...zoneSelector, dwell_s: z.number().positive().default(300) }),
  z.strictObject({ ...base, kind: z.literal('outside_session_window'), margin_s: z.number().min(0).default(600) }),
  z.strictObject({ ...base, kind: z.literal('crowding'), ...zoneSelector, maxPeople: z.number().int().positive().optional() }),
  z.strictObject({ ...base, kind: z.literal('spoof_attempt'), liveness_min: z.number().min(0).max(1).default(0.5), frames: z.number().int().min(1).default(3).describe('frames of a camera track below liveness_min (of its last max(frames, 5)) that raise the alert') }),
  z.strictObject({ ...base, kind: z.literal('identity_conflict'), maxSpeed_mps: z.number().positive().default(3) }),
  z.strictObject({ ...base, kind: z.literal('tailgating'), gate: Id.describe('door id of the check-in gate'), window_s: z.number().positive().default(5) }),
  z.strictObject({
    ...base,
    kind: z.literal('camera_health'),
    statuses: z.array(z.enum(['offline', 'stalled', 'frozen', 'dark', 'tampered'])).default(['offline', 'frozen', 'dark', 'tampered']),
    after_s: z.number().min(0).default(3),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('robot_fault'),
    faults: z.array(z.enum(['stuck', 'lost', 'low_battery', 'mission_failed', 'disconnected', 'fatal_error'])).default([
      'stuck',
      'lost',
      'low_battery',
      'mission_failed',
      'disconnected',
      'fatal_error',
    ]),
  }),
])
export type Rule = z.infer<typeof Rule>
export type RuleKind = Rule['kind']
