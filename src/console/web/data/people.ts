import type { Track } from './records.js'

/** Positions older than this (no tracks message since) are stale: the map fades them, the status line says so. */
export const POSITIONS_STALE_MS = 3000

/**
 * People on the map, kept in flat typed arrays so the draw loop touches numbers only: one pass of
 * O(people) per frame, no allocation. Positions are interpolated between two track messages (they
 * come at up to 5 Hz), from where each dot was drawn at the moment the new message arrived.
 */
export class People {
  count = 0
  fromX = new Float32Array(0)
  fromY = new Float32Array(0)
  toX = new Float32Array(0)
  toY = new Float32Array(0)
  /** colour group of each slot; slots are sorted by group so the draw loop fills one path per colour */
  group = new Uint16Array(0)
  ids: string[] = []
  tracks: Track[] = []
  t0 = 0
  span_ms = 200
  /** browser time the last message arrived, and the server's `at` of it */
  receivedAt = 0
  at: number | null = null

  constructor(private readonly groupOf: (t: Track) => number) {}

  /** Take one tracks message received at browser time `now`. */
  update(tracks: Track[], at: number | null, now: number): void {
    const prev = new Map<string, number>()
    for (let i = 0; i < this.count; i++) prev.set(this.ids[i] ?? '', i)
    const k = Math.min(1, Math.max(0, (now - this.t0) / this.span_ms))
    const sorted = tracks.map((t) => ({ t, g: this.groupOf(t) })).sort((a, b) => a.g - b.g)
    const n = sorted.length
    const fromX = new Float32Array(n)
    const fromY = new Float32Array(n)
    const toX = new Float32Array(n)
    const toY = new Float32Array(n)
    const group = new Uint16Array(n)
    const ids: string[] = new Array<string>(n)
    for (let i = 0; i < n; i++) {
      const s = sorted[i]
      if (s === undefined) continue
      const j = prev.get(s.t.id)
      const [x, y] = s.t.floor
      if (j === undefined) {
        fromX[i] = x
        fromY[i] = y
      } else {
        const fx = this.fromX[j] ?? x
        const fy = this.fromY[j] ?? y
        fromX[i] = fx + ((this.toX[j] ?? x) - fx) * k
        fromY[i] = fy + ((this.toY[j] ?? y) - fy) * k
      }
      toX[i] = x
      toY[i] = y
      group[i] = s.g
      ids[i] = s.t.id
    }
    // the next message is expected one interval later: glide over that interval (bounded)
    if (this.receivedAt > 0) this.span_ms = Math.min(1000, Math.max(80, 0.7 * this.span_ms + 0.3 * (now - this.receivedAt)))
    this.fromX = fromX
    this.fromY = fromY
    this.toX = toX
    this.toY = toY
    this.group = group
    this.ids = ids
    this.count = n
    this.t0 = now
    this.receivedAt = now
    this.at = at
    this.tracks = sorted.map((s) => s.t)
  }

  /** Interpolation factor for a frame drawn at browser time `now`. */
  progress(now: number): number {
    return Math.min(1, Math.max(0, (now - this.t0) / this.span_ms))
  }

  /** Positions as drawn at `now` (tests and the bench read them). */
  positions(now: number): { id: string; x: number; y: number }[] {
    const k = this.progress(now)
    const out: { id: string; x: number; y: number }[] = []
    for (let i = 0; i < this.count; i++) {
      const fx = this.fromX[i] ?? 0
      const fy = this.fromY[i] ?? 0
      out.push({ id: this.ids[i] ?? '', x: fx + ((this.toX[i] ?? 0) - fx) * k, y: fy + ((this.toY[i] ?? 0) - fy) * k })
    }
    return out
  }
}
