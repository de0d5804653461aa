/**
 * Greedy non-maximum suppression: candidates in descending score order; a candidate is kept unless it
 * overlaps an already kept box by more than `iouThreshold`. (The model package's own NMS sorted by the
 * boxes' bottom edge instead of the score, which keeps the wrong box of a cluster.)
 */
export type Box = readonly [number, number, number, number]

export function iou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0])
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1])
  if (iw <= 0 || ih <= 0) return 0
  const inter = iw * ih
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
  return union > 0 ? inter / union : 0
}

/**
 * Indices of the kept boxes, best score first.
 * @param boxes x1, y1, x2, y2 per box
 * @param scores one per box
 * @param iouThreshold suppress a box whose IoU with a kept box is above this
 * @param maxKeep stop after this many kept boxes
 */
export function nms(boxes: readonly Box[], scores: ArrayLike<number>, iouThreshold: number, maxKeep = Infinity): number[] {
  if (boxes.length !== scores.length) throw new Error(`nms: ${boxes.length} boxes but ${scores.length} scores`)
  const order = Array.from(boxes.keys()).sort((i, j) => scores[j]! - scores[i]! || i - j)
  const kept: number[] = []
  for (const i of order) {
    if (kept.length >= maxKeep) break
    const box = boxes[i]!
    if (kept.every((k) => iou(boxes[k]!, box) <= iouThreshold)) kept.push(i)
  }
  return kept
}
