/**
 * Where missions go on the navigation graph: the node in a room (its hatch), the kitchen's node, a
 * robot's dock. A node belongs to a zone by its `zone` field, else by the polygon it stands in.
 */
import type { Venue } from '../config/schema/venue.js'
import { ZoneIndex } from '../config/zones.js'

export class Places {
  private readonly zoneOfNode = new Map<string, string | null>()
  private readonly kinds: Map<string, string>

  constructor(venue: Pick<Venue, 'floor' | 'navigation'>) {
    const index = new ZoneIndex(venue)
    for (const n of venue.navigation.nodes) this.zoneOfNode.set(n.id, n.zone ?? index.zoneAt(n.at))
    this.kinds = new Map(venue.floor.zones.map((z) => [z.id, z.kind]))
  }

  /** The first node standing in a zone, or null. */
  nodeIn(zone: string): string | null {
    for (const [node, z] of this.zoneOfNode) if (z === zone) return node
    return null
  }

  /** The first node in a zone of this kind (the kitchen, the entrance), or null. */
  nodeOfKind(kind: string): string | null {
    for (const [node, z] of this.zoneOfNode) if (z !== null && this.kinds.get(z) === kind) return node
    return null
  }

  zoneOf(node: string): string | null {
    return this.zoneOfNode.get(node) ?? null
  }
}
