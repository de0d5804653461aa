import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  distinctPointCount,
  findSelfIntersection,
  interiorsOverlap,
  isClosedRing,
  locatePoint,
  nearlyCollinear,
  pointInPolygon,
  polygonArea,
  signedArea,
  type Point,
} from '../../src/config/geometry.js'

const rect = (x0: number, y0: number, x1: number, y1: number): Point[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
]
/** An L: a 4x4 square without its north-east 2x2 quarter. */
const ell: Point[] = [
  [0, 0],
  [4, 0],
  [4, 2],
  [2, 2],
  [2, 4],
  [0, 4],
  [0, 0],
]

test('closed rings and distinct points', () => {
  assert.ok(isClosedRing(rect(0, 0, 1, 1)))
  assert.not.ok(isClosedRing(rect(0, 0, 1, 1).slice(0, 4)))
  assert.is(distinctPointCount(rect(0, 0, 1, 1)), 4)
  assert.is(
    distinctPointCount([
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]),
    2,
  )
})

test('area: shoelace, either orientation, concave shapes', () => {
  assert.is(polygonArea(rect(0, 0, 4, 3)), 12)
  assert.is(polygonArea([...rect(0, 0, 4, 3)].reverse()), 12)
  assert.ok(signedArea(rect(0, 0, 4, 3)) > 0)
  assert.ok(signedArea([...rect(0, 0, 4, 3)].reverse()) < 0)
  assert.is(polygonArea(ell), 12)
  // An open ring is closed implicitly.
  assert.is(polygonArea(rect(0, 0, 2, 2).slice(0, 4)), 4)
})

test('point in polygon: inside, outside, boundary, concave notch', () => {
  const sq = rect(0, 0, 10, 10)
  assert.is(locatePoint([5, 5], sq), 'inside')
  assert.is(locatePoint([11, 5], sq), 'outside')
  assert.is(locatePoint([10, 5], sq), 'boundary')
  assert.is(locatePoint([0, 0], sq), 'boundary')
  assert.ok(pointInPolygon([10, 5], sq))
  assert.not.ok(pointInPolygon([10, 5], sq, true))
  assert.ok(pointInPolygon([1, 3], ell))
  assert.not.ok(pointInPolygon([3, 3], ell), 'the notch of the L is outside')
  assert.ok(pointInPolygon([3, 1], ell))
  // A ray through a vertex must not count twice.
  assert.is(locatePoint([-1, 2], ell), 'outside')
  assert.is(locatePoint([1, 2], ell), 'inside')
})

test('self-intersection: bow-tie, figure eight, fold-back; simple shapes pass', () => {
  assert.is(findSelfIntersection(rect(0, 0, 4, 4)), undefined)
  assert.is(findSelfIntersection(ell), undefined)
  const bowTie: Point[] = [
    [0, 0],
    [4, 4],
    [4, 0],
    [0, 4],
    [0, 0],
  ]
  const hit = findSelfIntersection(bowTie)
  assert.ok(hit)
  assert.equal(hit.at, [2, 2])
  // Two squares touching at one corner, drawn as one ring.
  const eight: Point[] = [
    [0, 0],
    [2, 0],
    [2, 2],
    [4, 2],
    [4, 4],
    [2, 4],
    [2, 2],
    [0, 2],
    [0, 0],
  ]
  assert.ok(findSelfIntersection(eight))
  // A ring that runs back along its own edge.
  const fold: Point[] = [
    [0, 0],
    [4, 0],
    [2, 0],
    [2, 3],
    [0, 0],
  ]
  assert.ok(findSelfIntersection(fold))
  // A straight run through a collinear vertex is fine.
  const collinear: Point[] = [
    [0, 0],
    [2, 0],
    [4, 0],
    [4, 4],
    [0, 4],
    [0, 0],
  ]
  assert.is(findSelfIntersection(collinear), undefined)
})

test('overlap: rooms sharing a wall or a corner do not overlap', () => {
  assert.not.ok(interiorsOverlap(rect(0, 0, 8, 9), rect(8, 0, 16, 9)), 'same wall')
  assert.not.ok(interiorsOverlap(rect(0, 0, 8, 9), rect(8, 3, 12, 5)), 'part of a wall')
  assert.not.ok(interiorsOverlap(rect(0, 0, 8, 9), rect(8, 9, 12, 12)), 'corner')
  assert.not.ok(interiorsOverlap(rect(0, 0, 2, 2), rect(5, 5, 6, 6)), 'apart')
  assert.not.ok(interiorsOverlap(ell, rect(2, 2, 4, 4)), 'a square in the notch of the L')
  assert.not.ok(interiorsOverlap(rect(0, 0, 4, 4), [...rect(4, 0, 8, 4)].reverse()), 'orientation does not matter')
})

test('overlap: crossing, containment, identical, collinear-edge cases', () => {
  assert.ok(interiorsOverlap(rect(0, 0, 4, 4), rect(2, 2, 6, 6)), 'corners overlap')
  assert.ok(interiorsOverlap(rect(0, 0, 10, 10), rect(2, 2, 4, 4)), 'contained')
  assert.ok(interiorsOverlap(rect(2, 2, 4, 4), rect(0, 0, 10, 10)), 'contains')
  assert.ok(interiorsOverlap(rect(0, 0, 4, 4), rect(0, 0, 4, 4)), 'identical')
  assert.ok(interiorsOverlap(rect(0, 0, 4, 4), [...rect(0, 0, 4, 4)].reverse()), 'identical, other orientation')
  assert.ok(interiorsOverlap(rect(0, 0, 2, 2), rect(1, 0, 3, 2)), 'same height, shifted: edges collinear')
  assert.ok(interiorsOverlap(rect(0, 0, 10, 10), rect(0, 0, 3, 3)), 'inside, sharing two walls')
  assert.ok(interiorsOverlap(ell, rect(1, 1, 3, 3)), 'into the L across its inner corner')
  const cross: Point[] = [
    [-1, 1],
    [5, 1],
    [5, 2],
    [-1, 2],
    [-1, 1],
  ]
  assert.ok(interiorsOverlap(rect(0, 0, 4, 4), cross), 'a bar through a square: no vertex inside the other')
})

test('nearly collinear triples', () => {
  assert.ok(nearlyCollinear([0, 0], [1, 1], [2, 2]))
  assert.ok(nearlyCollinear([0, 0], [10, 0], [5, 0.001]))
  assert.ok(nearlyCollinear([0, 0], [0, 0], [3, 4]), 'two equal points')
  assert.not.ok(nearlyCollinear([0, 0], [10, 0], [5, 1]))
})

test.run()
