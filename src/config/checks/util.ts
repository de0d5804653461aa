import type { Venue } from '../schema/venue.js'
import type { Door, NavNode, Zone } from '../schema/floor.js'
import type { Robot } from '../schema/robots.js'
import { formatPath, type Problem } from '../problems.js'
import type { Point } from '../geometry.js'

export type Path = Array<string | number>

/** What the checks share: the venue, the problems found so far, and indices built along the way. */
export interface Ctx {
  venue: Venue
  problems: Problem[]
  /** First zone with each id. */
  zones: Map<string, Zone>
  /** Polygons that passed the geometry checks (vertices, closing point dropped), by zone id. */
  rings: Map<string, Point[]>
  doors: Map<string, Door>
  nodes: Map<string, NavNode>
  robots: Map<string, Robot>
}

export function newCtx(venue: Venue): Ctx {
  return { venue, problems: [], zones: new Map(), rings: new Map(), doors: new Map(), nodes: new Map(), robots: new Map() }
}

export function report(ctx: Ctx, path: Path, message: string): void {
  ctx.problems.push({ path, message })
}

/** `zone "room-9" does not exist (zones are: a, b, c, ...)` */
export function missing(noun: string, plural: string, id: string, known: Iterable<string>): string {
  const all = [...known]
  const shown = all.slice(0, 6).join(', ')
  const rest = all.length > 6 ? `, ... ${all.length} in all` : ''
  return all.length === 0 ? `${noun} "${id}" does not exist (there are no ${plural})` : `${noun} "${id}" does not exist (${plural} are: ${shown}${rest})`
}

/**
 * Report every repeat of a key in a list and return the index of the first item with each key.
 * `keyField` names the key inside one item, e.g. 'id'; repeats are reported at [...listPath, i, keyField].
 */
export function indexUnique<T>(ctx: Ctx, items: readonly T[], key: (item: T) => string, listPath: Path, keyField: string, noun: string): Map<string, T> {
  const first = new Map<string, number>()
  const out = new Map<string, T>()
  items.forEach((item, i) => {
    const k = key(item)
    const seen = first.get(k)
    if (seen !== undefined) {
      report(ctx, [...listPath, i, keyField], `duplicate ${noun} "${k}": already used by ${formatPath([...listPath, seen])}`)
      return
    }
    first.set(k, i)
    out.set(k, item)
  })
  return out
}

export const fmtPoint = (p: readonly [number, number]): string => `[${+p[0].toFixed(3)}, ${+p[1].toFixed(3)}]`

/** Minutes since midnight of a HH:MM time (the schema has checked the form). */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':')
  return Number(h) * 60 + Number(m)
}
