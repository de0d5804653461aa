import { z } from 'zod'
import { envelope, IdRef, SubjectRef, Timestamp } from '../envelope.js'

export const AlertState = z.enum(['open', 'acknowledged', 'resolved'])

export const Alert = z
  .strictObject({
    ...envelope,
    id: IdRef,
    rule: IdRef.describe('rule id from the venue file'),
    kind: z.string().min(1).max(64).describe('rule kind, e.g. wrong_room'),
    severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
    state: AlertState,
    title: z.string().max(200),
    subjects: z.array(z.union([SubjectRef, z.literal('unknown')])),
    zone: IdRef.nullable(),
    floor: z.tuple([z.number(), z.number()]).nullable(),
    cameras: z.array(IdRef),
    robots: z.array(IdRef).default([]),
    firstAt: Timestamp,
    lastAt: Timestamp,
    count: z.number().int().min(1).describe('occurrences folded into this alert by deduplication'),
    escalated: z.boolean().default(false),
    evidence: z
      .array(
        z.strictObject({
          kind: z.enum(['snapshot', 'trajectory', 'note']),
          ref: z.string().max(500),
        }),
      )
      .default([]),
    acknowledged: z.strictObject({ by: z.string().max(64), at: Timestamp }).nullable().default(null),
    resolved: z.strictObject({ by: z.string().max(64), at: Timestamp, note: z.string().max(2000) }).nullable().default(null),
  })
  .describe('Retained with QoS 1 while open or acknowledged; a resolved alert is published once, then the retained copy is cleared.')
export type Alert = z.infer<typeof Alert>

export const AlertAction = z
  .strictObject({
    ...envelope,
    alertId: IdRef,
    action: z.enum(['acknowledge', 'resolve']),
    by: z.string().min(1).max(64).describe('console user'),
    note: z.string().max(2000).default(''),
  })
  .describe('A staff action on an alert, from the console to the monitor.')
export type AlertAction = z.infer<typeof AlertAction>
