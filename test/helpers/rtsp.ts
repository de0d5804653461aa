import { existsSync } from 'node:fs'
import { fromRoot } from './paths.js'
import { freePort, startProcess, type Proc } from './processes.js'

const PYTHON = '/usr/bin/python3'
const SCRIPT = fromRoot('src', 'sim', 'pixels', 'rtsp-server.py')

export function requireRtsp(): void {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: install Debian's python3-gi and gir1.2-gst-rtsp-server-1.0 (.ci/run does)`)
}

export interface RtspServer {
  port: number
  url: (mount: string) => string
  proc: Proc
  stop: () => Promise<void>
}

/** Start the GStreamer RTSP server on a free (or given) port with `mount -> mp4 file` pairs. */
export async function startRtsp(mounts: Record<string, string>, port?: number): Promise<RtspServer> {
  requireRtsp()
  const p = port ?? (await freePort())
  const proc = startProcess(PYTHON, [SCRIPT, String(p), ...Object.entries(mounts).map(([m, f]) => `${m}=${f}`)])
  const deadline = Date.now() + 10_000
  while (!proc.output().includes('ready')) {
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      await proc.stop()
      throw new Error(`RTSP server did not start on port ${p}:\n${proc.output()}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return { port: p, url: (m) => `rtsp://127.0.0.1:${p}/${m}`, proc, stop: () => proc.stop() }
}
