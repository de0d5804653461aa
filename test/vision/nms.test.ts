import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { iou, nms, type Box } from '../../src/vision/nms.js'
import { decodeDetections } from '../../src/vision/detect.js'

test('iou: identical, disjoint, touching and half-overlapping boxes', () => {
  assert.is(iou([0, 0, 10, 10], [0, 0, 10, 10]), 1)
  assert.is(iou([0, 0, 10, 10], [20, 20, 30, 30]), 0)
  assert.is(iou([0, 0, 10, 10], [10, 0, 20, 10]), 0)
  assert.ok(Math.abs(iou([0, 0, 10, 10], [5, 0, 15, 10]) - 50 / 150) < 1e-12)
})

test('nms keeps the best-scoring box of a cluster, not the lowest one (the package sorted by y2)', () => {
  // a cluster of three around one face; the best score has the smallest y2
  const boxes: Box[] = [
    [100, 100, 200, 230],
    [102, 98, 198, 200],
    [98, 104, 204, 215],
    [400, 100, 480, 190], // a second face
  ]
  const scores = [0.8, 0.99, 0.9, 0.85]
  assert.equal(nms(boxes, scores, 0.4), [1, 3])
})

test('nms: threshold is strict (IoU equal to it is kept), maxKeep caps the output, empty input', () => {
  const boxes: Box[] = [
    [0, 0, 10, 10],
    [5, 0, 15, 10], // IoU 1/3 with the first
  ]
  assert.equal(nms(boxes, [0.9, 0.8], 1 / 3), [0, 1])
  assert.equal(nms(boxes, [0.9, 0.8], 0.3), [0])
  assert.equal(nms(boxes, [0.9, 0.8], 1, 1), [0])
  assert.equal(nms([], [], 0.5), [])
  assert.throws(() => nms(boxes, [1], 0.5), /2 boxes but 1 scores/)
})

test('nms keeps non-overlapping boxes in score order', () => {
  const boxes: Box[] = Array.from({ length: 5 }, (_, i) => [i * 20, 0, i * 20 + 10, 10] as const)
  assert.equal(nms(boxes, [0.1, 0.5, 0.3, 0.9, 0.7], 0.5), [3, 4, 1, 2, 0])
})

test('decodeDetections thresholds column 1, maps 0..1 boxes through the input region and clips', () => {
  // three anchors: a face, a background anchor, and a duplicate of the face
  const scores = new Float32Array([0.1, 0.9, 0.95, 0.05, 0.2, 0.8])
  const boxes = new Float32Array([0.25, 0.25, 0.5, 0.75, 0, 0, 1, 1, 0.26, 0.24, 0.51, 0.76])
  const frame = { width: 640, height: 360 }
  const stretched = decodeDetections(scores, boxes, { x: 0, y: 0, width: 640, height: 360 }, frame)
  assert.is(stretched.length, 1)
  assert.equal(stretched[0]!.box, [160, 90, 320, 270])
  assert.ok(Math.abs(stretched[0]!.score - 0.9) < 1e-6)
  // letterbox region: 640x480 centred on the 640x360 frame (60 px above and below)
  const boxed = decodeDetections(scores, boxes, { x: 0, y: -60, width: 640, height: 480 }, frame)
  assert.equal(boxed[0]!.box, [160, 60, 320, 300])
  // a box reaching outside the frame is clipped to it
  const clipped = decodeDetections(new Float32Array([0, 1]), new Float32Array([-0.1, -0.1, 0.5, 1.2]), { x: 0, y: 0, width: 100, height: 100 }, { width: 100, height: 100 })
  assert.equal(clipped[0]!.box, [0, 0, 50, 100])
})

test.run()
