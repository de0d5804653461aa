import { readFile } from 'node:fs/promises'
import { isNode, LineCounter, parseDocument, type Document } from 'yaml'
import type { z } from 'zod'
import { Venue } from './schema/venue.js'
import { crossCheck } from './crossref.js'
import { VenueFileError, type Problem } from './problems.js'

export interface LoadedVenue {
  file: string
  venue: Venue
}

/** Parse and check venue YAML text; every problem is reported at once, with its path and line. */
export function parseVenue(text: string): { venue?: Venue; problems: Problem[] } {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const problems: Problem[] = []
  for (const err of doc.errors) {
    const pos = err.linePos?.[0]
    problems.push({ path: [], message: `YAML: ${err.message.split('\n')[0] ?? err.code}`, line: pos?.line, column: pos?.col })
  }
  if (problems.length > 0) return { problems }

  const result = Venue.safeParse(doc.toJS({ maxAliasCount: 100 }))
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(locate(doc, lineCounter, issue.path, describeIssue(issue)))
    return { problems }
  }
  for (const p of crossCheck(result.data)) problems.push(locate(doc, lineCounter, p.path, p.message))
  return problems.length > 0 ? { problems } : { venue: result.data, problems }
}

export async function loadVenue(file: string): Promise<LoadedVenue> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new VenueFileError(file, [{ path: [], message: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }])
  }
  const { venue, problems } = parseVenue(text)
  if (venue === undefined) throw new VenueFileError(file, problems)
  return { file, venue }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    return `${issue.message}`
  }
  return issue.message
}

/** Find the line of the deepest YAML node that exists along `path`. */
function locate(doc: Document, lc: LineCounter, path: ReadonlyArray<PropertyKey>, message: string): Problem {
  const keys = path.filter((k): k is string | number => typeof k !== 'symbol')
  for (let depth = keys.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keys.slice(0, depth), true)
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0])
      return { path: keys, message, line: pos.line, column: pos.col }
    }
  }
  return { path: keys, message }
}
