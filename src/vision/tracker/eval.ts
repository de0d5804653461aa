/**
 * CLEAR-MOT evaluation (Bernardin & Stiefelhagen 2008) of a tracker's output against ground truth.
 *
 * Per frame: a ground-truth box keeps last frame's track if they still overlap by IoU >= `iou`; the rest
 * are matched optimally (1 - IoU, gated at `iou`). Then:
 *  - ID switch: a ground-truth identity is matched to a track other than the one it last matched;
 *  - fragmentation: a ground-truth trajectory that was covered, then visible but not covered, is covered
 *    again (counted on resumption);
 *  - miss: a visible ground-truth box with no track; false positive: a track with no ground-truth box
 *    (a track on a hidden ground-truth box, visibility below the detectable level, is ignored, as are the
 *    hidden boxes themselves);
 *  - MOTA = 1 - (misses + false positives + ID switches) / visible ground-truth boxes; MOTP = mean IoU of
 *    the matches.
 */
import { iou, type Box } from '../nms.js'
import { assign } from './assignment.js'
import type { Detection, TrackSnapshot } from './bytetrack.js'
import type { GtBox, SimFrame } from './sim.js'

export interface MotMetrics {
  frames: number
  /** Visible ground-truth boxes. */
  gt: number
  matches: number
  misses: number
  falsePositives: number
  idSwitches: number
  fragmentations: number
  mota: number
  motp: number
  /** Ground-truth identities seen, and those covered >= 80% / < 20% of their visible frames. */
  identities: number
  mostlyTracked: number
  mostlyLost: number
  /** Distinct track ids output. */
  trackIds: number
}

interface GtState {
  last: string | null
  /** Distinct track ids matched, in order. */
  tracks: string[]
  covered: boolean
  interrupted: boolean
  visible: number
  matched: number
}

export class MotEvaluator {
  private readonly gtState = new Map<number, GtState>()
  private prev = new Map<number, string>()
  private readonly ids = new Set<string>()
  private frames = 0
  private gt = 0
  private matches = 0
  private misses = 0
  private fp = 0
  private idsw = 0
  private frag = 0
  private iouSum = 0

  constructor(private readonly threshold = 0.5) {}

  /** One frame: ground truth and the tracker's output boxes. */
  add(truth: readonly GtBox[], hyps: ReadonlyArray<{ id: string; box: Box }>): void {
    this.frames++
    for (const h of hyps) this.ids.add(h.id)
    const gts = truth.filter((g) => g.visible)
    const gtMatch = new Array<number>(gts.length).fill(-1)
    const hypUsed = new Array<boolean>(hyps.length).fill(false)
    // Keep last frame's correspondences that still hold.
    gts.forEach((g, i) => {
      const id = this.prev.get(g.id)
      const j = id === undefined ? -1 : hyps.findIndex((h, k) => !hypUsed[k] && h.id === id)
      if (j >= 0 && iou(g.box, hyps[j]!.box) >= this.threshold) {
        gtMatch[i] = j
        hypUsed[j] = true
      }
    })
    // Optimal matching of the rest.
    const rows = gts.flatMap((_, i) => (gtMatch[i]! < 0 ? [i] : []))
    const cols = hyps.flatMap((_, j) => (hypUsed[j] ? [] : [j]))
    const cost = new Float64Array(rows.length * cols.length)
    rows.forEach((i, r) =>
      cols.forEach((j, c) => {
        const o = iou(gts[i]!.box, hyps[j]!.box)
        cost[r * cols.length + c] = o >= this.threshold ? 1 - o : Infinity
      }),
    )
    const a = assign(cost, rows.length, cols.length, 1 + 1e-9)
    rows.forEach((i, r) => {
      const c = a.rowToCol[r]!
      if (c < 0) return
      gtMatch[i] = cols[c]!
      hypUsed[cols[c]!] = true
    })

    const next = new Map<number, string>()
    gts.forEach((g, i) => {
      this.gt++
      let s = this.gtState.get(g.id)
      if (!s) this.gtState.set(g.id, (s = { last: null, tracks: [], covered: false, interrupted: false, visible: 0, matched: 0 }))
      s.visible++
      const j = gtMatch[i]!
      if (j < 0) {
        this.misses++
        if (s.covered) s.interrupted = true
        s.covered = false
        return
      }
      const h = hyps[j]!
      this.matches++
      s.matched++
      this.iouSum += iou(g.box, h.box)
      if (s.last !== null && s.last !== h.id) this.idsw++
      if (s.interrupted) this.frag++
      if (!s.tracks.includes(h.id)) s.tracks.push(h.id)
      s.last = h.id
      s.covered = true
      s.interrupted = false
      next.set(g.id, h.id)
    })
    this.prev = next
    const hidden = truth.filter((g) => !g.visible)
    hyps.forEach((h, j) => {
      if (!hypUsed[j] && !hidden.some((g) => iou(g.box, h.box) >= this.threshold)) this.fp++
    })
  }

  /** Track ids matched to a ground-truth identity so far, in order of first match. */
  tracksOf(gtId: number): string[] {
    return [...(this.gtState.get(gtId)?.tracks ?? [])]
  }

  result(): MotMetrics {
    const states = [...this.gtState.values()]
    return {
      frames: this.frames,
      gt: this.gt,
      matches: this.matches,
      misses: this.misses,
      falsePositives: this.fp,
      idSwitches: this.idsw,
      fragmentations: this.frag,
      mota: this.gt > 0 ? 1 - (this.misses + this.fp + this.idsw) / this.gt : 1,
      motp: this.matches > 0 ? this.iouSum / this.matches : 0,
      identities: states.length,
      mostlyTracked: states.filter((s) => s.matched >= 0.8 * s.visible).length,
      mostlyLost: states.filter((s) => s.matched < 0.2 * s.visible).length,
      trackIds: this.ids.size,
    }
  }
}

/** Anything with the tracker's `update`. */
export interface FrameTracker {
  update(timeMs: number, detections: readonly Detection[]): TrackSnapshot[]
}

/** Run a tracker over simulated frames and evaluate its output (into `ev`, if given, for tracksOf()). */
export function trackScene(frames: readonly SimFrame[], tracker: FrameTracker, ev = new MotEvaluator()): MotMetrics {
  for (const f of frames) ev.add(f.gt, tracker.update(f.time, f.detections))
  return ev.result()
}

/** Add up the metrics of several runs (MOTA and MOTP recomputed over the total). */
export function sumMetrics(runs: readonly MotMetrics[]): MotMetrics {
  const sum = (k: keyof MotMetrics): number => runs.reduce((s, m) => s + m[k], 0)
  const gt = sum('gt')
  const matches = sum('matches')
  return {
    frames: sum('frames'),
    gt,
    matches,
    misses: sum('misses'),
    falsePositives: sum('falsePositives'),
    idSwitches: sum('idSwitches'),
    fragmentations: sum('fragmentations'),
    mota: gt > 0 ? 1 - (sum('misses') + sum('falsePositives') + sum('idSwitches')) / gt : 1,
    motp: matches > 0 ? runs.reduce((s, m) => s + m.motp * m.matches, 0) / matches : 0,
    identities: sum('identities'),
    mostlyTracked: sum('mostlyTracked'),
    mostlyLost: sum('mostlyLost'),
    trackIds: sum('trackIds'),
  }
}
