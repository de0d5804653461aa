import { spawn, type ChildProcess } from 'node:child_process'
import type { WebSocket } from 'ws'
import type { Logger } from '../../shared/log.js'
import { liveArgs, redactUrl, type LiveOutput } from './formats.js'
import { JpegFrames } from './jpeg-frames.js'

/** A viewer this far behind skips JPEG frames until it drains: each frame stands alone, so skipping is safe. */
const MAX_BUFFERED = 512 * 1024
const RETRY_MS = [1000, 2000, 5000, 10_000]

/** Text messages on a live socket, next to the binary video. */
export type LiveStatus = { type: 'start'; camera: string; format: string; fps: number } | { type: 'status'; state: 'playing' | 'retrying'; detail?: string }

/**
 * One camera's live view: a single ffmpeg shared by every viewer, started with the first and stopped
 * with the last. ffmpeg dying while people watch (camera away, network) is retried with a backoff.
 */
export class CameraRelay {
  private readonly viewers = new Set<WebSocket>()
  private child: ChildProcess | undefined
  private retry: NodeJS.Timeout | undefined
  private failures = 0
  private playing = false
  private stopped = false

  constructor(
    readonly camera: string,
    private readonly url: string,
    private readonly out: LiveOutput,
    private readonly logger: Logger,
    private readonly ffmpeg = 'ffmpeg',
  ) {}

  /** ffmpeg's process id while it runs (the bench reads its CPU time). */
  get pid(): number | undefined {
    return this.child?.pid
  }

  get viewerCount(): number {
    return this.viewers.size
  }

  add(ws: WebSocket): void {
    this.viewers.add(ws)
    this.sendText(ws, { type: 'start', camera: this.camera, format: this.out.format, fps: this.out.fps })
    if (this.playing) this.sendText(ws, { type: 'status', state: 'playing' })
    if (this.child === undefined && this.retry === undefined) this.spawn()
  }

  /** Remove a viewer; true when none is left (the caller drops the relay). */
  remove(ws: WebSocket): boolean {
    this.viewers.delete(ws)
    if (this.viewers.size > 0) return false
    this.stop()
    return true
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.retry)
    this.retry = undefined
    const c = this.child
    this.child = undefined
    if (c !== undefined && c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM')
      setTimeout(() => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'), 2000).unref()
    }
  }

  private spawn(): void {
    this.stopped = false
    const child = spawn(this.ffmpeg, liveArgs(this.url, this.out), { stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    let stderr = ''
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
    const deliver = this.out.format === 'jpeg' ? new JpegFrames((f) => this.frame(f, true)) : undefined
    child.stdout?.on('data', (d: Buffer) => (deliver ? deliver.push(d) : this.frame(d, false)))
    child.once('error', (err) => this.logger.error({ camera: this.camera, err }, 'live view: cannot run ffmpeg'))
    child.once('close', (code) => {
      if (this.child !== child) return
      this.child = undefined
      this.playing = false
      if (this.stopped || this.viewers.size === 0) return
      const detail = redactUrl(stderr.trim().split('\n').at(-1) ?? `ffmpeg exited with ${code}`)
      const wait = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)] ?? 10_000
      this.failures++
      this.logger.warn({ camera: this.camera, code, detail, retry_ms: wait }, 'live view: ffmpeg ended, retrying')
      for (const ws of this.viewers) this.sendText(ws, { type: 'status', state: 'retrying', detail })
      this.retry = setTimeout(() => {
        this.retry = undefined
        if (this.viewers.size > 0) this.spawn()
      }, wait)
    })
  }

  private frame(data: Buffer, droppable: boolean): void {
    if (!this.playing) {
      this.playing = true
      this.failures = 0
      for (const ws of this.viewers) this.sendText(ws, { type: 'status', state: 'playing' })
    }
    for (const ws of this.viewers) {
      if (ws.readyState !== ws.OPEN) continue
      if (droppable && ws.bufferedAmount > MAX_BUFFERED) continue
      ws.send(data, { binary: true })
    }
  }

  private sendText(ws: WebSocket, m: LiveStatus): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m))
  }
}
