import type { Venue } from '../config/index.js'
import { verifySecret } from '../broker/passwords.js'

/**
 * Principals whose secret is still the public development one, `dev-<name>` (what the demo venue
 * ships, config/venues/demo-secrets.md). Anyone who has read our repository can log in as them.
 */
export async function principalsWithDevSecrets(venue: Venue): Promise<string[]> {
  const hits = await Promise.all(venue.principals.map(async (p) => ((await verifySecret(`dev-${p.name}`, p.secretHash)) ? p.name : undefined)))
  return hits.filter((n): n is string => n !== undefined)
}
