import type { Venue } from './schema/venue.js'
import type { Problem } from './problems.js'
import { newCtx } from './checks/util.js'
import { checkFloor, checkNavigation } from './checks/floor.js'
import { checkCameras, checkRobots } from './checks/devices.js'
import { checkRoster } from './checks/roster.js'
import { checkPrincipals, checkRules } from './checks/access.js'

/**
 * Checks that need the whole venue: references between sections, geometry, roster consistency.
 * Runs on a venue that passed the schema; every problem carries a path into the file. The order
 * matters only in that later checks use the indices (zones, doors, nodes, robots) earlier ones built.
 */
export function crossCheck(venue: Venue): Problem[] {
  const ctx = newCtx(venue)
  checkFloor(ctx)
  checkNavigation(ctx)
  checkCameras(ctx)
  checkRobots(ctx)
  checkRoster(ctx)
  checkRules(ctx)
  checkPrincipals(ctx)
  return ctx.problems
}
