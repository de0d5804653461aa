/**
 * Hysteresis for one health condition: it turns on after its enter test has held for `enter_ms`, and
 * off only after a separate, easier-to-pass exit test has held for `exit_ms`. Two thresholds and two
 * dwell times keep a measure that hovers near one threshold from flapping the camera state.
 */
export class Latch {
  private on = false
  /** When the test that would flip the latch started to hold continuously, or undefined. */
  private holdingSince: number | undefined
  /** When the latch last turned on. */
  onSince = 0

  constructor(readonly enter_ms: number, readonly exit_ms: number) {}

  get active(): boolean {
    return this.on
  }

  /** How long the flipping test has held, ms (0 when it does not hold). */
  pendingFor(now: number): number {
    return this.holdingSince === undefined ? 0 : now - this.holdingSince
  }

  /**
   * Feed one observation: `enter` = the enter test holds, `exit` = the exit test holds. Returns
   * whether the latch flipped.
   */
  update(now: number, enter: boolean, exit: boolean): boolean {
    const flipping = this.on ? exit : enter
    if (!flipping) {
      this.holdingSince = undefined
      return false
    }
    this.holdingSince ??= now
    if (now - this.holdingSince < (this.on ? this.exit_ms : this.enter_ms)) return false
    this.on = !this.on
    this.holdingSince = undefined
    if (this.on) this.onSince = now
    return true
  }

  reset(): void {
    this.on = false
    this.holdingSince = undefined
  }
}
