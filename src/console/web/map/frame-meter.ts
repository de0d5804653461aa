/** Frame intervals of the map's animation loop, kept for the last few seconds (status bar, bench, tests). */
export class FrameMeter {
  private readonly intervals = new Float64Array(600)
  private readonly work_ms = new Float64Array(600)
  private n = 0
  private w = 0
  private last = 0
  frames = 0

  tick(t: number): void {
    if (this.last > 0) {
      this.intervals[this.n % this.intervals.length] = t - this.last
      this.n++
    }
    this.last = t
    this.frames++
  }

  /** Time one frame's drawing took (script and canvas calls, not the compositor). */
  work(ms: number): void {
    this.work_ms[this.w % this.work_ms.length] = ms
    this.w++
  }

  /** Median and 95th percentile of the kept draw times, ms. */
  drawTimes(): { median: number; p95: number } {
    const k = Math.min(this.w, this.work_ms.length)
    const sorted = Array.from(this.work_ms.subarray(0, k)).sort((a, b) => a - b)
    return { median: sorted[Math.floor(k / 2)] ?? 0, p95: sorted[Math.floor(k * 0.95)] ?? 0 }
  }

  /** Frames per second over the kept intervals (median interval, robust to one long GC pause). */
  fps(): number {
    const k = Math.min(this.n, this.intervals.length)
    if (k === 0) return 0
    const sorted = Array.from(this.intervals.subarray(0, k)).sort((a, b) => a - b)
    const mid = sorted[Math.floor(k / 2)] ?? 0
    return mid > 0 ? 1000 / mid : 0
  }
}
