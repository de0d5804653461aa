import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { openDatabase } from '../../src/store/db.js'
import { EventStore, toMs } from '../../src/store/events.js'

const T0 = Date.parse('2025-05-06T08:00:00Z')

test('append and list with kind, since/until, limit; oldest first', () => {
  const db = openDatabase(':memory:')
  const ev = new EventStore(db)
  const first = ev.append({ at: T0, kind: 'robot.dispatched', source: 'fleet', subject: 'sub-abcd1234', zone: 'lab', detail: { robot: 'r1', n: [1, 2] } })
  assert.equal(first, { seq: 1, at: T0, kind: 'robot.dispatched', source: 'fleet', subject: 'sub-abcd1234', zone: 'lab', detail: { robot: 'r1', n: [1, 2] } })
  ev.append({ at: new Date(T0 + 2000), kind: 'door.forced', source: 'monitor' })
  ev.append({ at: new Date(T0 + 1000).toISOString(), kind: 'robot.dispatched', source: 'fleet' })
  const all = ev.list()
  assert.equal(all.map((e) => e.at), [T0, T0 + 1000, T0 + 2000])
  assert.is(all[2]?.subject, null)
  assert.is(all[2]?.detail, null)
  assert.equal(ev.list({ kind: 'robot.dispatched' }).map((e) => e.seq), [1, 3])
  assert.equal(ev.list({ since: T0 + 1000 }).map((e) => e.seq), [3, 2])
  assert.equal(ev.list({ until: T0 + 1000 }).map((e) => e.seq), [1, 3])
  assert.equal(ev.list({ limit: 1 }).map((e) => e.seq), [1])
  assert.equal(ev.list({ limit: 2, newestFirst: true }).map((e) => e.seq), [2, 3], 'the newest, newest first')
  assert.throws(() => ev.append({ at: 'yesterday', kind: 'x', source: 'y' }), /not a valid time/)
  assert.throws(() => ev.append({ at: T0, kind: '', source: 'y' }), /needs a kind/)
  assert.is(ev.purgeBefore(T0 + 1000), 1)
  assert.is(ev.list().length, 2)
  db.close()
})

test('toMs accepts ms, ISO strings and Dates', () => {
  assert.is(toMs(T0), T0)
  assert.is(toMs('2025-05-06T08:00:00.000Z'), T0)
  assert.is(toMs('2025-05-06T10:00:00+02:00'), T0)
  assert.is(toMs(new Date(T0)), T0)
  assert.throws(() => toMs(Number.NaN), /not a valid time/)
})

test.run()
