import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { decodePayload, encodePayload, filterOf, matchTopic, topicOf } from '../../src/contract/codec.js'
import { stamp } from '../../src/contract/envelope.js'
import { TOPIC_KEYS, TOPICS, type TopicKey } from '../../src/contract/topics.js'

/** The parameter names of a topic pattern, in order. */
function paramNames(key: TopicKey): string[] {
  return [...TOPICS[key].pattern.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)
}

/** Every literal level of every pattern: the values most likely to make two patterns ambiguous. */
const LITERALS = [...new Set(TOPIC_KEYS.flatMap((k) => TOPICS[k].pattern.split('/').filter((s) => !s.startsWith('{'))))]

const byName = (key: TopicKey, value: (name: string, i: number) => string): Record<string, string> =>
  Object.fromEntries(paramNames(key).map((n, i) => [n, value(n, i)]))

test('topicOf / matchTopic round-trip for every topic key', () => {
  for (const key of TOPIC_KEYS) {
    const params = byName(key, (n) => `x-${n}.1`)
    const topic = topicOf(key, params as never)
    assert.not.ok(topic.includes('{'), `${key}: ${topic} has an unfilled parameter`)
    assert.equal(matchTopic(topic), { key, params }, `${key}: ${topic}`)
  }
})

test('topicOf / matchTopic round-trip even when parameters equal literal levels of other patterns', () => {
  for (const key of TOPIC_KEYS) {
    for (let shift = 0; shift < LITERALS.length; shift++) {
      const params = byName(key, (_n, i) => LITERALS[(i + shift) % LITERALS.length]!)
      const topic = topicOf(key, params as never)
      assert.equal(matchTopic(topic), { key, params }, `${key}: ${topic} is ambiguous`)
    }
  }
})

test('topicOf refuses a parameter that is not exactly one topic level', () => {
  for (const bad of ['', 'a/b', '+', '#', 'a+b', 'x#']) {
    assert.throws(() => topicOf('alert', { site: 'main', alertId: bad }), /alertId must be one topic level/)
  }
  assert.throws(() => topicOf('alert', { site: 'main' } as never), /alertId/)
})

test('filterOf puts + for parameters left out, keeps the given ones', () => {
  assert.is(filterOf('alert'), 'venue/v1/+/alerts/+')
  assert.is(filterOf('alert', { site: 'main' }), 'venue/v1/main/alerts/+')
  assert.is(filterOf('alert', { site: 'main', alertId: '+' }), 'venue/v1/main/alerts/+')
  assert.is(filterOf('vdaState', { interface: 'uagv', serialNumber: 'P-001' }), 'uagv/v2/+/P-001/state')
  for (const key of TOPIC_KEYS) {
    const all = filterOf(key)
    assert.is(all.split('/').length, TOPICS[key].pattern.split('/').length)
    assert.not.ok(all.includes('{'), all)
  }
})

test('filterOf refuses a parameter that would change the levels of the filter', () => {
  assert.throws(() => filterOf('alert', { site: 'a/b' }), /site must be one topic level/)
  assert.throws(() => filterOf('alert', { site: '#' }), /site must be one topic level/)
})

test('matchTopic: undefined for topics outside the contract', () => {
  assert.is(matchTopic('venue/v1/main/unknown'), undefined)
  assert.is(matchTopic('venue/v1//tracks'), undefined, 'empty level')
  assert.is(matchTopic('venue/v1/main/tracks/extra'), undefined, 'extra level')
  assert.is(matchTopic('venue/v2/main/tracks'), undefined, 'other major version')
  assert.is(matchTopic('uagv/v1/Acme/P-001/state'), undefined, 'VDA 5050 1.x')
  assert.is(matchTopic(''), undefined)
})

test('decodePayload: bad JSON gives "not JSON" and never throws', () => {
  for (const bad of ['{', '', 'undefined', "{'a':1}"]) {
    const r = decodePayload('tracks', bad)
    assert.is(r.ok, false)
    if (!r.ok) assert.match(r.error, /^not JSON: /)
  }
  const bytes = new TextEncoder().encode('{"schemaVersion": ')
  const r = decodePayload('tracks', bytes)
  assert.ok(!r.ok && r.error.startsWith('not JSON'))
})

test('decodePayload: a valid payload from bytes, a Buffer slice or a string', () => {
  const json = JSON.stringify({ ...stamp(), tracks: [] })
  const inBig = Buffer.from(`xxxx${json}yyyy`)
  for (const payload of [json, new TextEncoder().encode(json), inBig.subarray(4, 4 + Buffer.byteLength(json))]) {
    const r = decodePayload('tracks', payload)
    assert.ok(r.ok, r.ok ? '' : r.error)
    if (r.ok) assert.equal(r.value.tracks, [])
  }
})

test('decodePayload: a schema-invalid payload names the field and the problem', () => {
  const r = decodePayload('edgeStatus', JSON.stringify({ ...stamp(), node: 'edge-1', state: 'sleeping' }))
  assert.is(r.ok, false)
  if (!r.ok) assert.match(r.error, /^state: /)

  const root = decodePayload('edgeStatus', '42')
  assert.ok(!root.ok && root.error.startsWith('(root): '), root.ok ? '' : root.error)

  const nested = decodePayload('vdaConnection', JSON.stringify({ headerId: -1, timestamp: 'now', version: '2.0.0', manufacturer: 'Acme', serialNumber: 'P-001', connectionState: 'UP' }))
  assert.is(nested.ok, false)
  if (!nested.ok) {
    assert.match(nested.error, /headerId: /)
    assert.match(nested.error, /timestamp: /)
    assert.match(nested.error, /connectionState: /)
  }
})

test('decodePayload: many issues are cut to five with a count of the rest', () => {
  const r = decodePayload('alert', '{}')
  assert.is(r.ok, false)
  if (!r.ok) {
    assert.is(r.error.split('; ').length, 5)
    assert.match(r.error, /\(\+\d+ more\)$/)
  }
})

test('decodePayload: unknown fields in a venue payload are refused', () => {
  const r = decodePayload('tracks', JSON.stringify({ ...stamp(), tracks: [], extra: 1 }))
  assert.ok(!r.ok && /extra/.test(r.error), r.ok ? 'accepted' : r.error)
})

test('encodePayload writes the parsed value, defaults applied', () => {
  const buf = encodePayload('edgeStatus', { ...stamp(), node: 'edge-1', state: 'online' })
  const back = JSON.parse(buf.toString('utf8'))
  assert.equal(back.cameras, [])
  assert.is(back.queued, 0)
  const r = decodePayload('edgeStatus', buf)
  assert.ok(r.ok)
})

test('encodePayload refuses invalid values: a role never sends what it would refuse', () => {
  assert.throws(() => encodePayload('edgeStatus', { ...stamp(), node: 'edge-1', state: 'sleeping' }))
  assert.throws(() => encodePayload('edgeStatus', { node: 'edge-1', state: 'online' }), /schemaVersion/)
  assert.throws(() => encodePayload('tracks', { ...stamp(), tracks: [], extra: 1 }))
  assert.throws(() =>
    encodePayload('vdaConnection', { headerId: 1, timestamp: new Date().toISOString(), version: '2.0.0', manufacturer: 'Acme', serialNumber: 'P-001', connectionState: 'GONE' }),
  )
})

test.run()
