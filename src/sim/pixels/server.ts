/**
 * The RTSP server of pixel mode (and of the tests): Debian's GStreamer RTSP server, run by the system
 * Python with python3-gi and gir1.2-gst-rtsp-server-1.0 (rtsp-server.py next to this file says what it
 * serves). A mount is an MP4 file relayed as it is, or a live H.264 RTP stream arriving over UDP.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { packageRoot } from '../../shared/paths.js'

export const PYTHON = '/usr/bin/python3'
/** The script ships in src/ (dist/ has no .py): found from the package root either way. */
export const RTSP_SCRIPT = join(packageRoot(), 'src', 'sim', 'pixels', 'rtsp-server.py')

/** A mount's source: an H.264 MP4 file, or a live H.264 RTP stream on a loopback UDP port. */
export type MountSource = { file: string } | { rtp: number }

export interface RtspServerOptions {
  mounts: Record<string, MountSource>
  /** TCP port (default: a free one). */
  port?: number
  /** How long to wait for the server to listen (default 10 s). */
  timeout_ms?: number
}

export class RtspServer {
  private child: ChildProcess | undefined
  private exited: Promise<void> = Promise.resolve()
  private out = ''
  port = 0

  constructor(private readonly o: RtspServerOptions) {}

  url(mount: string): string {
    return `rtsp://127.0.0.1:${this.port}/${mount}`
  }

  /** The server's output so far, for error messages. */
  output(): string {
    return this.out
  }

  async start(): Promise<void> {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: install Debian's python3-gi and gir1.2-gst-rtsp-server-1.0 for the RTSP server`)
    this.port = this.o.port ?? (await freeTcpPort())
    const mounts = Object.entries(this.o.mounts).map(([name, s]) => `${name}=${'file' in s ? s.file : `rtp:${s.rtp}`}`)
    const child = spawn(PYTHON, [RTSP_SCRIPT, String(this.port), ...mounts], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()))
    child.stdout?.on('data', (d: Buffer) => (this.out = (this.out + d.toString()).slice(-4000)))
    child.stderr?.on('data', (d: Buffer) => (this.out = (this.out + d.toString()).slice(-4000)))
    const deadline = Date.now() + (this.o.timeout_ms ?? 10_000)
    while (!this.out.includes('ready')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.stop()
        throw new Error(`RTSP server did not start on port ${this.port}:\n${this.out}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async stop(): Promise<void> {
    const child = this.child
    this.child = undefined
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    await this.exited
    clearTimeout(timer)
  }
}

/** A free TCP port on loopback (the GStreamer server cannot listen on port 0 and tell us). */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      s.close(() => resolve(port))
    })
  })
}

/** A free UDP port on loopback. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4')
    s.once('error', reject)
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port
      s.close(() => resolve(port))
    })
  })
}
