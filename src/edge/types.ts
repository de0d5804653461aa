/** Shared shapes of the edge node: frames from sources, source states, health states. */

/** One decoded frame, RGB interleaved, at the size the pipeline wants. */
export interface Frame {
  data: Uint8Array
  width: number
  height: number
  /** Capture time, epoch ms (arrival time at the edge when the stream carries no clock). */
  capturedAt: number
  /** Frame number since the source (re)connected. */
  seq: number
  /** Give the buffer back to the source's pool; the frame must not be used afterwards. */
  release(): void
}

/** What a frame source knows of its stream. */
export type SourceState = 'connecting' | 'streaming' | 'stalled' | 'offline' | 'stopped'

export interface SourceStatus {
  state: SourceState
  /** Epoch ms the state began. */
  since: number
  /** Why, in words: ffmpeg's last error line, "no frame for 3.0 s", ... */
  detail?: string
}

/**
 * A camera stream decoded into frames: RTSP through ffmpeg, a file for tests and replays, or the
 * simulator's. Sources reconnect by themselves with back-off; consumers only listen.
 */
export interface FrameSource {
  readonly id: string
  start(): Promise<void>
  stop(): Promise<void>
  onFrame(listener: (frame: Frame) => void): void
  onStatus(listener: (status: SourceStatus) => void): void
  status(): SourceStatus
  /** Frames decoded, frames dropped because the consumer still held every buffer, reconnects, and ms spent copying frames out of the decoder. */
  counters(): { frames: number; dropped: number; reconnects: number; copy_ms: number }
}
