/**
 * Neighbour search for pair rules: tracks bucketed in square cells of the search distance, so anyone
 * within that distance of a point is in the 3x3 cells around it. A pass over 1,000 tracks then costs
 * each track its neighbours, not every other track.
 */
import type { PersonTrack } from '../../contract/venue/tracks.js'

export class NeighbourGrid {
  private readonly cells = new Map<number, PersonTrack[]>()

  constructor(
    private readonly d: number,
    tracks: Iterable<PersonTrack>,
  ) {
    for (const t of tracks) {
      const k = this.key(Math.floor(t.floor[0] / d), Math.floor(t.floor[1] / d))
      const cell = this.cells.get(k)
      if (cell) cell.push(t)
      else this.cells.set(k, [t])
    }
  }

  /** Every track within `d` of `t` (other than `t` itself), in bucket order. */
  near(t: PersonTrack): PersonTrack[] {
    const out: PersonTrack[] = []
    const cx = Math.floor(t.floor[0] / this.d)
    const cy = Math.floor(t.floor[1] / this.d)
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const o of this.cells.get(this.key(cx + dx, cy + dy)) ?? []) {
          if (o !== t && Math.hypot(t.floor[0] - o.floor[0], t.floor[1] - o.floor[1]) <= this.d) out.push(o)
        }
    return out
  }

  // cells of a floor up to ~10 km at 1 cm cells fit in one integer key
  private key(cx: number, cy: number): number {
    return (cx + 1_000_000) * 2_000_003 + (cy + 1_000_000)
  }
}
