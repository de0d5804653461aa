import { spawn } from 'node:child_process'
import sharp from 'sharp'

export interface Paste {
  /** RGB image to paste, from `loadPicture`. */
  picture: Picture
  /** Top-left corner in the frame, pixels. */
  x: number
  y: number
}

export interface Picture {
  data: Buffer
  width: number
  height: number
}

/** A photo resized to `height` pixels tall, as raw RGB, ready to paste into frames. */
export async function loadPicture(path: string, height: number): Promise<Picture> {
  const { data, info } = await sharp(path).rotate().resize({ height }).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** A plausible indoor background: a soft gradient with some texture, so that frames are not flat. */
export function background(width: number, height: number, seed = 1): Buffer {
  const buf = Buffer.alloc(width * height * 3)
  let s = seed
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff
      const n = (s >> 16) % 12
      const i = (y * width + x) * 3
      buf[i] = 150 + ((x * 40) / width) + n
      buf[i + 1] = 140 + ((y * 40) / height) + n
      buf[i + 2] = 120 + n
    }
  }
  return buf
}

function blit(frame: Buffer, width: number, height: number, p: Paste): void {
  const { picture } = p
  for (let row = 0; row < picture.height; row++) {
    const fy = Math.round(p.y) + row
    if (fy < 0 || fy >= height) continue
    const x0 = Math.max(0, Math.round(p.x))
    const x1 = Math.min(width, Math.round(p.x) + picture.width)
    if (x1 <= x0) continue
    const srcStart = (row * picture.width + (x0 - Math.round(p.x))) * 3
    picture.data.copy(frame, (fy * width + x0) * 3, srcStart, srcStart + (x1 - x0) * 3)
  }
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
  const total = Math.round(spec.seconds * spec.fps)
  for (let i = 0; i < total; i++) {
    const frame = Buffer.from(base)
    for (const p of spec.scene(i)) blit(frame, spec.width, spec.height, p)
    if (!ff.stdin.write(frame)) await new Promise((r) => ff.stdin.once('drain', r))
  }
  ff.stdin.end()
  await done
}
