import { z } from 'zod'

/** Version of the venue payload schemas; bumped on any incompatible change (semver). */
export const SCHEMA_VERSION = '1.0.0'

/** ISO 8601 UTC timestamp with milliseconds, as `new Date().toISOString()` writes it. */
export const Timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time')

/** Every venue payload starts with these two fields. */
export const envelope = {
  schemaVersion: z.string().regex(/^1\.\d+\.\d+$/, 'schemaVersion 1.x.y').describe('payload schema version (semver)'),
  timestamp: Timestamp.describe('when the sender produced the message'),
}

export function stamp(now: Date = new Date()): { schemaVersion: string; timestamp: string } {
  return { schemaVersion: SCHEMA_VERSION, timestamp: now.toISOString() }
}

/** Pseudonymous subject id, the only way an expert appears on the bus. */
export const SubjectRef = z.string().regex(/^sub-[a-z0-9]{4,32}$/)
export const IdRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)
