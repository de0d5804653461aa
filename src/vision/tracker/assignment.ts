/**
 * Optimal assignment for data association: the Hungarian method in its shortest-augmenting-path form
 * (Kuhn-Munkres with potentials, as in Jonker-Volgenant), O(n^2 m) for an n x m matrix, n <= m.
 *
 * Costs are row-major in a flat array (`cost[r * cols + c]`). `hungarian` solves the plain rectangular
 * problem (every row of the smaller side assigned); `assign` is the tracking form: a pair is matched only
 * when that beats leaving both sides unmatched, like `lap.lapjv(..., cost_limit)` in ByteTrack.
 */

/** A cost that stands for "forbidden" inside the solver (finite, so potentials stay finite). */
const FORBIDDEN = 1e12

export interface Assignment {
  /** Column matched to each row, or -1. */
  rowToCol: Int32Array
  /** Row matched to each column, or -1. */
  colToRow: Int32Array
  /** Sum of the matched pairs' costs. */
  cost: number
}

/**
 * Minimum-cost assignment of every row to a distinct column (or every column to a distinct row when there
 * are more rows than columns). Entries must be finite.
 */
export function hungarian(cost: ArrayLike<number>, rows: number, cols: number): Assignment {
  checkShape(cost, rows, cols)
  for (let i = 0; i < rows * cols; i++) {
    if (!Number.isFinite(cost[i]!)) throw new Error(`hungarian: cost[${i}] is ${cost[i]}; use assign() for forbidden pairs`)
  }
  if (rows <= cols) return solve(cost, rows, cols)
  // Transpose so that rows <= cols, then swap the answer back.
  const t = new Float64Array(rows * cols)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = cost[r * cols + c]!
  const s = solve(t, cols, rows)
  return { rowToCol: s.colToRow, colToRow: s.rowToCol, cost: s.cost }
}

/**
 * Matching with a cost limit: minimises (sum of matched costs) + limit x (unmatched rows), which is the
 * same as maximising the sum of (limit - cost) over matched pairs. A pair is matched only if its cost is
 * finite and below `limit`; the pairs that stay are an optimal matching under that rule (ties aside).
 * Implemented as `hungarian` on rows x (cols + rows), where row r's own extra column costs `limit`.
 */
export function assign(cost: ArrayLike<number>, rows: number, cols: number, limit: number): Assignment {
  checkShape(cost, rows, cols)
  if (!Number.isFinite(limit)) throw new Error(`assign: limit must be finite, got ${limit}`)
  const rowToCol = new Int32Array(rows).fill(-1)
  const colToRow = new Int32Array(cols).fill(-1)
  if (rows === 0 || cols === 0) return { rowToCol, colToRow, cost: 0 }
  const width = cols + rows
  const ext = new Float64Array(rows * width).fill(FORBIDDEN)
  // Shift costs by -limit so that "unmatched" is 0: better pairs are negative, worse ones are dropped.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = cost[r * cols + c]!
      if (v < limit) ext[r * width + c] = v - limit // false for NaN and +Infinity
    }
    ext[r * width + cols + r] = 0
  }
  const s = solve(ext, rows, width)
  let total = 0
  for (let r = 0; r < rows; r++) {
    const c = s.rowToCol[r]!
    if (c >= 0 && c < cols && ext[r * width + c]! < 0) {
      rowToCol[r] = c
      colToRow[c] = r
      total += cost[r * cols + c]!
    }
  }
  return { rowToCol, colToRow, cost: total }
}

/** Shortest augmenting paths with row/column potentials; requires rows <= cols. */
function solve(cost: ArrayLike<number>, n: number, m: number): Assignment {
  const u = new Float64Array(n + 1)
  const v = new Float64Array(m + 1)
  const p = new Int32Array(m + 1) // p[j]: row (1-based) assigned to column j (1-based), 0 = none
  const way = new Int32Array(m + 1)
  const minv = new Float64Array(m + 1)
  const used = new Uint8Array(m + 1)
  for (let i = 1; i <= n; i++) {
    p[0] = i
    let j0 = 0
    minv.fill(Infinity)
    used.fill(0)
    do {
      used[j0] = 1
      const i0 = p[j0]!
      const base = (i0 - 1) * m - 1
      let delta = Infinity
      let j1 = 0
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue
        const cur = cost[base + j]! - u[i0]! - v[j]!
        if (cur < minv[j]!) {
          minv[j] = cur
          way[j] = j0
        }
        if (minv[j]! < delta) {
          delta = minv[j]!
          j1 = j
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!]! += delta
          v[j]! -= delta
        } else {
          minv[j]! -= delta
        }
      }
      j0 = j1
    } while (p[j0] !== 0)
    do {
      const j1 = way[j0]!
      p[j0] = p[j1]!
      j0 = j1
    } while (j0 !== 0)
  }
  const rowToCol = new Int32Array(n).fill(-1)
  const colToRow = new Int32Array(m).fill(-1)
  let total = 0
  for (let j = 1; j <= m; j++) {
    const i = p[j]!
    if (i === 0) continue
    rowToCol[i - 1] = j - 1
    colToRow[j - 1] = i - 1
    total += cost[(i - 1) * m + j - 1]!
  }
  return { rowToCol, colToRow, cost: total }
}

function checkShape(cost: ArrayLike<number>, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) throw new Error(`assignment: bad shape ${rows}x${cols}`)
  if (cost.length !== rows * cols) throw new Error(`assignment: ${cost.length} costs for a ${rows}x${cols} matrix`)
}
