import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { assertFrame, decodeFile, sampleToTensor, type RgbFrame } from '../../src/vision/image.js'
import { tempDir } from '../helpers/mqtt.js'
import { rejection } from './photos.js'

/** A frame whose pixel (x, y) is (x, y, 7) (mod 256). */
function ramp(width: number, height: number): RgbFrame {
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x % 256, y % 256, 7], (y * width + x) * 3)
  return { data, width, height }
}

test('sampleToTensor at 1:1 copies pixels into CHW planes, normalised, in RGB or BGR', () => {
  const f = ramp(8, 6)
  const rgb = sampleToTensor(f, { x: 0, y: 0, width: 8, height: 6 }, 8, 6, { channels: 'rgb', mean: 0, std: 1 })
  const bgr = sampleToTensor(f, { x: 0, y: 0, width: 8, height: 6 }, 8, 6, { channels: 'bgr', mean: 127, std: 128 })
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 8; x++) {
      const o = y * 8 + x
      assert.is(rgb[o], x)
      assert.is(rgb[48 + o], y)
      assert.is(rgb[96 + o], 7)
      assert.ok(Math.abs(bgr[o]! - (7 - 127) / 128) < 1e-6)
      assert.ok(Math.abs(bgr[96 + o]! - (x - 127) / 128) < 1e-6)
    }
  }
})

test('sampleToTensor: downscaling averages (box2), grey uses BT.601 luma, outside reads as fill', () => {
  // stripes two pixels wide, 200 / 0, downscaled 4:1: box2 samples one pixel of each -> the average
  const data = new Uint8Array(8 * 8 * 3)
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) data.fill(Math.floor(x / 2) % 2 === 0 ? 200 : 0, (y * 8 + x) * 3, (y * 8 + x) * 3 + 3)
  const board: RgbFrame = { data, width: 8, height: 8 }
  const one = sampleToTensor(board, { x: 0, y: 0, width: 8, height: 8 }, 2, 2, { channels: 'gray', mean: 0, std: 1 }, { resample: 'box2' })
  for (const v of one) assert.ok(Math.abs(v - 100) < 1e-3, `box2 average ${v}`)

  const red: RgbFrame = { data: new Uint8Array([255, 0, 0]), width: 1, height: 1 }
  const grey = sampleToTensor(red, { x: 0, y: 0, width: 1, height: 1 }, 1, 1, { channels: 'gray', mean: 0, std: 256 })
  assert.ok(Math.abs(grey[0]! - (0.299 * 255) / 256) < 1e-6)

  // a region twice the frame, centred: the border is the fill value, the centre the frame
  const white: RgbFrame = { data: new Uint8Array(4 * 4 * 3).fill(255), width: 4, height: 4 }
  const padded = sampleToTensor(white, { x: -2, y: -2, width: 8, height: 8 }, 8, 8, { channels: 'rgb', mean: 0, std: 1 }, { fill: 127 })
  assert.ok(Math.abs(padded[0]! - 127) < 1e-3, `corner ${padded[0]}`)
  assert.ok(Math.abs(padded[4 * 8 + 4]! - 255) < 1e-3, `centre ${padded[36]}`)
})

test('assertFrame refuses a buffer of the wrong size', () => {
  assert.throws(() => assertFrame({ data: new Uint8Array(10), width: 2, height: 2 }), /10 bytes; 2x2 RGB needs 12/)
  assert.throws(() => assertFrame({ data: new Uint8Array(0), width: 0, height: 2 }), /positive integers/)
})

test('decodeFile applies EXIF orientation; a corrupt or missing file gives an error naming it', async () => {
  const dir = await tempDir('venue-vision-')
  try {
    // 40 wide, 20 high, left half red; stored with orientation 6 (display rotated 90 degrees clockwise)
    const raw = ramp(40, 20).data.map((_, i) => (i % 3 === 0 && Math.floor(i / 3) % 40 < 20 ? 255 : 0))
    const rotated = join(dir.path, 'rotated.jpg')
    await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(rotated)
    const f = await decodeFile(rotated)
    assert.is(f.width, 20)
    assert.is(f.height, 40)
    // after a clockwise turn the red (left) half is on top
    assert.ok(f.data[(5 * 20 + 10) * 3]! > 200, 'top is red')
    assert.ok(f.data[(35 * 20 + 10) * 3]! < 50, 'bottom is not')

    const corrupt = join(dir.path, 'corrupt.jpg')
    await writeFile(corrupt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x13, 0x37, 0x42]))
    assert.match(await rejection(decodeFile(corrupt)), `cannot decode image ${corrupt}: `)
    const missing = join(dir.path, 'missing.jpg')
    assert.match(await rejection(decodeFile(missing)), missing)
  } finally {
    await dir.remove()
  }
})

test.run()
