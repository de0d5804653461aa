import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { assign, hungarian } from '../../src/vision/tracker/assignment.js'
import { mulberry32, type Rng } from '../../src/vision/tracker/sim.js'

/** Minimum total cost over all assignments of the smaller side, by enumeration. */
function bruteFull(cost: number[], rows: number, cols: number): number {
  let best = Infinity
  const used = new Array<boolean>(Math.max(rows, cols)).fill(false)
  const n = Math.min(rows, cols)
  const at = (i: number, j: number): number => (rows <= cols ? cost[i * cols + j]! : cost[j * cols + i]!)
  const m = Math.max(rows, cols)
  const go = (i: number, sum: number): void => {
    if (i === n) {
      best = Math.min(best, sum)
      return
    }
    for (let j = 0; j < m; j++) {
      if (used[j]) continue
      used[j] = true
      go(i + 1, sum + at(i, j))
      used[j] = false
    }
  }
  go(0, 0)
  return best
}

/** Minimum of sum(cost - limit) over partial matchings using only pairs with cost < limit. */
function brutePartial(cost: number[], rows: number, cols: number, limit: number): number {
  let best = 0
  const used = new Array<boolean>(cols).fill(false)
  const go = (i: number, sum: number): void => {
    if (i === rows) {
      best = Math.min(best, sum)
      return
    }
    go(i + 1, sum) // row i unmatched
    for (let j = 0; j < cols; j++) {
      const c = cost[i * cols + j]!
      if (used[j] || !(c < limit)) continue
      used[j] = true
      go(i + 1, sum + c - limit)
      used[j] = false
    }
  }
  go(0, 0)
  return best
}

function randomMatrix(rng: Rng, rows: number, cols: number, integers: boolean): number[] {
  return Array.from({ length: rows * cols }, () => (integers ? Math.floor(rng() * 5) : rng() * 10))
}

function checkValid(a: { rowToCol: Int32Array; colToRow: Int32Array }, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const c = a.rowToCol[r]!
    if (c >= 0) assert.is(a.colToRow[c], r, 'row and column views agree')
  }
  for (let c = 0; c < cols; c++) {
    const r = a.colToRow[c]!
    if (r >= 0) assert.is(a.rowToCol[r], c, 'column and row views agree')
  }
}

test('hungarian equals brute force on 600 random matrices up to 7x7, square and rectangular, with ties', () => {
  const rng = mulberry32(1)
  for (let trial = 0; trial < 600; trial++) {
    const rows = 1 + Math.floor(rng() * 7)
    const cols = 1 + Math.floor(rng() * 7)
    const cost = randomMatrix(rng, rows, cols, trial % 2 === 0) // even trials: small integers, many ties
    const a = hungarian(cost, rows, cols)
    checkValid(a, rows, cols)
    const matched = Array.from(a.rowToCol).filter((c) => c >= 0).length
    assert.is(matched, Math.min(rows, cols), `every row or every column assigned (${rows}x${cols})`)
    let total = 0
    a.rowToCol.forEach((c, r) => c >= 0 && (total += cost[r * cols + c]!))
    assert.ok(Math.abs(total - a.cost) < 1e-9, 'reported cost is the sum of the pairs')
    assert.ok(Math.abs(a.cost - bruteFull(cost, rows, cols)) < 1e-9, `trial ${trial} ${rows}x${cols}: ${a.cost} vs brute ${bruteFull(cost, rows, cols)}`)
  }
})

test('assign with a limit equals brute force over partial matchings, with forbidden pairs', () => {
  const rng = mulberry32(2)
  for (let trial = 0; trial < 600; trial++) {
    const rows = Math.floor(rng() * 7)
    const cols = Math.floor(rng() * 7)
    const cost = randomMatrix(rng, rows, cols, false).map((v) => (rng() < 0.25 ? Infinity : v / 10)) // 0..1 like 1 - IoU
    const limit = 0.3 + 0.6 * rng()
    const a = assign(cost, rows, cols, limit)
    checkValid(a, rows, cols)
    let saved = 0
    a.rowToCol.forEach((c, r) => {
      if (c < 0) return
      const v = cost[r * cols + c]!
      assert.ok(v < limit, `matched pair under the limit (${v} vs ${limit})`)
      saved += v - limit
    })
    assert.ok(Math.abs(saved - brutePartial(cost, rows, cols, limit)) < 1e-9, `trial ${trial} ${rows}x${cols}`)
  }
})

test('optimal, not greedy: the best pair is given up when that matches more overall', () => {
  // Greedy takes (0,0) at 0.1 and leaves row 1 without a partner; optimal pairs (0,1) and (1,0).
  const cost = [0.1, 0.3, 0.2, Infinity]
  const a = assign(cost, 2, 2, 0.8)
  assert.equal(Array.from(a.rowToCol), [1, 0])
  close(a.cost, 0.5)
  // A classic 4x4: optimal 13 (0->1, 1->0, 2->2, 3->3), confirmed by brute force.
  const m = [9, 2, 7, 8, 6, 4, 3, 7, 5, 8, 1, 8, 7, 6, 9, 4]
  assert.is(hungarian(m, 4, 4).cost, 13)
  assert.is(bruteFull(m, 4, 4), 13)
})

test('a pair exactly at the limit, NaN and Infinity are never matched; empty inputs are fine', () => {
  assert.equal(Array.from(assign([0.5], 1, 1, 0.5).rowToCol), [-1])
  assert.equal(Array.from(assign([NaN, Infinity], 1, 2, 1).rowToCol), [-1])
  assert.equal(Array.from(assign([], 0, 3, 1).colToRow), [-1, -1, -1])
  assert.equal(Array.from(assign([], 2, 0, 1).rowToCol), [-1, -1])
  assert.is(hungarian([], 0, 0).cost, 0)
})

test('bad input is refused', () => {
  assert.throws(() => hungarian([1, 2, 3], 2, 2), /3 costs for a 2x2/)
  assert.throws(() => hungarian([1, Infinity], 1, 2), /forbidden/)
  assert.throws(() => assign([1], 1, 1, Infinity), /limit/)
  assert.throws(() => assign([1], -1, -1, 1), /bad shape/)
})

function close(a: number, b: number): void {
  assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`)
}

test.run()
