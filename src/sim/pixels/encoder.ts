/**
 * A live H.264 encoder for one pixel camera: raw RGB frames on ffmpeg's stdin, libx264 (ultrafast,
 * zerolatency, a keyframe every second so that a client joining late decodes within one), RTP over
 * UDP on loopback to the RTSP server's live mount (SPS and PPS repeated in-band at every keyframe:
 * the server joins the stream at any time). Frames are stamped with the wall clock as they come
 * in, so a late frame is late in the stream too, as with a camera. A frame offered while ffmpeg still
 * chews on the previous ones is dropped, not queued: the picture stays current.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'

export interface EncoderOptions {
  width: number
  height: number
  fps: number
  /** UDP port on 127.0.0.1 the RTSP server listens on for this camera. */
  port: number
  /** Where ffmpeg's complaints go. */
  onError?: (message: string) => void
}

export class LiveEncoder {
  private ff: ChildProcessWithoutNullStreams | undefined
  private exited: Promise<void> = Promise.resolve()
  private busy = false
  private stderr = ''
  /** Frames written, frames dropped because ffmpeg was behind. */
  readonly counters = { frames: 0, dropped: 0 }

  constructor(private readonly o: EncoderOptions) {}

  start(): void {
    const { width, height, fps, port } = this.o
    const ff = spawn('ffmpeg', [
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-framerate', String(fps),
      '-use_wallclock_as_timestamps', '1', '-i', 'pipe:0',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-threads', '1',
      '-g', String(Math.max(1, Math.round(fps))), '-pix_fmt', 'yuv420p', '-fps_mode', 'passthrough',
      '-bsf:v', 'dump_extra', '-payload_type', '96',
      '-f', 'rtp', `rtp://127.0.0.1:${port}?pkt_size=1200`,
      // its own process group: a Ctrl-C at the terminal reaches the simulator, which stops it in order;
      // should the simulator die instead, ffmpeg ends at the end of its input
    ], { detached: true })
    ff.stdin.on('error', () => undefined)
    ff.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000)
      this.o.onError?.(d.toString().trim())
    })
    this.exited = new Promise((resolve) => ff.once('exit', () => resolve()))
    this.ff = ff
  }

  /** Offer a frame; false when it was dropped (ffmpeg behind, or not running). */
  write(frame: Buffer): boolean {
    const ff = this.ff
    if (ff === undefined || this.busy || ff.exitCode !== null) {
      this.counters.dropped++
      return false
    }
    this.counters.frames++
    if (!ff.stdin.write(frame)) {
      this.busy = true
      ff.stdin.once('drain', () => (this.busy = false))
    }
    return true
  }

  /** ffmpeg's last words, for error messages. */
  output(): string {
    return this.stderr
  }

  async stop(): Promise<void> {
    const ff = this.ff
    this.ff = undefined
    if (ff === undefined || ff.exitCode !== null || ff.signalCode !== null) return
    ff.stdin.end()
    const timer = setTimeout(() => ff.kill('SIGKILL'), 3000)
    ff.kill('SIGTERM')
    await this.exited
    clearTimeout(timer)
  }
}
