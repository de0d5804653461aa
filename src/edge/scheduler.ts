/**
 * Frame scheduling across the cameras of a node. Each camera keeps only its latest frame (an older one
 * still waiting is dropped and counted); a fixed number of analysis slots (one face pipeline each, one
 * in a worker thread of its own, one per core by default) take the camera whose waiting frame is oldest, so no camera starves, and a
 * camera is never analysed on two slots at once, so its tracker sees frames in order.
 */
import type { AnalysisSlot } from './analysis/slot.js'
import type { Frame } from './types.js'

export interface Job {
  readonly id: string
  /** Analyse one frame on a slot; the job releases the frame. */
  analyse(frame: Frame, slot: AnalysisSlot): Promise<void>
  /** A frame failed to analyse: log, count, carry on. */
  failed(err: unknown): void
}

interface Entry {
  job: Job
  pending: Frame | undefined
  busy: boolean
  dropped: number
}

export class Scheduler {
  private readonly entries = new Map<string, Entry>()
  private readonly idle: AnalysisSlot[]
  private stopped = false
  private running = 0
  private drainedWaiters: Array<() => void> = []

  constructor(slots: readonly AnalysisSlot[]) {
    this.idle = [...slots]
  }

  add(job: Job): void {
    this.entries.set(job.id, { job, pending: undefined, busy: false, dropped: 0 })
  }

  /** A new frame for a camera: it replaces (and drops) a frame still waiting. */
  offer(id: string, frame: Frame): void {
    const e = this.entries.get(id)
    if (e === undefined || this.stopped) {
      frame.release()
      return
    }
    if (e.pending !== undefined) {
      e.pending.release()
      e.dropped++
    }
    e.pending = frame
    this.pump()
  }

  dropped(id: string): number {
    return this.entries.get(id)?.dropped ?? 0
  }

  /** Stop taking frames; resolves when the slots are idle. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const e of this.entries.values()) {
      e.pending?.release()
      e.pending = undefined
    }
    if (this.running > 0) await new Promise<void>((r) => this.drainedWaiters.push(r))
  }

  private pump(): void {
    while (!this.stopped && this.idle.length > 0) {
      let next: Entry | undefined
      for (const e of this.entries.values()) {
        if (e.busy || e.pending === undefined) continue
        if (next === undefined || e.pending.capturedAt < next.pending!.capturedAt) next = e
      }
      if (next === undefined) return
      const slot = this.idle.pop()!
      const frame = next.pending!
      next.pending = undefined
      next.busy = true
      this.running++
      const entry = next
      entry.job
        .analyse(frame, slot)
        .catch((err: unknown) => entry.job.failed(err))
        .finally(() => {
          entry.busy = false
          this.running--
          this.idle.push(slot)
          if (this.running === 0 && this.stopped) for (const w of this.drainedWaiters.splice(0)) w()
          this.pump()
        })
    }
  }
}
