import type { Venue } from './schema/venue.js'
import type { Problem } from './problems.js'

/** Checks that need the whole venue: references between sections, geometry, roster consistency. */
export function crossCheck(venue: Venue): Problem[] {
  void venue
  return []
}
