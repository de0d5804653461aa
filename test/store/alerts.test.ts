import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Alert as AlertSchema, type Alert } from '../../src/contract/index.js'
import { AlertStore, AlertTransitionError, alertDedupKey } from '../../src/store/alerts.js'
import { openDatabase } from '../../src/store/db.js'

const dir = mkdtempSync(join(tmpdir(), 'venue-alerts-'))
let n = 0
const freshFile = () => join(dir, `store-${++n}.db`)
test.after(() => rmSync(dir, { recursive: true, force: true }))

const T0 = Date.parse('2025-05-06T08:00:00Z')
const iso = (s: number) => new Date(T0 + s * 1000).toISOString()

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return AlertSchema.parse({
    schemaVersion: '1.0.0',
    timestamp: iso(0),
    id,
    rule: 'r-lab',
    kind: 'wrong_room',
    severity: 'high',
    state: 'open',
    title: 'Unexpected person in lab',
    subjects: ['sub-abcd1234'],
    zone: 'lab',
    floor: [1.5, 2],
    cameras: ['cam-1'],
    firstAt: iso(0),
    lastAt: iso(0),
    count: 1,
    ...over,
  })
}

test('upsert/get round-trips the full payload; update keeps one row', () => {
  const db = openDatabase(freshFile())
  const s = new AlertStore(db)
  const a = alert('a1', { evidence: [{ kind: 'snapshot', ref: 'snap/1.jpg' }] })
  s.upsert(a)
  assert.equal(s.get('a1'), a)
  s.upsert({ ...a, count: 3, lastAt: iso(30) })
  assert.is(s.get('a1')?.count, 3)
  assert.is(s.list().length, 1)
  assert.is(s.get('nope'), undefined)
  const ev = s.events.list({ kind: 'alert.open' })
  assert.is(ev.length, 1, 'a dedup update is not a state change')
  assert.equal(ev[0]?.detail, { alertId: 'a1', rule: 'r-lab', severity: 'high', from: null, to: 'open' })
  assert.is(ev[0]?.subject, 'sub-abcd1234')
  assert.is(ev[0]?.zone, 'lab')
  db.close()
})

test('lifecycle: acknowledge from open, resolve from acknowledged; each appends an event', () => {
  const db = openDatabase(freshFile())
  const s = new AlertStore(db)
  s.upsert(alert('a1'))
  const acked = s.acknowledge('a1', 'console:alice', iso(10))
  assert.is(acked.state, 'acknowledged')
  assert.equal(acked.acknowledged, { by: 'console:alice', at: iso(10) })
  assert.equal(s.get('a1'), acked)
  const res = s.resolve('a1', 'console:bob', T0 + 20_000, 'false alarm')
  assert.is(res.state, 'resolved')
  assert.equal(res.resolved, { by: 'console:bob', at: iso(20), note: 'false alarm' })
  assert.equal(res.acknowledged, { by: 'console:alice', at: iso(10) })
  const ev = s.events.list()
  assert.equal(ev.map((e) => e.kind), ['alert.open', 'alert.acknowledged', 'alert.resolved'])
  assert.equal(ev.map((e) => e.at), [T0, T0 + 10_000, T0 + 20_000])
  assert.is(ev[2]?.source, 'console:bob')
  assert.equal(ev[2]?.detail, { alertId: 'a1', rule: 'r-lab', severity: 'high', from: 'acknowledged', to: 'resolved', by: 'console:bob', note: 'false alarm' })
  // resolve directly from open
  s.upsert(alert('a2'))
  assert.is(s.resolve('a2', 'console:bob', iso(5)).resolved?.note, '')
  db.close()
})

test('illegal transitions throw a clear error and change nothing', () => {
  const db = openDatabase(freshFile())
  const s = new AlertStore(db)
  s.upsert(alert('a1'))
  s.acknowledge('a1', 'alice', iso(1))
  assert.throws(() => s.acknowledge('a1', 'alice', iso(2)), (e: unknown) => e instanceof AlertTransitionError && /alert a1: cannot go from acknowledged to acknowledged/.test(e.message))
  s.resolve('a1', 'bob', iso(3))
  assert.throws(() => s.acknowledge('a1', 'alice', iso(4)), /cannot go from resolved to acknowledged \(a resolved alert is final\)/)
  assert.throws(() => s.resolve('a1', 'bob', iso(4)), /cannot go from resolved to resolved/)
  assert.throws(() => s.upsert({ ...alert('a1'), state: 'open' }), /cannot go from resolved to open/)
  assert.throws(() => s.acknowledge('ghost', 'alice', iso(4)), /alert ghost: no such alert/)
  assert.throws(() => s.acknowledge('a1', '', iso(4)), /needs a "by"/)
  assert.is(s.get('a1')?.state, 'resolved')
  assert.equal(s.get('a1')?.resolved, { by: 'bob', at: iso(3), note: '' })
  assert.is(s.events.list().length, 3)
  db.close()
})

test('restart: reopening the file gives the open alerts back, newest first', () => {
  const file = freshFile()
  let db = openDatabase(file)
  let s = new AlertStore(db)
  s.upsert(alert('old', { lastAt: iso(10) }))
  s.upsert(alert('new', { lastAt: iso(50) }))
  s.upsert(alert('mid', { lastAt: iso(30) }))
  s.upsert(alert('done', { lastAt: iso(60) }))
  s.acknowledge('mid', 'alice', iso(31))
  s.resolve('done', 'alice', iso(61))
  db.close()
  db = openDatabase(file, { mustExist: true })
  s = new AlertStore(db)
  const open = s.open()
  assert.equal(open.map((a) => [a.id, a.state]), [['new', 'open'], ['mid', 'acknowledged'], ['old', 'open']])
  assert.equal(open[1]?.acknowledged, { by: 'alice', at: iso(31) })
  db.close()
})

test('list: state, since/until and limit', () => {
  const db = openDatabase(freshFile())
  const s = new AlertStore(db)
  for (let i = 0; i < 10; i++) s.upsert(alert(`a${i}`, { firstAt: iso(i * 10), lastAt: iso(i * 10 + 5) }))
  s.resolve('a3', 'x', iso(100))
  s.resolve('a4', 'x', iso(100))
  assert.equal(s.list({ limit: 3 }).map((a) => a.id), ['a9', 'a8', 'a7'])
  assert.equal(s.list({ state: 'resolved' }).map((a) => a.id), ['a4', 'a3'])
  assert.equal(s.list({ since: iso(60), until: T0 + 80_000 }).map((a) => a.id), ['a8', 'a7', 'a6'])
  assert.equal(s.list({ state: 'open', since: iso(20), until: iso(50), limit: 10 }).map((a) => a.id), ['a5', 'a2'])
  assert.throws(() => s.list({ limit: 0 }), /limit must be a positive integer/)
  db.close()
})

test('dedup: findOpenByKey finds open or acknowledged alerts, not resolved ones; key kept on update', () => {
  const db = openDatabase(freshFile())
  const s = new AlertStore(db)
  const a = alert('a1', { subjects: ['sub-bbbb1111', 'sub-aaaa1111'] })
  const key = alertDedupKey(a)
  assert.is(key, alertDedupKey({ rule: 'r-lab', subjects: ['sub-aaaa1111', 'sub-bbbb1111'], zone: 'lab' }), 'subject order does not matter')
  assert.is.not(key, alertDedupKey({ ...a, zone: 'hall' }))
  assert.is(s.findOpenByKey(key), undefined)
  s.upsert(a, { dedupKey: key })
  assert.is(s.findOpenByKey(key)?.id, 'a1')
  s.upsert({ ...a, count: 2, lastAt: iso(5) }) // no dedupKey given: stored one kept
  assert.is(s.findOpenByKey(key)?.count, 2)
  s.acknowledge('a1', 'alice', iso(6))
  assert.is(s.findOpenByKey(key)?.state, 'acknowledged')
  s.resolve('a1', 'alice', iso(7))
  assert.is(s.findOpenByKey(key), undefined)
  s.upsert(alert('a2', { subjects: a.subjects, firstAt: iso(8), lastAt: iso(8) }), { dedupKey: key })
  assert.is(s.findOpenByKey(key)?.id, 'a2')
  assert.is(s.findOpenByKey('other'), undefined)
  db.close()
})

test.run()
