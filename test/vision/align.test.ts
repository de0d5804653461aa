import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { applyAffine, ARCFACE_REFERENCE, invertAffine, similarityTransform, warpToTensor, type Affine } from '../../src/vision/align.js'
import type { RgbFrame } from '../../src/vision/image.js'

const close = (a: number, b: number, eps: number, what: string): void => assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} vs ${b}`)

/** Similarity: rotate by `deg`, scale by `s`, then translate. */
function similarity(deg: number, s: number, tx: number, ty: number): Affine {
  const c = s * Math.cos((deg * Math.PI) / 180)
  const n = s * Math.sin((deg * Math.PI) / 180)
  return [c, -n, tx, n, c, ty]
}

test('a known similarity transform is recovered exactly from points it moved', () => {
  const src = ARCFACE_REFERENCE.map(([x, y]) => [x * 3 + 100, y * 3 + 50] as [number, number])
  for (const [deg, s, tx, ty] of [
    [0, 1, 0, 0],
    [17, 0.37, -12.5, 40],
    [-75, 2.2, 300, -80],
    [180, 0.5, 5, 5],
  ] as const) {
    const m = similarity(deg, s, tx, ty)
    const dst = src.map((p) => applyAffine(m, p))
    const got = similarityTransform(src, dst)
    for (let i = 0; i < 6; i++) close(got[i]!, m[i]!, 1e-9, `rotation ${deg}, coefficient ${i}`)
  }
})

test('with noisy points the least-squares fit beats any single-point error and has no shear', () => {
  const m = similarity(-20, 0.8, 10, 20)
  const src: Array<[number, number]> = [
    [200, 210],
    [260, 205],
    [232, 250],
    [210, 290],
    [255, 288],
  ]
  const noise = [
    [1.5, -0.5],
    [-1, 1],
    [0.5, 1.5],
    [-1.5, -1],
    [0.5, -1],
  ]
  const dst = src.map((p, i) => {
    const q = applyAffine(m, p)
    return [q[0] + noise[i]![0]!, q[1] + noise[i]![1]!] as [number, number]
  })
  const got = similarityTransform(src, dst)
  close(got[0], got[4], 1e-12, 'a = d')
  close(got[1], -got[3], 1e-12, 'b = -c')
  close(Math.hypot(got[0], got[3]), 0.8, 0.02, 'scale')
  close((Math.atan2(got[3], got[0]) * 180) / Math.PI, -20, 1, 'rotation')
  assert.throws(() => similarityTransform([[1, 1], [1, 1]], [[0, 0], [1, 1]]), /coincide/)
})

test('invertAffine undoes a transform', () => {
  const m = similarity(33, 1.7, -4, 9)
  const inv = invertAffine(m)
  const p = applyAffine(inv, applyAffine(m, [12.5, -3]))
  close(p[0], 12.5, 1e-9, 'x')
  close(p[1], -3, 1e-9, 'y')
})

test('warpToTensor puts a marked source pixel where the transform sends it, in the requested layout', () => {
  // 200x200 black frame with one 3x3 red-ish patch centred at (120, 60)
  const W = 200
  const data = new Uint8Array(W * W * 3)
  for (let y = 59; y <= 61; y++) for (let x = 119; x <= 121; x++) data.set([250, 10, 40], (y * W + x) * 3)
  const frame: RgbFrame = { data, width: W, height: W }
  const m = similarity(90, 0.5, 80, 20) // (120, 60) -> (80 - 30, 20 + 60) = (50, 80)
  const target = applyAffine(m, [120, 60])
  close(target[0], 50, 1e-9, 'x')
  close(target[1], 80, 1e-9, 'y')
  const rgb = warpToTensor(frame, m, 112, 112, { channels: 'rgb', mean: 0, std: 1 })
  const bgr = warpToTensor(frame, m, 112, 112, { channels: 'bgr', mean: 127, std: 128 })
  const at = (t: Float32Array, c: number, x: number, y: number): number => t[c * 112 * 112 + y * 112 + x]!
  // the patch lands on (50, 80); its red channel is plane 0 in RGB, plane 2 in BGR
  assert.ok(at(rgb, 0, 50, 80) > 200, `red at target ${at(rgb, 0, 50, 80)}`)
  assert.ok(Math.abs(at(rgb, 1, 50, 80) - 10) < 2)
  close(at(bgr, 2, 50, 80), (at(rgb, 0, 50, 80) - 127) / 128, 1e-5, 'bgr red plane')
  // far from it: black; outside the source: black too
  assert.is(at(rgb, 0, 10, 10), 0)
  let total = 0
  for (let i = 0; i < 112 * 112; i++) total += rgb[i]!
  assert.ok(total < 250 * 4, `only the patch is lit (sum ${total})`)
})

test.run()
