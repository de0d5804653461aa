/**
 * The venue as pixel mode runs it, and what its cameras will see.
 *
 * Pixel cameras render smaller frames (1280x720 by default) so that two cores run the encoders, the
 * decoders and the face pipeline. Their calibration is scaled with them: the same floor point maps to
 * the same place in the smaller picture, and the monitor, given this venue, maps the edge's face boxes
 * back to the same floor. Every role of a pixel run gets this venue.
 *
 * `preview` runs a copy of the world ahead (the world is deterministic for a seed) to learn who each
 * camera sees and in what order: the face book gives photos to those people first, and `venue up`
 * picks quiet cameras from it.
 */
import type { Camera, Venue } from '../../config/index.js'
import { ZoneIndex } from '../../config/zones.js'
import { inView } from '../cameras/view.js'
import type { ScenarioDeviation } from '../scenario.js'
import type { Deviation } from '../world/types.js'
import { World } from '../world/world.js'

export interface PixelSize {
  width: number
  height: number
  fps: number
}

export const DEFAULT_PIXEL_SIZE: PixelSize = { width: 1280, height: 720, fps: 5 }

/** The venue with `cameras` at the pixel size, calibration scaled to match. */
export function pixelVenue(venue: Venue, cameras: readonly string[], size: PixelSize = DEFAULT_PIXEL_SIZE): Venue {
  for (const id of cameras) if (!venue.cameras.some((c) => c.id === id)) throw new Error(`no camera "${id}" in the venue`)
  return { ...venue, cameras: venue.cameras.map((c) => (cameras.includes(c.id) ? scaled(c, size) : c)) }
}

function scaled(c: Camera, size: PixelSize): Camera {
  const sx = size.width / c.width_px
  const sy = size.height / c.height_px
  return {
    ...c,
    width_px: size.width,
    height_px: size.height,
    fps: size.fps,
    calibration: { ...c.calibration, pairs: c.calibration.pairs.map((p) => ({ ...p, image: [p.image[0] * sx, p.image[1] * sy] as [number, number] })) },
  }
}

export interface PreviewOptions {
  seed: number
  start_ms: number
  visitors: number
  deviations?: readonly ScenarioDeviation[]
  duration_s: number
  /** Sim seconds per step (default 0.5). */
  step_s?: number
}

/** Per camera: the people it sees, first seen first (subject id, or null for someone not enrolled). */
export function preview(venue: Venue, o: PreviewOptions): Map<string, Array<string | null>> {
  const world = new World(venue, { seed: o.seed, start_ms: o.start_ms, visitors: o.visitors })
  const zones = new ZoneIndex(venue)
  const seen = new Map<string, Map<string, string | null>>(venue.cameras.map((c) => [c.id, new Map()]))
  const pending = [...(o.deviations ?? [])].sort((a, b) => a.at_s - b.at_s)
  const step = o.step_s ?? 0.5
  for (let s = 0; s <= o.duration_s; s += step) {
    const t = o.start_ms + s * 1000
    while (pending[0] !== undefined && pending[0].at_s <= s) {
      const { at_s: _at, ...d } = pending.shift()!
      // cameras and robots are not the world's: their deviations change nobody's walk
      if (d.kind !== 'camera_covered' && d.kind !== 'robot_breakdown') world.inject(d as Deviation, t)
    }
    world.step(t)
    const people = world.people()
    for (const c of venue.cameras) {
      const m = seen.get(c.id)!
      for (const p of people) if (!m.has(p.id) && inView(c, p, zones)) m.set(p.id, p.subject)
    }
  }
  return new Map([...seen].map(([c, m]) => [c, [...m.values()]]))
}

/** Subjects in the order pixel cameras first see them (then the rest of the roster): the face book's order. */
export function faceOrder(seen: ReadonlyMap<string, ReadonlyArray<string | null>>, cameras: readonly string[]): string[] {
  const out = new Set<string>()
  const lists = cameras.map((c) => seen.get(c) ?? [])
  // round robin over the cameras, so that one busy camera does not take every photo
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (l[i] != null) out.add(l[i]!)
  return [...out]
}

/**
 * N cameras for `--pixels N`: first those that see one of the `prefer` subjects (a scenario's
 * deviations), then those that see someone but the fewest people (each one has a photo of their own,
 * and the edge has the fewest faces to analyse), then empty ones; ties by id.
 */
export function chooseCameras(venue: Venue, seen: ReadonlyMap<string, ReadonlyArray<string | null>>, n: number, prefer: readonly string[] = []): string[] {
  const list = (id: string): ReadonlyArray<string | null> => seen.get(id) ?? []
  const rank = (id: string): number =>
    (list(id).some((s) => s !== null && prefer.includes(s)) ? 0 : list(id).length === 0 ? 2 : 1) * 1e6 + list(id).length
  return venue.cameras
    .map((c) => c.id)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .slice(0, n)
}

/** `--pixels N` of the commands: which cameras, and the venue every role then runs with. */
export function pixelMode(venue: Venue, n: number, o: PreviewOptions): { venue: Venue; cameras: string[] } {
  if (!(Number.isInteger(n) && n >= 1 && n <= venue.cameras.length)) throw new Error(`--pixels takes 1 to ${venue.cameras.length} cameras, not ${n}`)
  const prefer = (o.deviations ?? []).flatMap((d) => ('subject' in d ? [d.subject] : 'subjects' in d ? d.subjects : 'behind' in d ? [d.behind] : []))
  const cameras = chooseCameras(venue, preview(venue, o), n, prefer)
  return { venue: pixelVenue(venue, cameras), cameras }
}
