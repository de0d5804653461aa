/**
 * Pure polygon helpers for the floor plan (metres). Polygons are given as rings of [x, y] points;
 * a closed ring repeats its first point at the end (GeoJSON linear-ring convention), but every
 * helper below also accepts an open ring and closes it implicitly.
 *
 * Tolerances: coordinates are metres on a floor of at most 1000 m, so points closer than EPS_M
 * are the same point and a point closer than EPS_M to a segment lies on it.
 */

export type Point = readonly [number, number]
export type Ring = ReadonlyArray<Point>

/** Points closer than this (metres) are treated as equal. */
export const EPS_M = 1e-9

const samePoint = (a: Point, b: Point): boolean => Math.abs(a[0] - b[0]) <= EPS_M && Math.abs(a[1] - b[1]) <= EPS_M

const sub = (a: Point, b: Point): Point => [a[0] - b[0], a[1] - b[1]]
const cross = (a: Point, b: Point): number => a[0] * b[1] - a[1] * b[0]
const dot = (a: Point, b: Point): number => a[0] * b[0] + a[1] * b[1]
const len = (a: Point): number => Math.hypot(a[0], a[1])

/** Twice the signed area of triangle abc: > 0 when a, b, c turn counter-clockwise. */
export function orient(a: Point, b: Point, c: Point): number {
  return cross(sub(b, a), sub(c, a))
}

/** Whether c lies on the line through a and b (within EPS_M of it). */
function onLine(a: Point, b: Point, c: Point): boolean {
  const l = len(sub(b, a))
  if (l <= EPS_M) return samePoint(a, c)
  return Math.abs(orient(a, b, c)) / l <= EPS_M
}

/** A closed ring repeats its first point as its last. */
export function isClosedRing(ring: Ring): boolean {
  const first = ring[0]
  const last = ring[ring.length - 1]
  return ring.length >= 2 && first !== undefined && last !== undefined && samePoint(first, last)
}

/** The polygon's vertices: the closing point dropped, consecutive duplicates merged. */
export function ringVertices(ring: Ring): Point[] {
  const out: Point[] = []
  for (const p of ring) {
    const prev = out[out.length - 1]
    if (prev === undefined || !samePoint(prev, p)) out.push(p)
  }
  while (out.length > 1 && samePoint(out[0]!, out[out.length - 1]!)) out.pop()
  return out
}

/** Number of distinct points in the ring (the closing point does not count twice). */
export function distinctPointCount(ring: Ring): number {
  const seen: Point[] = []
  for (const p of ring) if (!seen.some((q) => samePoint(p, q))) seen.push(p)
  return seen.length
}

/** Signed area (shoelace): positive for a counter-clockwise ring. */
export function signedArea(ring: Ring): number {
  const v = ringVertices(ring)
  let twice = 0
  for (let i = 0; i < v.length; i++) twice += cross(v[i]!, v[(i + 1) % v.length]!)
  return twice / 2
}

/** Area in square metres (the absolute value of the shoelace sum). */
export function polygonArea(ring: Ring): number {
  return Math.abs(signedArea(ring))
}

/**
 * Intersection of segments p1-p2 and q1-q2, as parameters along p1-p2 (0 at p1, 1 at p2):
 * one parameter where they cross or touch, two (the ends of the shared stretch) where they
 * overlap collinearly, none when they are apart.
 */
export function segmentIntersections(p1: Point, p2: Point, q1: Point, q2: Point): number[] {
  const r = sub(p2, p1)
  const s = sub(q2, q1)
  const rr = dot(r, r)
  const denom = cross(r, s)
  const qp = sub(q1, p1)
  const lr = len(r)
  const ls = len(s)
  if (lr <= EPS_M || ls <= EPS_M) return []
  const collinear = onLine(p1, p2, q1) && onLine(p1, p2, q2)
  if (!collinear) {
    if (denom === 0) return [] // parallel, apart
    const t = cross(qp, s) / denom
    const u = cross(qp, r) / denom
    const tTol = EPS_M / lr
    const uTol = EPS_M / ls
    if (t < -tTol || t > 1 + tTol || u < -uTol || u > 1 + uTol) return []
    return [Math.min(1, Math.max(0, t))]
  }
  // Collinear: they share a stretch, a point, or nothing.
  const t0 = dot(qp, r) / rr
  const t1 = dot(sub(q2, p1), r) / rr
  const lo = Math.max(0, Math.min(t0, t1))
  const hi = Math.min(1, Math.max(t0, t1))
  const tol = EPS_M / lr
  if (lo > hi + tol) return []
  return hi - lo <= tol ? [lo] : [lo, hi]
}

/** Where p lies relative to segment a-b: on it (within EPS_M) or not. */
export function pointOnSegment(p: Point, a: Point, b: Point): boolean {
  const ab = sub(b, a)
  const l2 = dot(ab, ab)
  if (l2 <= EPS_M * EPS_M) return samePoint(p, a)
  const t = Math.max(0, Math.min(1, dot(sub(p, a), ab) / l2))
  const closest: Point = [a[0] + t * ab[0], a[1] + t * ab[1]]
  return len(sub(p, closest)) <= EPS_M
}

export type PointLocation = 'inside' | 'boundary' | 'outside'

/** Locate a point against a polygon: strictly inside, on its boundary, or outside (even-odd rule). */
export function locatePoint(p: Point, ring: Ring): PointLocation {
  const v = ringVertices(ring)
  if (v.length === 0) return 'outside'
  let inside = false
  for (let i = 0, j = v.length - 1; i < v.length; j = i++) {
    const a = v[i]!
    const b = v[j]!
    if (pointOnSegment(p, a, b)) return 'boundary'
    if (a[1] > p[1] !== b[1] > p[1]) {
      const x = a[0] + ((p[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1])
      if (p[0] < x) inside = !inside
    }
  }
  return inside ? 'inside' : 'outside'
}

/** Whether p is inside the polygon; a point on the boundary counts as inside unless `strict`. */
export function pointInPolygon(p: Point, ring: Ring, strict = false): boolean {
  const where = locatePoint(p, ring)
  return where === 'inside' || (!strict && where === 'boundary')
}

export interface SelfIntersection {
  /** Indices of the two edges that meet; edge i runs from vertex i to vertex i + 1 of the ring. */
  edges: [number, number]
  at: Point
}

/**
 * The first place where the ring meets itself other than at the shared corner of two neighbouring
 * edges, or undefined for a simple polygon. Edge indices count along the ring as written, after
 * consecutive duplicate points are merged.
 */
export function findSelfIntersection(ring: Ring): SelfIntersection | undefined {
  const v = ringVertices(ring)
  const n = v.length
  if (n < 3) return undefined
  for (let i = 0; i < n; i++) {
    const a1 = v[i]!
    const a2 = v[(i + 1) % n]!
    for (let j = i + 1; j < n; j++) {
      const b1 = v[j]!
      const b2 = v[(j + 1) % n]!
      const ts = segmentIntersections(a1, a2, b1, b2)
      if (ts.length === 0) continue
      // Neighbouring edges always share their corner; a shared stretch means the ring folds back.
      const adjacent = j === i + 1 || (i === 0 && j === n - 1)
      if (adjacent && ts.length === 1) continue
      // Report the point away from the shared corner of neighbours (t = 1 on edge i when j = i + 1, t = 0 otherwise).
      const t = adjacent && j !== i + 1 ? ts[ts.length - 1]! : ts[0]!
      return { edges: [i, j], at: [a1[0] + t * (a2[0] - a1[0]), a1[1] + t * (a2[1] - a1[1])] }
    }
  }
  return undefined
}

/** Axis-aligned bounds [minX, minY, maxX, maxY]. */
export function bounds(ring: Ring): [number, number, number, number] {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const [x, y] of ring) {
    minX = Math.min(minX, x)
    minY = Math.min(minY, y)
    maxX = Math.max(maxX, x)
    maxY = Math.max(maxY, y)
  }
  return [minX, minY, maxX, maxY]
}

/**
 * Whether the interiors of two simple polygons intersect. Touching along an edge or at a corner is
 * not overlap: rooms share walls.
 *
 * Method: split every edge of each polygon at every point where it meets the other polygon's
 * boundary. Each piece then lies wholly inside, outside or on the other's boundary. The interiors
 * intersect exactly when some piece lies strictly inside the other polygon, or lies on its boundary
 * with both interiors on the same side of it.
 */
export function interiorsOverlap(a: Ring, b: Ring): boolean {
  const va = ringVertices(a)
  const vb = ringVertices(b)
  if (va.length < 3 || vb.length < 3) return false
  const [ax0, ay0, ax1, ay1] = bounds(va)
  const [bx0, by0, bx1, by1] = bounds(vb)
  if (Math.min(ax1, bx1) - Math.max(ax0, bx0) <= EPS_M || Math.min(ay1, by1) - Math.max(ay0, by0) <= EPS_M) return false
  return edgesEnterInterior(va, vb) || edgesEnterInterior(vb, va)
}

function edgesEnterInterior(va: Point[], vb: Point[]): boolean {
  const ccwA = signedArea(va) > 0
  const ccwB = signedArea(vb) > 0
  for (let i = 0; i < va.length; i++) {
    const p1 = va[i]!
    const p2 = va[(i + 1) % va.length]!
    const cuts = [0, 1]
    for (let j = 0; j < vb.length; j++) cuts.push(...segmentIntersections(p1, p2, vb[j]!, vb[(j + 1) % vb.length]!))
    cuts.sort((x, y) => x - y)
    for (let k = 0; k + 1 < cuts.length; k++) {
      const t0 = cuts[k]!
      const t1 = cuts[k + 1]!
      if ((t1 - t0) * len(sub(p2, p1)) <= EPS_M) continue
      const tm = (t0 + t1) / 2
      const m: Point = [p1[0] + tm * (p2[0] - p1[0]), p1[1] + tm * (p2[1] - p1[1])]
      const where = locatePoint(m, vb)
      if (where === 'inside') return true
      if (where === 'outside') continue
      // The piece runs along an edge of b: do both interiors lie on the same side of it?
      for (let j = 0; j < vb.length; j++) {
        const q1 = vb[j]!
        const q2 = vb[(j + 1) % vb.length]!
        if (!pointOnSegment(m, q1, q2)) continue
        const sameDirection = dot(sub(p2, p1), sub(q2, q1)) > 0
        // Interior is on the left of each edge for a counter-clockwise ring, on the right otherwise.
        const aLeft = ccwA
        const bLeftOfA = sameDirection ? ccwB : !ccwB
        if (aLeft === bLeftOfA) return true
        break
      }
    }
  }
  return false
}

/** Whether three points lie (almost) on one line: the triangle is thinner than `ratio` of its longest side. */
export function nearlyCollinear(a: Point, b: Point, c: Point, ratio = 1e-3): boolean {
  const longest = Math.max(len(sub(b, a)), len(sub(c, b)), len(sub(a, c)))
  if (longest <= EPS_M) return true
  // Height of the triangle over its longest side, relative to that side.
  return Math.abs(orient(a, b, c)) / (longest * longest) <= ratio
}
