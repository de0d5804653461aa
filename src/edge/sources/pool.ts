/**
 * Raw frames out of a byte stream, into a small pool of preallocated buffers. Pipe chunks are copied
 * once, straight into the buffer of the frame they belong to (a 720p RGB frame is 2.7 MB: a second
 * copy would cost about as much as decoding it). A frame's buffer goes back to the pool when every
 * holder has released it. The buffers live on SharedArrayBuffers, so posting `frame.data` to a worker
 * thread shares it instead of cloning it; the worker must be done with it before the frame is released.
 *
 * Bounded by construction: when the consumers hold every buffer, the frame now arriving is read past
 * and counted as dropped, never queued. The stream keeps being read, so the next frame delivered once a
 * buffer comes back is the newest one: latest frame wins. (Dropping the oldest *unconsumed* frame is
 * the consumer's side: the edge scheduler keeps one waiting frame per camera and releases the one it
 * replaces, which gives its buffer back here.)
 */
import type { Frame } from '../types.js'

interface Slot {
  readonly data: Buffer
  /** Holders that have not released it yet; 0 = free. */
  refs: number
}

export class FramePool {
  private readonly slots: Slot[] = []
  private readonly free: Slot[] = []

  constructor(readonly frameBytes: number, readonly size: number) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new Error(`frame size must be a positive integer, got ${frameBytes}`)
    if (!Number.isInteger(size) || size < 2) throw new Error(`a frame pool needs at least 2 buffers, got ${size}`)
  }

  /** Buffers are allocated on first use, so a source that never starts costs nothing. */
  acquire(): Slot | undefined {
    if (this.slots.length < this.size && this.free.length === 0) {
      // shared memory: analysis workers read the frame in place, no copy on postMessage
      const slot = { data: Buffer.from(new SharedArrayBuffer(this.frameBytes)), refs: 0 }
      this.slots.push(slot)
      this.free.push(slot)
    }
    const slot = this.free.pop()
    if (slot !== undefined) slot.refs = 1
    return slot
  }

  /** Share a filled slot among `holders` (0 gives it straight back). */
  share(slot: Slot, holders: number): void {
    slot.refs = holders
    if (holders === 0) this.free.push(slot)
  }

  unref(slot: Slot): void {
    if (slot.refs <= 0) return
    slot.refs--
    if (slot.refs === 0) this.free.push(slot)
  }

  /** Buffers currently free (allocated or not). */
  available(): number {
    return this.free.length + (this.size - this.slots.length)
  }
}

/** One holder's view of a pooled frame; release() is idempotent per holder. */
class PooledFrame implements Frame {
  private released = false

  constructor(
    private readonly pool: FramePool,
    private readonly slot: Slot,
    readonly data: Uint8Array,
    readonly width: number,
    readonly height: number,
    readonly capturedAt: number,
    readonly seq: number,
  ) {}

  release(): void {
    if (this.released) return
    this.released = true
    this.pool.unref(this.slot)
  }
}

export interface AssembledFrame {
  /** One Frame per holder; each must be released. */
  frames(holders: number): Frame[]
}

/**
 * Cuts a byte stream into frames of `pool.frameBytes` bytes. `onFrame` gets each complete frame (or
 * `undefined` for one that was read past because no buffer was free) with the arrival time of its
 * last byte.
 */
export class FrameReader {
  private slot: Slot | undefined
  private skipping = false
  private filled = 0
  private seq = 0
  /** Time spent copying pipe chunks into frame buffers, ms (the `copy` share of the edge benchmark). */
  copy_ms = 0

  constructor(
    private readonly pool: FramePool,
    private readonly width: number,
    private readonly height: number,
    private readonly onFrame: (frame: AssembledFrame | undefined, capturedAt: number) => void,
    private readonly now: () => number = Date.now,
  ) {
    if (width * height * 3 !== pool.frameBytes) throw new Error(`pool frames are ${pool.frameBytes} bytes, ${width}x${height} RGB needs ${width * height * 3}`)
  }

  /** A new stream starts (ffmpeg restarted): forget a partial frame, number frames from 0 again. */
  reset(): void {
    if (this.slot !== undefined) this.pool.unref(this.slot)
    this.slot = undefined
    this.skipping = false
    this.filled = 0
    this.seq = 0
  }

  push(chunk: Buffer): void {
    const started = performance.now()
    try {
      this.fill(chunk)
    } finally {
      this.copy_ms += performance.now() - started
    }
  }

  private fill(chunk: Buffer): void {
    const size = this.pool.frameBytes
    let off = 0
    while (off < chunk.length) {
      if (this.filled === 0 && this.slot === undefined && !this.skipping) {
        this.slot = this.pool.acquire()
        this.skipping = this.slot === undefined
      }
      const n = Math.min(size - this.filled, chunk.length - off)
      if (this.slot !== undefined) chunk.copy(this.slot.data, this.filled, off, off + n)
      this.filled += n
      off += n
      if (this.filled === size) this.complete()
    }
  }

  private complete(): void {
    const slot = this.slot
    const seq = this.seq++
    this.slot = undefined
    this.skipping = false
    this.filled = 0
    const capturedAt = this.now()
    if (slot === undefined) {
      this.onFrame(undefined, capturedAt)
      return
    }
    const { pool, width, height } = this
    let taken = false
    this.onFrame(
      {
        frames: (holders) => {
          if (taken) throw new Error('frames() called twice for one frame')
          taken = true
          pool.share(slot, holders)
          return Array.from({ length: holders }, () => new PooledFrame(pool, slot, slot.data, width, height, capturedAt, seq))
        },
      },
      capturedAt,
    )
    // a callback that did not take the frame gives the buffer back
    if (!taken) pool.share(slot, 0)
  }
}
