import type { Venue } from '../config/index.js'

/** The one-line summary `venue check` prints for a good file. */
export function summarise(venue: Venue): string {
  const experts = new Set(venue.roster.projects.flatMap((p) => p.experts)).size
  const rooms = venue.floor.zones.filter((z) => z.kind === 'evaluation_room').length
  const parts = [
    `${venue.floor.zones.length} zones (${rooms} evaluation rooms)`,
    `${venue.cameras.length} cameras`,
    `${venue.robots.length} robots`,
    `${experts} experts in ${venue.roster.projects.length} projects`,
    `${venue.rules.length} rules`,
    `${venue.principals.length} principals`,
  ]
  return `site ${venue.site.id}: ${parts.join(', ')}`
}
