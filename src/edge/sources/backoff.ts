/**
 * Reconnect delays: exponential from `initial_ms`, doubling to `max_ms`, back to `initial_ms` once a
 * connection has stayed healthy for `healthy_ms` (a camera that drops once a day reconnects at once;
 * one that flaps every few seconds is not hammered). Pure: the caller passes the times.
 */
export interface BackoffOptions {
  initial_ms: number
  max_ms: number
  healthy_ms: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { initial_ms: 500, max_ms: 10_000, healthy_ms: 60_000 }

export class Backoff {
  private delay: number

  constructor(private readonly o: BackoffOptions = DEFAULT_BACKOFF) {
    this.delay = o.initial_ms
  }

  /**
   * The delay before the next attempt, after a connection that ended. `healthyFor_ms` is how long it
   * delivered frames without a stall (0 when it never did).
   */
  next(healthyFor_ms = 0): number {
    if (healthyFor_ms >= this.o.healthy_ms) this.delay = this.o.initial_ms
    const d = this.delay
    this.delay = Math.min(this.o.max_ms, this.delay * 2)
    return d
  }

  reset(): void {
    this.delay = this.o.initial_ms
  }
}
