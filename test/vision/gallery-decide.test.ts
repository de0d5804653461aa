import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { calibrate, decideFrom, DEFAULT_THRESHOLDS } from '../../src/vision/gallery/decide.js'

const test = suite('vision gallery decisions and calibration')
const hit = (subject: string, score: number) => ({ subject, score, template: `tpl-${subject}` })

test('decide: threshold and margin over the second subject', () => {
  const t = DEFAULT_THRESHOLDS
  assert.equal(decideFrom([hit('sub-aaaa', 0.62), hit('sub-bbbb', 0.2)], t), { subject: 'sub-aaaa', score: 0.62, secondScore: 0.2, template: 'tpl-sub-aaaa' })
  assert.is(decideFrom([hit('sub-aaaa', 0.39), hit('sub-bbbb', 0.1)], t).subject, 'unknown', 'below threshold')
  assert.is(decideFrom([hit('sub-aaaa', 0.5), hit('sub-bbbb', 0.47)], t).subject, 'unknown', 'ambiguous')
  assert.is(decideFrom([hit('sub-aaaa', 0.4)], t).subject, 'sub-aaaa', 'alone, at the threshold')
  assert.equal(decideFrom([], t), { subject: 'unknown', score: -1, secondScore: -1 })
  const unknown = decideFrom([hit('sub-aaaa', 0.3), hit('sub-bbbb', 0.1)], t)
  assert.equal([unknown.score, unknown.secondScore], [0.3, 0.1])
})

test('calibrate: lowest threshold meeting the FMR target, FNMR reported', () => {
  const impostor = Array.from({ length: 1000 }, (_, i) => -0.3 + (0.65 * i) / 999) // -0.30 .. 0.35
  const genuine = Array.from({ length: 200 }, (_, i) => 0.3 + (0.6 * i) / 199) // 0.30 .. 0.90
  const c = calibrate(genuine, impostor, { targetFmr: 0.01 })
  // 10 impostors may pass: the threshold sits just above the 11th highest
  assert.is(c.falseMatches, 10)
  assert.is(c.fmr, 0.01)
  assert.ok(c.threshold > impostor[989]! && c.threshold < impostor[990]!, String(c.threshold))
  assert.is(c.falseNonMatches, genuine.filter((g) => g < c.threshold).length)
  assert.ok(Math.abs(c.fnmr - c.falseNonMatches / 200) < 1e-12)
  assert.is(c.warning, undefined)
  // any lower candidate threshold lets more impostors through
  assert.ok(impostor.filter((s) => s >= impostor[989]!).length / 1000 > 0.01)

  const strict = calibrate(genuine, impostor, { targetFmr: 0 })
  assert.is(strict.falseMatches, 0)
  assert.ok(strict.threshold > 0.35 && strict.threshold < 0.3500001)
  assert.match(strict.warning ?? '', /cannot measure/)
  const small = calibrate([0.5, 0.6], [0.1, 0.2], { targetFmr: 1e-4 })
  assert.is(small.impostorsNeeded, 30000)
  assert.match(small.warning ?? '', /need >= 30000.*only 2 genuine/)
  assert.is(calibrate(genuine, impostor, { targetFmr: 1 }).fmr, 1)
  assert.throws(() => calibrate(genuine, impostor, { targetFmr: 2 }), /targetFmr/)
})

test('calibrate: ties at the cut-off are all excluded', () => {
  const c = calibrate([0.5], [0.1, 0.3, 0.3, 0.3, 0.2], { targetFmr: 0.2 })
  assert.is(c.falseMatches, 0)
  assert.ok(c.threshold > 0.3)
})

test.run()
