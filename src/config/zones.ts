/**
 * Zone lookup on the floor plan (issue 5): which zone a floor point [x, y] m stands in.
 *
 * Zones may nest (a desk area inside a room); when several polygons contain the point, the smallest
 * one by area wins, ties going to the zone listed first in the venue file. A point on a shared wall
 * counts as inside both zones, so the same tie rule decides it.
 */
import { bounds, pointInPolygon, polygonArea, type Point, type Ring } from './geometry.js'
import type { Venue } from './schema/venue.js'

interface IndexedZone {
  id: string
  ring: Ring
  area: number
  box: [number, number, number, number]
  order: number
}

/** Side of the lookup grid's cells, m: every face of every frame asks for its zone. */
const CELL_M = 2

export class ZoneIndex {
  private readonly zones: IndexedZone[]
  /** cell -> zones whose bounding box touches it, smallest first */
  private readonly cells = new Map<number, IndexedZone[]>()

  constructor(venue: { floor: Pick<Venue['floor'], 'zones'> }) {
    this.zones = venue.floor.zones
      .map((z, order) => ({ id: z.id, ring: z.polygon, area: polygonArea(z.polygon), box: bounds(z.polygon), order }))
      .sort((a, b) => a.area - b.area || a.order - b.order)
    for (const z of this.zones) {
      const [x0, y0, x1, y1] = z.box
      for (let cx = Math.floor(x0 / CELL_M); cx <= Math.floor(x1 / CELL_M); cx++)
        for (let cy = Math.floor(y0 / CELL_M); cy <= Math.floor(y1 / CELL_M); cy++) {
          const k = cellKey(cx, cy)
          const list = this.cells.get(k)
          if (list) list.push(z)
          else this.cells.set(k, [z])
        }
    }
  }

  /** Id of the smallest zone containing p (boundary included), or null when p is in no zone. */
  zoneAt(p: Point): string | null {
    for (const z of this.candidates(p)) if (this.contains(z, p)) return z.id
    return null
  }

  /** Ids of every zone containing p, smallest first. */
  zonesAt(p: Point): string[] {
    return this.candidates(p)
      .filter((z) => this.contains(z, p))
      .map((z) => z.id)
  }

  /** Whether p lies in one of the zones `ids` (tests only those zones' polygons: per person per camera per frame). */
  inAny(p: Point, ids: readonly string[]): boolean {
    for (const z of this.candidates(p)) if (ids.includes(z.id) && this.contains(z, p)) return true
    return false
  }

  private candidates(p: Point): IndexedZone[] {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return []
    return this.cells.get(cellKey(Math.floor(p[0] / CELL_M), Math.floor(p[1] / CELL_M))) ?? []
  }

  private contains(z: IndexedZone, p: Point): boolean {
    const [x0, y0, x1, y1] = z.box
    if (!(p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1)) return false
    return pointInPolygon(p, z.ring)
  }
}

function cellKey(cx: number, cy: number): number {
  return (cx + 100_000) * 200_003 + (cy + 100_000)
}
