import { spawn } from 'node:child_process'
import sharp from 'sharp'
import { background, blit, type Paste, type Picture } from '../../src/sim/pixels/picture.js'

export { background, type Paste, type Picture }

/** A photo resized to `height` pixels tall, as raw RGB, ready to paste into frames. */
export async function loadPicture(path: string, height: number): Promise<Picture> {
  const { data, info } = await sharp(path).rotate().resize({ height }).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

export interface ClipSpec {
  width: number
  height: number
  fps: number
  seconds: number
  /** The frame's pictures at frame index `i` (time i / fps). */
  scene: (i: number) => Paste[]
  /** Background for every frame; default `background(width, height)`. */
  base?: Buffer
}

/**
 * Render frames in code and encode them with ffmpeg (libx264, a keyframe every 2 s so a client that
 * joins late decodes quickly) into an MP4 the RTSP server relays as it is.
 */
export async function makeClip(file: string, spec: ClipSpec): Promise<void> {
  const base = spec.base ?? background(spec.width, spec.height)
  const ff = spawn('ffmpeg', [
    '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${spec.width}x${spec.height}`, '-r', String(spec.fps), '-i', 'pipe:0',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(spec.fps * 2), '-pix_fmt', 'yuv420p',
    '-movflags', '+faststart', file,
  ], { stdio: ['pipe', 'ignore', 'pipe'] })
  let err = ''
  ff.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const done = new Promise<void>((resolve, reject) => {
    ff.once('error', reject)
    ff.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed (${code}) making ${file}: ${err}`))))
  })
  // an ffmpeg that dies makes the writes fail (EPIPE): `done` rejects with its exit code and stderr
  ff.stdin.on('error', () => undefined)
  let exited = false
  void done.catch(() => undefined).finally(() => (exited = true))
  const total = Math.round(spec.seconds * spec.fps)
  for (let i = 0; i < total && !exited; i++) {
    const frame = Buffer.from(base)
    for (const p of spec.scene(i)) blit(frame, spec.width, spec.height, p)
    if (!ff.stdin.write(frame)) await Promise.race([new Promise((r) => ff.stdin.once('drain', r)), done.catch(() => undefined)])
  }
  ff.stdin.end()
  await done
}
