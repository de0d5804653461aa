import { z } from 'zod'
import { Id } from './common.js'

/** Experts are known only by pseudonymous subject ids on the bus and in the venue file. */
export const SubjectId = z
  .string()
  .regex(/^sub-[a-z0-9]{4,32}$/, 'a subject id is "sub-" followed by 4-32 lower-case letters or digits')

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM (24 h, site time zone)')

export const Session = z.strictObject({
  id: Id,
  start: LocalTime,
  end: LocalTime,
  arrivalWindow_min: z.number().int().min(0).max(240).default(30).describe('how early experts may arrive'),
})
export type Session = z.infer<typeof Session>

export const Project = z.strictObject({
  id: Id,
  name: z.string().min(1).optional(),
  session: Id,
  rooms: z.array(Id).min(1).describe('evaluation rooms of this project'),
  experts: z.array(SubjectId).min(1).describe('experts drawn for this project'),
})
export type Project = z.infer<typeof Project>

export const Staff = z.strictObject({
  subject: SubjectId,
  role: z.string().min(1).describe('what they do, e.g. host, cleaner, supervisor'),
  zones: z.array(Id).min(1).describe('zones they may enter'),
})
export type Staff = z.infer<typeof Staff>

export const Roster = z.strictObject({
  date: z
    .union([z.literal('today'), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')])
    .default('today')
    .describe('day of the sessions; "today" follows the clock (demo venues)'),
  retention_days: z.number().int().min(0).max(3650).default(30).describe('face templates and identities are purged after this'),
  sessions: z.array(Session).min(1),
  projects: z.array(Project).min(1),
  staff: z.array(Staff).default([]),
})
export type Roster = z.infer<typeof Roster>
