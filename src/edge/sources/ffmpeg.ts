/**
 * A camera (or a file replay) decoded by one ffmpeg child process into RGB frames at the size and rate
 * the pipeline wants: ffmpeg decodes, drops to `fps` and scales, so Node only reads finished frames.
 *
 * States: connecting (first attempt) -> streaming (frames flow) -> stalled (no frame for `stall_ms`
 * while ffmpeg runs: it is killed and restarted) or offline (ffmpeg could not connect or the stream
 * ended; detail = ffmpeg's last error line) -> streaming again once a reconnect delivers a frame.
 * Reconnects back off (0.5 s doubling to 10 s, reset after a healthy minute); retries that fail keep the
 * state (no flapping through `connecting`). stop() ends ffmpeg (SIGTERM, SIGKILL after a grace) and
 * resolves once the process is gone.
 *
 * capturedAt is the arrival time (epoch ms) of a frame's last byte on the pipe. ffmpeg's rawvideo output
 * carries no timestamps, and the camera's wall clock (RTCP sender reports mapping RTP time to NTP) is
 * not exposed by the ffmpeg CLI; arrival time is late by decode + scale (a few ms at 640x360) plus
 * network and camera encode latency, the same for every frame, so intervals and ordering hold.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { Logger } from '../../shared/log.js'
import type { Frame, FrameSource, SourceState, SourceStatus } from '../types.js'
import { cleanLine, describe, ffmpegArgs, frameBytes, type SourceInput } from './args.js'
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js'
import { FramePool, FrameReader, type AssembledFrame } from './pool.js'

export interface SourceOptions {
  /** Defaults to the input's label (credentials removed). */
  id?: string
  width: number
  height: number
  fps: number
  /** No frame for this long while ffmpeg runs: stalled, restart. Default 3000. */
  stall_ms?: number
  /** A (re)connect that brings no frame within this long is given up as offline. Default 10000. */
  connect_timeout_ms?: number
  backoff?: BackoffOptions
  /** Preallocated frame buffers: one being filled, the rest held by consumers. Default 4. */
  pool_frames?: number
  /** ffmpeg binary. Default `ffmpeg` on PATH. */
  ffmpeg?: string
  /** SIGTERM, then SIGKILL after this long. Default 2000. */
  kill_grace_ms?: number
  logger?: Logger
}

export interface RtspOptions extends SourceOptions {
  /** RTP over the RTSP TCP connection (default: survives NAT and loss) or over UDP. */
  transport?: 'tcp' | 'udp'
}

export interface FileOptions extends SourceOptions {
  /** Loop the file forever (default true). */
  loop?: boolean
  /** Read at the file's own rate, as a camera would send it (default true). */
  realtime?: boolean
}

export function rtspSource(url: string, opts: RtspOptions): FfmpegSource {
  const connect_timeout_ms = opts.connect_timeout_ms ?? 10_000
  return new FfmpegSource({ kind: 'rtsp', url, transport: opts.transport ?? 'tcp', connect_timeout_ms }, opts)
}

export function fileSource(path: string, opts: FileOptions): FfmpegSource {
  return new FfmpegSource({ kind: 'file', path, loop: opts.loop ?? true, realtime: opts.realtime ?? true }, opts)
}

/** One ffmpeg process and what it has delivered so far. */
interface Run {
  child: ChildProcess
  startedAt: number
  firstFrameAt: number | undefined
  lastFrameAt: number | undefined
  lastLine: string | undefined
  /** Set when the source ended it; its exit is then expected. */
  killedFor: 'stall' | 'connect' | 'stop' | undefined
  killTimer: NodeJS.Timeout | undefined
  closed: Promise<void>
}

const CHECK_MS = 100

export class FfmpegSource implements FrameSource {
  readonly id: string
  private readonly o: Required<Omit<SourceOptions, 'id' | 'logger'>> & { logger: Logger | undefined }
  private readonly args: string[]
  private readonly pool: FramePool
  private readonly reader: FrameReader
  private readonly backoff: Backoff
  private readonly frameListeners: Array<(frame: Frame) => void> = []
  private readonly statusListeners: Array<(status: SourceStatus) => void> = []
  private current: SourceStatus = { state: 'stopped', since: Date.now() }
  private started = false
  private run: Run | undefined
  private checkTimer: NodeJS.Timeout | undefined
  private retryTimer: NodeJS.Timeout | undefined
  private readonly count = { frames: 0, dropped: 0, reconnects: 0 }
  private spawned = 0

  constructor(input: SourceInput, opts: SourceOptions) {
    for (const k of ['width', 'height'] as const) {
      if (!Number.isInteger(opts[k]) || opts[k] <= 0) throw new Error(`${k} must be a positive integer, got ${opts[k]}`)
    }
    if (!(opts.fps > 0)) throw new Error(`fps must be positive, got ${opts.fps}`)
    this.id = opts.id ?? describe(input)
    this.o = {
      width: opts.width,
      height: opts.height,
      fps: opts.fps,
      // a stall is at least a few frame intervals, so a deliberately slow rate is not a stall
      stall_ms: Math.max(opts.stall_ms ?? 3000, 2500 / opts.fps),
      connect_timeout_ms: opts.connect_timeout_ms ?? 10_000,
      backoff: opts.backoff ?? DEFAULT_BACKOFF,
      pool_frames: opts.pool_frames ?? 4,
      ffmpeg: opts.ffmpeg ?? 'ffmpeg',
      kill_grace_ms: opts.kill_grace_ms ?? 2000,
      logger: opts.logger,
    }
    this.args = ffmpegArgs(input, this.o)
    this.pool = new FramePool(frameBytes(this.o), this.o.pool_frames)
    this.reader = new FrameReader(this.pool, this.o.width, this.o.height, (f, at) => this.onAssembled(f, at))
    this.backoff = new Backoff(this.o.backoff)
  }

  /** The ffmpeg command line (after the binary), for logs and tests. */
  commandLine(): readonly string[] {
    return this.args
  }

  /** Process id of the running ffmpeg, if any. */
  pid(): number | undefined {
    return this.run?.child.pid
  }

  async start(): Promise<void> {
    if (this.started) return
    this.started = true
    // a stop() nobody awaited: its ffmpeg goes first, so one source never runs two
    await this.run?.closed
    if (!this.started) return
    this.setStatus('connecting')
    this.checkTimer = setInterval(() => this.check(), CHECK_MS)
    this.spawnRun()
  }

  /** Resolves once ffmpeg has exited; every caller waits for that, not only the first. */
  async stop(): Promise<void> {
    const run = this.run
    if (this.started) {
      this.started = false
      clearInterval(this.checkTimer)
      clearTimeout(this.retryTimer)
      this.setStatus('stopped')
      if (run !== undefined) this.kill(run, 'stop')
    }
    await run?.closed
  }

  onFrame(listener: (frame: Frame) => void): void {
    this.frameListeners.push(listener)
  }

  onStatus(listener: (status: SourceStatus) => void): void {
    this.statusListeners.push(listener)
  }

  status(): SourceStatus {
    return { ...this.current }
  }

  counters(): { frames: number; dropped: number; reconnects: number; copy_ms: number } {
    return { ...this.count, copy_ms: this.reader.copy_ms }
  }

  private spawnRun(): void {
    if (this.spawned++ > 0) this.count.reconnects++
    this.reader.reset()
    const child = spawn(this.o.ffmpeg, this.args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let resolveClosed!: () => void
    const run: Run = {
      child,
      startedAt: Date.now(),
      firstFrameAt: undefined,
      lastFrameAt: undefined,
      lastLine: undefined,
      killedFor: undefined,
      killTimer: undefined,
      closed: new Promise<void>((r) => (resolveClosed = r)),
    }
    this.run = run
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.run === run) this.reader.push(chunk)
    })
    let partial = ''
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (text: string) => {
      const lines = (partial + text).split(/\r?\n/)
      partial = lines.pop() ?? ''
      for (const l of lines) if (l.trim() !== '') run.lastLine = cleanLine(l)
    })
    let ended = false
    const end = (why: string | undefined): void => {
      if (ended) return
      ended = true
      if (partial.trim() !== '') run.lastLine = cleanLine(partial)
      if (why !== undefined) run.lastLine = why
      clearTimeout(run.killTimer)
      resolveClosed()
      this.onExit(run)
    }
    child.once('error', (err) => end(`cannot run ${this.o.ffmpeg}: ${err.message}`))
    child.once('close', () => end(undefined))
  }

  private onAssembled(f: AssembledFrame | undefined, capturedAt: number): void {
    const run = this.run
    this.count.frames++
    if (f === undefined) {
      this.count.dropped++
      return
    }
    if (run === undefined || run.killedFor !== undefined) return
    run.firstFrameAt ??= capturedAt
    run.lastFrameAt = capturedAt
    if (this.current.state !== 'streaming') this.setStatus('streaming')
    const frames = f.frames(this.frameListeners.length)
    this.frameListeners.forEach((listener, i) => {
      const frame = frames[i]!
      try {
        listener(frame)
      } catch (err) {
        // a listener that throws is done with its frame; the others and the stream go on
        frame.release()
        this.o.logger?.warn({ source: this.id, err: err instanceof Error ? err.message : String(err) }, 'frame listener failed')
      }
    })
  }

  /** Stall and connect timeouts, checked on a short timer. */
  private check(): void {
    const run = this.run
    if (run === undefined || run.killedFor !== undefined) return
    const now = Date.now()
    if (run.lastFrameAt !== undefined) {
      const gap = now - run.lastFrameAt
      if (gap >= this.o.stall_ms) {
        this.setStatus('stalled', `no frame for ${(gap / 1000).toFixed(1)} s`)
        this.kill(run, 'stall')
      }
    } else if (now - run.startedAt >= this.o.connect_timeout_ms) {
      const why = run.lastLine !== undefined ? `: ${run.lastLine}` : ''
      this.setStatus('offline', `no frame ${((now - run.startedAt) / 1000).toFixed(1)} s after connecting${why}`)
      this.kill(run, 'connect')
    }
  }

  private onExit(run: Run): void {
    if (this.run !== run) return
    this.run = undefined
    if (!this.started || run.killedFor === 'stop') return
    if (run.killedFor === undefined) {
      const code = run.child.exitCode
      const fallback = run.firstFrameAt !== undefined ? 'stream ended' : `ffmpeg exited (code ${code ?? run.child.signalCode})`
      this.setStatus('offline', run.lastLine ?? fallback)
    }
    const healthy = run.firstFrameAt !== undefined && run.lastFrameAt !== undefined ? run.lastFrameAt - run.firstFrameAt : 0
    const delay = this.backoff.next(healthy)
    this.o.logger?.info({ source: this.id, state: this.current.state, detail: this.current.detail, retry_ms: delay }, 'frame source reconnecting')
    this.retryTimer = setTimeout(() => {
      if (this.started) this.spawnRun()
    }, delay)
  }

  private kill(run: Run, why: 'stall' | 'connect' | 'stop'): void {
    run.killedFor ??= why
    if (run.child.exitCode !== null || run.child.signalCode !== null) return
    run.child.kill('SIGTERM')
    clearTimeout(run.killTimer)
    run.killTimer = setTimeout(() => run.child.kill('SIGKILL'), this.o.kill_grace_ms)
  }

  /** Listeners hear state changes, and a new reason within a state (a retry failing differently). */
  private setStatus(state: SourceState, detail?: string): void {
    if (state === this.current.state && detail === this.current.detail) return
    const changed = state !== this.current.state
    this.current = detail === undefined ? { state, since: changed ? Date.now() : this.current.since } : { state, since: changed ? Date.now() : this.current.since, detail }
    for (const listener of this.statusListeners) {
      try {
        listener(this.status())
      } catch (err) {
        this.o.logger?.warn({ source: this.id, err: err instanceof Error ? err.message : String(err) }, 'status listener failed')
      }
    }
  }
}
