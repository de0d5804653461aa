import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { openDatabase } from '../../src/store/db.js'
import { TrajectoryStore } from '../../src/store/trajectories.js'

const dir = mkdtempSync(join(tmpdir(), 'venue-traj-'))
let n = 0
const freshFile = () => join(dir, `store-${++n}.db`)
test.after(() => rmSync(dir, { recursive: true, force: true }))

const T0 = Date.parse('2025-05-06T08:00:00Z')

test('downsampling: one point per minInterval unless the zone changed or it moved more than minMove', () => {
  const db = openDatabase(':memory:')
  const t = new TrajectoryStore(db, { flushInterval_ms: 0 })
  const add = (dt: number, x: number, y: number, zone: string | null = 'hall', subject = 'sub-aaaa1111') => t.add({ subject, at: T0 + dt, x, y, zone })
  assert.ok(add(0, 0, 0), 'first point kept')
  assert.not.ok(add(200, 0.1, 0.1), 'too soon, too close, same zone')
  assert.not.ok(add(400, 0.5, 0), 'exactly minMove is not more than it')
  assert.ok(add(600, 0.4, 0.4), 'moved 0.566 m > 0.5')
  assert.not.ok(add(900, 0.4, 0.4))
  assert.ok(add(1000, 0.4, 0.4, 'lab'), 'zone changed')
  assert.ok(add(2000, 0.4, 0.4, 'lab'), 'minInterval elapsed')
  assert.ok(add(2100, 9, 9, 'lab', 'T-17'), 'subjects are independent')
  assert.not.ok(add(2200, 0.4, 0.4, 'lab'))
  assert.ok(add(2300, 0.4, 0.4, null), 'leaving all zones is a zone change')
  assert.equal(t.where('sub-aaaa1111', T0, T0 + 10_000).map((p) => [p.at - T0, p.zone]), [[0, 'hall'], [600, 'hall'], [1000, 'lab'], [2000, 'lab'], [2300, null]])
  assert.throws(() => t.add({ subject: 's', at: T0, x: Number.NaN, y: 0 }), /finite/)
  t.close()
  db.close()
})

test('custom minInterval/minMove', () => {
  const db = openDatabase(':memory:')
  const t = new TrajectoryStore(db, { minInterval_ms: 5000, minMove_m: 2, flushInterval_ms: 0 })
  const offers: [number, number][] = [[0, 0], [1000, 1], [2000, 2], [3000, 2.1], [4999, 3], [7999, 3], [8000, 3]]
  const kept = offers.map(([dt, x]) => t.add({ subject: 's1', at: T0 + dt, x, y: 0, zone: 'z' }))
  // 2 m is not more than 2 m; 2.1 m is; 3 s and 4.999 s are inside the 5 s interval; 5 s after 3 s is not
  assert.equal(kept, [true, false, false, true, false, false, true])
  t.close()
  db.close()
})

test('where and who queries', () => {
  const db = openDatabase(':memory:')
  const t = new TrajectoryStore(db, { flushInterval_ms: 0 })
  // A: hall 0-4 s, lab 5-9 s; B: lab 3-6 s; C: lab at 20 s
  for (let s = 0; s < 10; s++) t.add({ subject: 'A', at: T0 + s * 1000, x: s, y: 0, zone: s < 5 ? 'hall' : 'lab' })
  for (let s = 3; s <= 6; s++) t.add({ subject: 'B', at: T0 + s * 1000, x: 0, y: s, zone: 'lab' })
  t.add({ subject: 'C', at: T0 + 20_000, x: 5, y: 5, zone: 'lab' })
  const w = t.where('A', T0 + 3000, T0 + 6000)
  assert.equal(w.map((p) => [p.at - T0, p.x, p.zone]), [[3000, 3, 'hall'], [4000, 4, 'hall'], [5000, 5, 'lab'], [6000, 6, 'lab']])
  assert.equal(t.where('nobody', T0, T0 + 60_000), [])
  assert.equal(t.who('lab', T0, T0 + 10_000), [
    { subject: 'B', first: T0 + 3000, last: T0 + 6000, points: 4 },
    { subject: 'A', first: T0 + 5000, last: T0 + 9000, points: 5 },
  ])
  assert.equal(t.who('lab', new Date(T0 + 15_000), new Date(T0 + 25_000).toISOString()).map((p) => p.subject), ['C'])
  assert.equal(t.who('hall', T0 + 4000, T0 + 4000), [{ subject: 'A', first: T0 + 4000, last: T0 + 4000, points: 1 }])
  t.close()
  db.close()
})

test('purgeBefore deletes old points only', () => {
  const db = openDatabase(':memory:')
  const t = new TrajectoryStore(db, { flushInterval_ms: 0 })
  for (let s = 0; s < 10; s++) t.add({ subject: 'A', at: T0 + s * 1000, x: s, y: 0, zone: 'z' })
  assert.is(t.purgeBefore(T0 + 4000), 4)
  assert.equal(t.where('A', T0, T0 + 60_000).map((p) => p.at - T0), [4000, 5000, 6000, 7000, 8000, 9000])
  assert.is(t.purgeBefore(T0), 0)
  t.close()
  db.close()
})

test('points survive a reopen; downsampling continues from the stored last point', () => {
  const file = freshFile()
  let db = openDatabase(file)
  let t = new TrajectoryStore(db)
  t.add({ subject: 'A', at: T0, x: 0, y: 0, zone: 'z' })
  t.close() // flushes
  db.close()
  db = openDatabase(file)
  t = new TrajectoryStore(db)
  assert.not.ok(t.add({ subject: 'A', at: T0 + 500, x: 0, y: 0, zone: 'z' }))
  assert.ok(t.add({ subject: 'A', at: T0 + 1000, x: 0, y: 0, zone: 'z' }))
  assert.is(t.where('A', T0, T0 + 1000).length, 2)
  t.close()
  db.close()
})

test('throughput: batched inserts (logged, not asserted)', () => {
  const db = openDatabase(freshFile())
  const t = new TrajectoryStore(db, { flushInterval_ms: 0 })
  const subjects = 200
  const steps = 500
  const start = process.hrtime.bigint()
  let kept = 0
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < subjects; i++) if (t.add({ subject: `T-${i}`, at: T0 + s * 1000, x: i + s * 0.6, y: 0, zone: `z${i % 7}` })) kept++
  }
  t.flush()
  const secs = Number(process.hrtime.bigint() - start) / 1e9
  console.log(`  trajectories: ${kept} points kept of ${subjects * steps} offered in ${secs.toFixed(3)} s: ${Math.round(kept / secs)} inserts/s (file, WAL, batches of ${t.batchSize})`)
  assert.is(kept, subjects * steps)
  assert.is(t.where('T-3', T0, T0 + steps * 1000).length, steps)
  t.close()
  db.close()
})

test.run()
