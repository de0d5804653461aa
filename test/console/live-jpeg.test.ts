import { test } from 'uvu'
import * as assert from 'uvu/assert'
import sharp from 'sharp'
import { JpegFrames } from '../../src/console/live/jpeg-frames.js'

/** A real JPEG of noise (so its scan data holds many FF 00 stuffings), at the given quality. */
async function jpeg(seed: number, quality: number): Promise<Buffer> {
  const raw = Buffer.alloc(64 * 48 * 3)
  let s = seed
  for (let i = 0; i < raw.length; i++) raw[i] = (s = (s * 1103515245 + 12345) & 0x7fffffff) >> 23
  return sharp(raw, { raw: { width: 64, height: 48, channels: 3 } }).jpeg({ quality }).toBuffer()
}

test('JPEGs back to back, cut into chunks of every size, come out whole and in order', async () => {
  const images = [await jpeg(1, 90), await jpeg(2, 1), await jpeg(3, 50)]
  const stream = Buffer.concat(images)
  for (const size of [1, 7, 100, 4096, stream.length]) {
    const out: Buffer[] = []
    const cutter = new JpegFrames((f) => out.push(f))
    for (let i = 0; i < stream.length; i += size) cutter.push(stream.subarray(i, i + size))
    assert.equal(out.map((b) => b.toString('hex')), images.map((b) => b.toString('hex')), `chunks of ${size}`)
  }
})

test('bytes before the first image are skipped; a partial image waits for the rest', async () => {
  const img = await jpeg(4, 80)
  const out: Buffer[] = []
  const cutter = new JpegFrames((f) => out.push(f))
  cutter.push(Buffer.concat([Buffer.from('garbage'), img.subarray(0, 50)]))
  assert.is(out.length, 0)
  cutter.push(img.subarray(50))
  assert.is(out.length, 1)
  assert.ok(out[0]?.equals(img))
})

test.run()
