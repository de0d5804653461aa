import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { IdentityConsensus } from '../../src/vision/gallery/consensus.js'
import type { Decision } from '../../src/vision/gallery/decide.js'

const test = suite('vision gallery track consensus')
const is = (subject: string, score = 0.6): Decision => ({ subject, score, secondScore: 0.1 })
const nobody: Decision = { subject: 'unknown', score: 0.2, secondScore: 0.1 }

test('needs agreement across frames before naming a subject', () => {
  const c = new IdentityConsensus()
  assert.is(c.observe(is('sub-aaaa'), 0.9).status, 'pending')
  assert.is(c.observe(is('sub-aaaa'), 0.9).status, 'pending')
  const s = c.observe(is('sub-aaaa', 0.7), 0.9)
  assert.is(s.status, 'subject')
  assert.is(s.subject, 'sub-aaaa')
  assert.is(s.frames, 3)
  assert.ok(s.confidence > 0.99)
  assert.ok(Math.abs(s.score - (0.6 + 0.6 + 0.7) / 3) < 1e-9, String(s.score))
})

test('disagreeing frames do not name anyone', () => {
  const c = new IdentityConsensus()
  for (let i = 0; i < 20; i++) assert.is(c.observe(is(i % 2 ? 'sub-aaaa' : 'sub-bbbb'), 0.9).status, 'pending')
  assert.is(c.current().subject, 'unknown')
})

test('one odd frame does not flip the answer; a sustained change does', () => {
  const c = new IdentityConsensus()
  for (let i = 0; i < 5; i++) c.observe(is('sub-aaaa'), 0.9)
  assert.is(c.observe(is('sub-bbbb', 0.9), 1).subject, 'sub-aaaa')
  assert.is(c.observe(nobody, 1).subject, 'sub-aaaa')
  assert.is(c.observe(is('sub-aaaa'), 0.9).subject, 'sub-aaaa')
  // the track now shows someone else for good
  const seen: string[] = []
  for (let i = 0; i < 8; i++) seen.push(c.observe(is('sub-bbbb'), 0.9).subject)
  assert.is(seen[0], 'sub-aaaa')
  assert.is(seen[seen.length - 1], 'sub-bbbb')
})

test('low-quality frames do not vote; quality weights the rest', () => {
  const c = new IdentityConsensus()
  for (let i = 0; i < 10; i++) c.observe(is('sub-aaaa'), 0.1)
  assert.is(c.current().status, 'pending')
  for (let i = 0; i < 3; i++) c.observe(is('sub-aaaa'), 0.9)
  assert.is(c.current().subject, 'sub-aaaa')
  // three blurry contrary frames weigh less than the sharp ones before them
  for (let i = 0; i < 3; i++) c.observe(is('sub-bbbb'), 0.25)
  assert.is(c.current().subject, 'sub-aaaa')
})

test('reports unknown confidently after enough non-matching frames', () => {
  const c = new IdentityConsensus()
  assert.is(c.observe(nobody, 0.9).status, 'pending')
  assert.is(c.observe(nobody, 0.9).status, 'pending')
  assert.is(c.observe(nobody, 0.9).status, 'pending')
  const s = c.observe(nobody, 0.9)
  assert.is(s.status, 'unknown')
  assert.is(s.subject, 'unknown')
  assert.is(s.score, 0)
  // one matching frame does not name anyone...
  assert.is(c.observe(is('sub-aaaa'), 0.9).status, 'unknown')
  // ...nor does a named subject drop to unknown on a few missed frames
  const d = new IdentityConsensus()
  for (let i = 0; i < 6; i++) d.observe(is('sub-aaaa'), 0.9)
  for (let i = 0; i < 3; i++) assert.is(d.observe(nobody, 0.9).subject, 'sub-aaaa')
})

test.run()
