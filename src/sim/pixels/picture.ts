/**
 * Raw RGB pictures for rendered camera frames: a plausible indoor background, copies of it with sensor
 * noise, and pasting a picture into a frame. Pure and synchronous: a frame is built with memory copies
 * only, so rendering several cameras at a few fps costs little of the cores the edge node needs.
 */
import { mulberry32 } from '../../shared/random.js'

export interface Picture {
  /** RGB, row-major, 3 bytes a pixel. */
  data: Buffer
  width: number
  height: number
}

/** A picture placed in a frame: its top-left corner, pixels (may reach outside the frame: clipped). */
export interface Paste {
  picture: Picture
  x: number
  y: number
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
      buf[i] = 150 + (x * 40) / width + n
      buf[i + 1] = 140 + (y * 40) / height + n
      buf[i + 2] = 120 + n
    }
  }
  return buf
}

/**
 * `count` copies of a background, each with its own faint noise (+-amplitude grey levels). Cycled frame
 * after frame they keep an empty view from repeating itself exactly: a real sensor never does, and the
 * edge's health check calls a picture that repeats exactly "frozen".
 */
export function noisyVariants(base: Buffer, count: number, amplitude: number, seed: number): Buffer[] {
  const rand = mulberry32(seed)
  const out: Buffer[] = []
  for (let k = 0; k < count; k++) {
    const b = Buffer.from(base)
    for (let i = 0; i < b.length; i++) b[i] = Math.max(0, Math.min(255, b[i]! + Math.round((rand() * 2 - 1) * amplitude)))
    out.push(b)
  }
  return out
}

/** Copy a picture into an RGB frame of the given size; the parts outside the frame are left out. */
export function blit(frame: Buffer, width: number, height: number, p: Paste): void {
  const { picture } = p
  const px = Math.round(p.x)
  const py = Math.round(p.y)
  const x0 = Math.max(0, px)
  const x1 = Math.min(width, px + picture.width)
  if (x1 <= x0) return
  for (let row = 0; row < picture.height; row++) {
    const fy = py + row
    if (fy < 0 || fy >= height) continue
    const srcStart = (row * picture.width + (x0 - px)) * 3
    picture.data.copy(frame, (fy * width + x0) * 3, srcStart, srcStart + (x1 - x0) * 3)
  }
}
