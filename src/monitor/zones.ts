/**
 * Zone lookup on the floor plan (issue 5): which zone a floor point [x, y] m stands in.
 *
 * Zones may nest (a desk area inside a room); when several polygons contain the point, the smallest
 * one by area wins, ties going to the zone listed first in the venue file. A point on a shared wall
 * counts as inside both zones, so the same tie rule decides it.
 */
import { bounds, pointInPolygon, polygonArea, type Point, type Ring } from '../config/geometry.js'
import type { Venue } from '../config/schema/venue.js'

interface IndexedZone {
  id: string
  ring: Ring
  area: number
  box: [number, number, number, number]
  order: number
}

export class ZoneIndex {
  private readonly zones: IndexedZone[]

  constructor(venue: { floor: Pick<Venue['floor'], 'zones'> }) {
    this.zones = venue.floor.zones
      .map((z, order) => ({ id: z.id, ring: z.polygon, area: polygonArea(z.polygon), box: bounds(z.polygon), order }))
      .sort((a, b) => a.area - b.area || a.order - b.order)
  }

  /** Id of the smallest zone containing p (boundary included), or null when p is in no zone. */
  zoneAt(p: Point): string | null {
    for (const z of this.zones) if (this.contains(z, p)) return z.id
    return null
  }

  /** Ids of every zone containing p, smallest first. */
  zonesAt(p: Point): string[] {
    return this.zones.filter((z) => this.contains(z, p)).map((z) => z.id)
  }

  private contains(z: IndexedZone, p: Point): boolean {
    const [x0, y0, x1, y1] = z.box
    if (!(p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1)) return false
    return pointInPolygon(p, z.ring)
  }
}
