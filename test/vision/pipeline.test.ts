import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FacePipeline } from '../../src/vision/pipeline.js'
import type { RgbFrame } from '../../src/vision/image.js'
import { tempDir } from '../helpers/mqtt.js'
import { rejection } from './photos.js'

/** Face pipeline on synthetic input: no photos needed, only the installed model pack. */
const t = suite('vision pipeline (synthetic frames)')
let pipeline: FacePipeline

t.before(async () => {
  pipeline = await FacePipeline.open()
})
t.after(async () => {
  await pipeline?.close()
})

/** Deterministic pseudo-random bytes. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let s = seed
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    out[i] = s >>> 24
  }
  return out
}

function gradientWithNoise(width: number, height: number): RgbFrame {
  const data = noise(width * height * 3, 7)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3
      data[o] = Math.round((255 * x) / width * 0.7 + data[o]! * 0.3)
      data[o + 1] = Math.round((255 * y) / height * 0.7 + data[o + 1]! * 0.3)
      data[o + 2] = Math.round(128 * 0.7 + data[o + 2]! * 0.3)
    }
  }
  return { data, width, height }
}

t('no face in a gradient with noise, in pure noise, or in a flat grey frame, at several sizes', async () => {
  for (const [w, h] of [
    [640, 480],
    [1920, 1080],
    [333, 517],
  ] as const) {
    for (const frame of [gradientWithNoise(w, h), { data: noise(w * h * 3, 3), width: w, height: h }, { data: new Uint8Array(w * h * 3).fill(128), width: w, height: h }]) {
      const r = await pipeline.analyse(frame)
      assert.is(r.faces.length, 0, `${w}x${h}: ${JSON.stringify(r.faces.map((f) => [f.box, f.score]))}`)
      assert.is(r.width, w)
      assert.ok(r.timings.inference.detect_ms > 0 && r.timings.total_ms >= r.timings.inference_ms)
    }
  }
})

t('a corrupt JPEG gives an error that names the file; a malformed frame is refused', async () => {
  const dir = await tempDir('venue-vision-')
  try {
    const file = join(dir.path, 'garbage.jpg')
    await writeFile(file, Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x01, 0x02, 0x03, 0xfe, 0xed]))
    assert.match(await rejection(pipeline.analyseFile(file)), file)
  } finally {
    await dir.remove()
  }
  assert.throws(() => pipeline.analyse({ data: new Uint8Array(5), width: 2, height: 2 }), /5 bytes/)
})

t('one failed call does not block the queue', async () => {
  const bad = pipeline.analyseFile('/nonexistent/x.jpg')
  const good = pipeline.analyse(gradientWithNoise(64, 48))
  assert.match(await rejection(bad), '/nonexistent/x.jpg')
  assert.is((await good).faces.length, 0)
})

t.run()
