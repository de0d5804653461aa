/**
 * Ground truth for pixel mode: where the world had each person when a frame was drawn, so that what
 * the edge published can be judged. A named sighting is "misnamed" when the person nearest to its
 * floor point, at its capture time, is someone else (a tracker that swapped people, a look-alike); and
 * the lag is how far back in time the named person stood closest to the sighting's point (the video
 * chain's delay that the capture stamps do not show).
 *
 *   const truth = new GroundTruth()
 *   truth.record(t, people)                    // every step of the world
 *   truth.judge(capturedAt, floor, subject)    // every named sighting the edge published
 *   truth.summary(camera)
 */
import { median } from '../../shared/stats.js'
import type { SimPerson } from '../world/types.js'

interface Moment {
  t: number
  people: { subject: string | null; floor: [number, number] }[]
}

export interface TruthSummary {
  /** Named sightings judged, and those nearest to someone else. */
  named: number
  misnamed: number
  /** Distance from a named sighting to its person at the capture time, m: median and largest. */
  error_m: { median: number; max: number }
  /** The video chain's delay as the positions show it, ms: median and largest. */
  lag_ms: { median: number; max: number }
  /** The first few misnamed sightings, to read. */
  examples: string[]
}

/** History kept, ms: longer than any lag worth measuring. */
const KEEP_MS = 15_000
/** Lags tried, ms. */
const MAX_LAG_MS = 10_000
/** Within this of the named person (m) a sighting is his whatever else is near: the identity_conflict rule's own tolerance. */
const OWN_M = 3
const EXAMPLES = 5

const dist = (a: readonly [number, number], b: readonly [number, number]): number => Math.hypot(a[0] - b[0], a[1] - b[1])

interface Tally {
  errors: number[]
  lags: number[]
  misnamed: number
  examples: string[]
}

const max = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, x), 0)

export class GroundTruth {
  private readonly moments: Moment[] = []
  private readonly tallies = new Map<string, Tally>()

  record(t: number, people: readonly SimPerson[]): void {
    const last = this.moments.at(-1)
    if (last !== undefined && t <= last.t) return
    this.moments.push({ t, people: people.filter((p) => p.present).map((p) => ({ subject: p.subject, floor: [p.floor[0], p.floor[1]] })) })
    while (this.moments.length > 0 && this.moments[0]!.t < t - KEEP_MS) this.moments.shift()
  }

  judge(camera: string, at: number, floor: readonly [number, number], subject: string): void {
    const now = this.at(at)
    if (now === undefined) return
    const tally = this.tally(camera)
    const own = now.people.find((p) => p.subject === subject)
    const nearest = now.people.reduce<Moment['people'][number] | undefined>((best, p) => (best === undefined || dist(p.floor, floor) < dist(best.floor, floor) ? p : best), undefined)
    if (own === undefined || (nearest !== undefined && nearest.subject !== subject && dist(own.floor, floor) > OWN_M)) {
      tally.misnamed++
      if (tally.examples.length < EXAMPLES) {
        const ownAt = own === undefined ? 'not in the venue' : `${dist(own.floor, floor).toFixed(1)} m away`
        tally.examples.push(`${camera} at ${new Date(at).toISOString()}: named ${subject} (${ownAt}), nearest is ${nearest?.subject ?? 'a stranger'} at ${nearest === undefined ? '?' : dist(nearest.floor, floor).toFixed(1)} m`)
      }
      return
    }
    tally.errors.push(dist(own.floor, floor))
    let bestLag = 0
    let best = Infinity
    // newest first: someone standing still has no lag to show, and gets none
    for (let i = this.moments.length - 1; i >= 0; i--) {
      const m = this.moments[i]!
      if (m.t > at) continue
      if (m.t < at - MAX_LAG_MS) break
      const p = m.people.find((x) => x.subject === subject)
      if (p !== undefined && dist(p.floor, floor) < best - 0.05) {
        best = dist(p.floor, floor)
        bestLag = at - m.t
      }
    }
    tally.lags.push(bestLag)
  }

  /** What was judged of one camera's sightings. */
  summary(camera: string): TruthSummary {
    const t = this.tally(camera)
    return {
      named: t.errors.length + t.misnamed,
      misnamed: t.misnamed,
      error_m: { median: t.errors.length === 0 ? 0 : median(t.errors), max: max(t.errors) },
      lag_ms: { median: t.lags.length === 0 ? 0 : median(t.lags), max: max(t.lags) },
      examples: [...t.examples],
    }
  }

  private tally(camera: string): Tally {
    let t = this.tallies.get(camera)
    if (t === undefined) this.tallies.set(camera, (t = { errors: [], lags: [], misnamed: 0, examples: [] }))
    return t
  }

  /** The moment recorded last at or before `t`. */
  private at(t: number): Moment | undefined {
    let found: Moment | undefined
    for (const m of this.moments) {
      if (m.t > t) break
      found = m
    }
    return found
  }
}
