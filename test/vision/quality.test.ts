import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { applyAffine, ARCFACE_REFERENCE } from '../../src/vision/align.js'
import type { Landmarks5 } from '../../src/vision/landmarks.js'
import { assessQuality, estimatePose, sharpness } from '../../src/vision/quality.js'

/** Five points of a frontal face: the ArcFace reference, its nose moved to our frontal height. */
function frontal(): Landmarks5 {
  const p = ARCFACE_REFERENCE.map(([x, y]) => [x * 2, y * 2] as [number, number])
  const eyeY = (p[0]![1] + p[1]![1]) / 2
  const mouthY = (p[3]![1] + p[4]![1]) / 2
  p[2] = [(p[0]![0] + p[1]![0] + p[3]![0] + p[4]![0]) / 4, eyeY + 0.58 * (mouthY - eyeY)]
  return p as Landmarks5
}

/** A 64x64 grey crop: a sharp checkerboard of 8 px squares, or the same blurred by box filtering. */
function crop(blurRadius: number): Float32Array {
  const sharpImg = new Float32Array(64 * 64)
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) sharpImg[y * 64 + x] = (Math.floor(x / 8) + Math.floor(y / 8)) % 2 ? 0.8 : 0.2
  if (blurRadius === 0) return sharpImg
  const out = new Float32Array(64 * 64)
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 64; x++) {
      let s = 0
      let n = 0
      for (let dy = -blurRadius; dy <= blurRadius; dy++) {
        for (let dx = -blurRadius; dx <= blurRadius; dx++) {
          const yy = Math.min(63, Math.max(0, y + dy))
          const xx = Math.min(63, Math.max(0, x + dx))
          s += sharpImg[yy * 64 + xx]!
          n++
        }
      }
      out[y * 64 + x] = s / n
    }
  }
  return out
}

test('pose of a frontal face is ~0; turning the nose sideways or down reads as yaw or pitch; roll is the eye line', () => {
  const f = frontal()
  const p = estimatePose(f)
  assert.ok(Math.abs(p.yaw) < 1 && Math.abs(p.pitch) < 1 && Math.abs(p.roll) < 1, JSON.stringify(p))

  const iod = f[1][0] - f[0][0]
  const right: Landmarks5 = [f[0], f[1], [f[2][0] + 0.4 * iod, f[2][1]], f[3], f[4]]
  assert.ok(Math.abs(estimatePose(right).yaw - 45) < 1, `yaw ${estimatePose(right).yaw}`)
  const down: Landmarks5 = [f[0], f[1], [f[2][0], f[2][1] + 0.3 * (f[3][1] - f[0][1])], f[3], f[4]]
  assert.ok(estimatePose(down).pitch > 30, `pitch ${estimatePose(down).pitch}`)

  // the same face rotated in the plane by 30 degrees: roll 30, yaw and pitch unchanged
  const c = Math.cos(Math.PI / 6)
  const s = Math.sin(Math.PI / 6)
  const rolled = f.map((q) => applyAffine([c, -s, 50, s, c, -20], q)) as Landmarks5
  const r = estimatePose(rolled)
  assert.ok(Math.abs(r.roll - p.roll - 30) < 1e-6 && Math.abs(r.yaw) < 1 && Math.abs(r.pitch) < 1, JSON.stringify(r))
})

test('sharpness falls with blur and ignores contrast', () => {
  const sharp = sharpness(crop(0), 64)
  const blurred = sharpness(crop(2), 64)
  assert.ok(blurred < sharp / 5, `sharp ${sharp}, blurred ${blurred}`)
  const lowContrast = crop(0).map((v) => 0.5 + (v - 0.5) * 0.2)
  assert.ok(Math.abs(sharpness(lowContrast, 64) - sharp) < 1e-3 * sharp)
  assert.is(sharpness(new Float32Array(64 * 64).fill(0.5), 64), 0)
})

test('the gate passes a good face and names every reason it fails one', () => {
  const f = frontal()
  const ok = assessQuality([0, 0, 200, 220], f, crop(0), 64)
  assert.ok(ok.passed, ok.reasons.join())
  assert.equal(ok.reasons, [])
  assert.ok(ok.score > 0.9 && ok.score <= 1, `score ${ok.score}`)

  const small = assessQuality([0, 0, 30, 36], f, crop(0), 64)
  assert.not.ok(small.passed)
  assert.ok(small.reasons.includes('too_small'))
  assert.ok(small.score < ok.score)

  const blurry = assessQuality([0, 0, 200, 220], f, new Float32Array(64 * 64).fill(0.4), 64)
  assert.equal(blurry.reasons, ['blurry', 'low_quality'])

  const iod = f[1][0] - f[0][0]
  const profile: Landmarks5 = [f[0], f[1], [f[2][0] + 0.6 * iod, f[2][1]], f[3], f[4]]
  const turned = assessQuality([0, 0, 200, 220], profile, crop(0), 64)
  assert.equal(turned.reasons, ['yaw'])
  const strict = assessQuality([0, 0, 100, 110], f, crop(0), 64, { minFaceSize: 300, minQuality: 0.99 })
  assert.equal(strict.reasons, ['too_small', 'low_quality'])
})

test.run()
