import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadVenue } from '../../src/config/index.js'
import {
  applyHomography,
  calibrationReport,
  estimateHomography,
  formatCalibrationEntry,
  imageToFloor,
  type CalibrationPairInput,
  type Vec2,
} from '../../src/config/homography.js'
import { fromRoot } from '../helpers/paths.js'
import { gaussian, mulberry32 } from '../../src/shared/random.js'

const rng = mulberry32
const gauss = gaussian

// A plausible camera: image (1920x1080 px) -> floor (m), with perspective (w > 0 over the whole image).
const TRUE_H = [0.004, 0.0012, 8, -0.0009, 0.009, 3, 0.00002, 0.0009, 1]
const truth = (p: Vec2): Vec2 => applyHomography(TRUE_H, p)!
const randomImagePoint = (r: () => number): Vec2 => [r() * 1920, r() * 1080]
const pairsFrom = (image: Vec2[], noise = 0, r = rng(99)): CalibrationPairInput[] =>
  image.map((p) => {
    const f = truth(p)
    return { image: p, floor: [f[0] + noise * gauss(r), f[1] + noise * gauss(r)] }
  })
const near = (a: Vec2 | null, b: Vec2, tol: number, msg = ''): void => {
  assert.ok(a !== null, `null ${msg}`)
  const d = Math.hypot(a[0] - b[0], a[1] - b[1])
  assert.ok(d < tol, `off by ${d} ${msg}`)
}

test('recovers a known homography from 4 noise-free pairs', () => {
  const h = estimateHomography(pairsFrom([[100, 900], [1800, 950], [1500, 150], [300, 200]]))
  assert.ok(h.rms_m < 1e-9 && h.max_m < 1e-9, `rms ${h.rms_m}`)
  assert.is(h.H.length, 9)
  const r = rng(1)
  for (let i = 0; i < 200; i++) {
    const p = randomImagePoint(r)
    near(applyHomography(h.H, p), truth(p), 1e-6, `at ${p}`)
  }
})

test('recovers a known homography from 8 noise-free pairs (least squares)', () => {
  const r = rng(2)
  const img = Array.from({ length: 8 }, () => randomImagePoint(r))
  const h = estimateHomography(pairsFrom(img))
  assert.is(h.perPair_m.length, 8)
  assert.ok(h.max_m < 1e-8, `max ${h.max_m}`)
  for (let i = 0; i < 200; i++) {
    const p = randomImagePoint(r)
    near(applyHomography(h.H, p), truth(p), 1e-6, `at ${p}`)
  }
})

test('with noise, the rms is close to the noise level and the fit is close to the truth', () => {
  const r = rng(3)
  const sigma = 0.05
  const img = Array.from({ length: 60 }, () => randomImagePoint(r))
  const h = estimateHomography(pairsFrom(img, sigma, r))
  // Expected rms of residuals: sigma * sqrt(2) * sqrt((2N - 8) / 2N) for 2-D noise with 8 dof fitted.
  const expected = sigma * Math.SQRT2 * Math.sqrt((120 - 8) / 120)
  assert.ok(h.rms_m > 0.7 * expected && h.rms_m < 1.3 * expected, `rms ${h.rms_m} vs ${expected}`)
  assert.ok(h.max_m >= h.rms_m)
  for (let i = 0; i < 50; i++) {
    const p = randomImagePoint(r)
    near(applyHomography(h.H, p), truth(p), 5 * sigma, `at ${p}`)
  }
})

test('round trip through the inverse', () => {
  const r = rng(4)
  const h = estimateHomography(pairsFrom(Array.from({ length: 6 }, () => randomImagePoint(r))))
  for (let i = 0; i < 100; i++) {
    const p = randomImagePoint(r)
    const f = applyHomography(h.H, p)!
    near(applyHomography(h.inverse, f), p, 1e-6, 'image->floor->image')
  }
})

test('points on or beyond the horizon map to null', () => {
  // w = 0.00002 u + 0.0009 v + 1 is zero on the line v = -(1 + 0.00002 u) / 0.0009, above the image.
  const h = estimateHomography(pairsFrom([[100, 900], [1800, 950], [1500, 150], [300, 200], [960, 540]]))
  assert.is(applyHomography(h.H, [0, -1 / 0.0009]), null)
  assert.is(applyHomography(h.H, [0, -5000]), null)
  assert.ok(applyHomography(h.H, [0, -1000]) !== null)
  assert.is(applyHomography([1, 0, 0, 0, 1, 0, 0, 0, 0], [3, 4]), null)
})

test('degenerate inputs give clear errors', () => {
  const good = pairsFrom([[100, 900], [1800, 950], [1500, 150], [300, 200]])
  assert.throws(() => estimateHomography(good.slice(0, 3)), /at least 4 calibration pairs, got 3/)
  assert.throws(() => estimateHomography([]), /at least 4/)
  const nan = good.map((p) => ({ ...p }))
  nan[2] = { image: [Number.NaN, 5], floor: [1, 2] }
  assert.throws(() => estimateHomography(nan), /pair 3 has a missing, NaN/)
  const line = pairsFrom([[0, 0], [100, 100], [200, 200], [300, 300], [400, 400]])
  assert.throws(() => estimateHomography(line), /image points are collinear/)
  const floorLine: CalibrationPairInput[] = [[0, 0], [1000, 0], [1000, 1000], [0, 1000], [500, 500]].map(
    ([u, v], i) => ({ image: [u!, v!], floor: [i, 2 * i] }),
  )
  assert.throws(() => estimateHomography(floorLine), /floor points are collinear/)
  const same = [0, 1, 2, 3].map(() => ({ image: [5, 5] as Vec2, floor: [1, 1] as Vec2 }))
  assert.throws(() => estimateHomography(same), /same point/)
  const three = pairsFrom([[0, 0], [500, 0], [1000, 0], [500, 800]])
  assert.throws(() => estimateHomography(three), /pairs 1, 2 and 3 are collinear/)
  // Five pairs, but four of them on one line: not enough to fix a homography.
  const fourInLine = pairsFrom([[0, 100], [400, 100], [800, 100], [1200, 100], [600, 900]])
  assert.throws(() => estimateHomography(fourInLine), /degenerate/)
})

test('imageToFloor caches per camera object and agrees with estimateHomography', () => {
  const pairs = pairsFrom([[100, 900], [1800, 950], [1500, 150], [300, 200], [960, 540]])
  const cam = { calibration: { plane_m: 1.6, pairs } }
  near(imageToFloor(cam, [960, 600]), truth([960, 600]), 1e-6)
  pairs[0] = { image: [0, 0], floor: [1000, 1000] } // mutating after the first call: the cached fit stays
  near(imageToFloor(cam, [960, 600]), truth([960, 600]), 1e-6)
  const bad = { calibration: { plane_m: 1.6, pairs: pairs.slice(0, 3) } }
  assert.throws(() => imageToFloor(bad, [1, 1]), /at least 4/)
})

test('demo venue: every camera has a calibration report with a small reprojection error', async () => {
  const { venue } = await loadVenue(fromRoot('config/venues/demo.yaml'))
  const report = calibrationReport(venue)
  assert.is(report.length, venue.cameras.length)
  assert.ok(report.length > 0)
  for (const e of report) {
    if (process.env.SHOW_CALIBRATION) console.log(formatCalibrationEntry(e), 'worstPair' in e ? `(worst pair ${e.worstPair})` : '')
    assert.ok(!('error' in e), formatCalibrationEntry(e))
    if ('error' in e) continue
    assert.ok(e.pairs >= 4)
    // Measured: rms 0.3-2.2 mm, max 0.5-3.8 mm (floor points are given to the centimetre).
    assert.ok(e.rms_m < 0.02, formatCalibrationEntry(e))
    assert.ok(e.max_m < 0.05, formatCalibrationEntry(e))
  }
  // A mis-measured pair stands out, and the report says which.
  const cam = venue.cameras[1]!
  const pairs = cam.calibration.pairs.map((p) => ({ image: p.image, floor: [...p.floor] as Vec2 }))
  const last = pairs.length
  pairs[last - 1]!.floor[0] += 1
  const [bad] = calibrationReport({ cameras: [{ ...cam, calibration: { ...cam.calibration, pairs } }] })
  assert.ok(bad !== undefined && !('error' in bad))
  if (bad === undefined || 'error' in bad) return
  assert.is(bad.worstPair, last)
  assert.ok(bad.max_m > 0.3 && bad.rms_m > 0.1, formatCalibrationEntry(bad))
})

test('report entries format for venue check', () => {
  assert.is(
    formatCalibrationEntry({ camera: 'cam-01', pairs: 5, rms_m: 0.031, max_m: 0.058, worstPair: 2 }),
    'cam-01: reprojection rms 31.0 mm, max 58.0 mm over 5 pairs',
  )
  assert.is(formatCalibrationEntry({ camera: 'cam-02', pairs: 6, rms_m: 0.25, max_m: 0.5, worstPair: 3 }), 'cam-02: reprojection rms 0.25 m, max 0.50 m over 6 pairs')
  assert.match(formatCalibrationEntry({ camera: 'cam-03', pairs: 4, rms_m: 0, max_m: 0, worstPair: 1 }), /4 pairs fit exactly/)
  const [e] = calibrationReport({ cameras: [{ id: 'cam-x', calibration: { plane_m: 1.6, pairs: [] } }] as never })
  assert.equal(e, { camera: 'cam-x', error: 'a homography needs at least 4 calibration pairs, got 0' })
})

test.run()
