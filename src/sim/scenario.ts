/**
 * Scenario files (YAML): a venue, a start time, a duration, a seed, a timeline of deviations, and the
 * alerts that must follow. Parsed by a schema like every outside input; problems are reported with
 * the file's line numbers.
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { z } from 'zod'
import { Id } from '../config/schema/common.js'
import { SubjectId } from '../config/schema/roster.js'

const At = z.number().min(0).describe('seconds after the scenario starts')

export const ScenarioDeviation = z.discriminatedUnion('kind', [
  z.strictObject({ at_s: At, kind: z.literal('wrong_room'), subject: SubjectId, room: Id, for_s: z.number().positive().default(120) }),
  z.strictObject({ at_s: At, kind: z.literal('cross_project_meeting'), subjects: z.tuple([SubjectId, SubjectId]), zone: Id, for_s: z.number().positive().default(60) }),
  z.strictObject({ at_s: At, kind: z.literal('tailgate'), behind: SubjectId }),
  z.strictObject({ at_s: At, kind: z.literal('leave_early'), subject: SubjectId }),
  z.strictObject({ at_s: At, kind: z.literal('photo_at_checkin'), subject: SubjectId }),
  z.strictObject({ at_s: At, kind: z.literal('intruder'), zone: Id, for_s: z.number().positive().default(60) }),
  z.strictObject({ at_s: At, kind: z.literal('camera_covered'), camera: Id, for_s: z.number().positive().default(60) }),
  z.strictObject({ at_s: At, kind: z.literal('robot_breakdown'), robot: Id }),
])
export type ScenarioDeviation = z.infer<typeof ScenarioDeviation>

export const Expectation = z.strictObject({
  rule: Id.describe('rule id from the venue file'),
  subjects: z.array(z.union([SubjectId, z.literal('unknown')])).optional().describe('every one of these must be among the alert\'s subjects'),
  zone: Id.optional(),
  robots: z.array(Id).optional(),
  cameras: z.array(Id).optional(),
  from_s: At.describe('earliest the alert may open'),
  to_s: At.describe('latest the alert may open'),
  optional: z.boolean().default(false).describe('may follow (a consequence of the deviation) but need not: not counted in recall, and not a false alert'),
  repeat: z.boolean().default(false).describe('every matching alert belongs to this expectation, not just the first'),
})
export type Expectation = z.infer<typeof Expectation>

export const Scenario = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  venue: z.string().min(1).default('demo').describe('venue file, relative to the scenario file; "demo" for the built-in demo venue'),
  start: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'start is a site-local time of day, HH:MM, on the roster\'s day')
    .describe('site-local time on the roster\'s day'),
  duration_s: z.number().positive().max(86_400),
  seed: z.number().int().default(1),
  speed: z.number().positive().max(1000).default(10).describe('sim seconds per wall second (the command line may override)'),
  visitors: z.number().int().min(0).max(100).default(3),
  deviations: z.array(ScenarioDeviation).default([]),
  expect: z.array(Expectation).default([]).describe('the alerts that must follow; none for a normal day'),
})
export type Scenario = z.infer<typeof Scenario>

export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError'
}

/** Parse a scenario file's text; throws ScenarioFileError listing every problem with its line. */
export function parseScenario(text: string, file: string): Scenario {
  const doc = parseDocument(text, { keepSourceTokens: false })
  if (doc.errors.length > 0) throw new ScenarioFileError(doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? '?'}: ${e.message}`).join('\n'))
  const parsed = Scenario.safeParse(doc.toJS())
  if (parsed.success) {
    const s = parsed.data
    const late = s.deviations.filter((d) => d.at_s > s.duration_s).map((d) => `${file}: deviation ${d.kind} at ${d.at_s} s is after the end (${s.duration_s} s)`)
    const bad = s.expect.filter((e) => e.to_s < e.from_s).map((e) => `${file}: expectation for ${e.rule}: to_s ${e.to_s} is before from_s ${e.from_s}`)
    if (late.length + bad.length > 0) throw new ScenarioFileError([...late, ...bad].join('\n'))
    return s
  }
  const lines = parsed.error.issues.map((i) => {
    const node = doc.getIn(i.path as (string | number)[], true) as { range?: [number, number] } | undefined
    const line = node?.range ? text.slice(0, node.range[0]).split('\n').length : undefined
    return `${file}${line === undefined ? '' : `:${line}`}: ${i.path.join('.') || '(top)'}: ${i.message}`
  })
  throw new ScenarioFileError(lines.join('\n'))
}

export async function loadScenario(file: string): Promise<{ scenario: Scenario; file: string; venueFile: string | 'demo' }> {
  const path = resolve(file)
  const scenario = parseScenario(await readFile(path, 'utf8'), path)
  return { scenario, file: path, venueFile: scenario.venue === 'demo' ? 'demo' : resolve(dirname(path), scenario.venue) }
}
