/** Order statistics shared by the roles and the benchmarks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

export const median = (values: readonly number[]): number => quantile(values, 0.5)

/** Keeps the last `size` samples of a latency, for p50/p99 reports. */
export class LatencyRecorder {
  private readonly samples: number[] = []
  private next = 0
  private total = 0

  constructor(private readonly size = 10_000) {}

  add(ms: number): void {
    this.total++
    if (this.samples.length < this.size) this.samples.push(ms)
    else this.samples[this.next] = ms
    this.next = (this.next + 1) % this.size
  }

  summary(): { count: number; p50: number; p99: number; max: number } {
    return { count: this.total, p50: quantile(this.samples, 0.5), p99: quantile(this.samples, 0.99), max: this.samples.length ? Math.max(...this.samples) : NaN }
  }
}
