import { z } from 'zod'
import { envelope, IdRef, SubjectRef, Timestamp } from '../envelope.js'

export const PersonTrack = z.strictObject({
  id: z.string().min(1).max(64).describe('venue-level track id'),
  subject: z.union([SubjectRef, z.literal('unknown')]),
  category: z.enum(['expert', 'staff', 'unknown', 'other']),
  project: IdRef.nullable().describe('project of an expert, for colour on the map; never a name'),
  zone: IdRef.nullable(),
  floor: z.tuple([z.number(), z.number()]),
  cameras: z.array(IdRef),
  lastSeenAt: Timestamp,
})
export type PersonTrack = z.infer<typeof PersonTrack>

export const Tracks = z
  .strictObject({
    ...envelope,
    tracks: z.array(PersonTrack).max(5000),
  })
  .describe('Monitor output: every venue-level person track, published a few times a second.')
export type Tracks = z.infer<typeof Tracks>
