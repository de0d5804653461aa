/**
 * `node dist/bench/vision.js` (after `npx tsc -p .`): the face pipeline's per-stage milliseconds over
 * the real photos of ../shared/faces (BENCH_ROUNDS rounds, default 5, after one warm-up round), each
 * stage with and without its pre/post-processing, and the whole pipeline's time per face against the
 * pure model inference measured in the same run (target: pipeline <= 1.25x inference). Then the same on
 * 1080p camera-sized frames. Medians and p90 (these machines are shared and noisy).
 */
import sharp from 'sharp'
import { decodeFile, type RgbFrame } from '../src/vision/image.js'
import { FacePipeline, type AnalyseResult } from '../src/vision/pipeline.js'
import { FACES_DIR, listPhotos } from '../test/vision/photos.js'
import { existsSync } from 'node:fs'
import { fmt, median, quantile, table } from './stats.js'
import { searchBench } from './vision-search.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const TARGET_RATIO = 1.25

const cell = (xs: number[]): [string, string] => [fmt(median(xs), 2), fmt(quantile(xs, 0.9), 2)]

/** Per-stage figures of many analyse() results; per face except detection (per frame). */
function stageTable(results: AnalyseResult[]): { text: string; ratio: number } {
  const stage = { detect: [] as number[], landmarks: [] as number[], align: [] as number[], embed: [] as number[], liveness: [] as number[] }
  const infer = { detect: [] as number[], landmarks: [] as number[], embed: [] as number[], liveness: [] as number[] }
  const frameTotal: number[] = []
  const framePrePost: number[] = []
  let total = 0
  let inference = 0
  let faces = 0
  for (const r of results) {
    stage.detect.push(r.timings.stages.detect_ms)
    infer.detect.push(r.timings.inference.detect_ms)
    frameTotal.push(r.timings.total_ms)
    framePrePost.push(r.timings.total_ms - r.timings.inference_ms)
    total += r.timings.total_ms
    inference += r.timings.inference_ms
    faces += r.faces.length
    const n = Math.max(1, r.faces.length)
    for (const f of r.faces) {
      stage.landmarks.push(f.timings.landmarks_ms)
      stage.align.push(f.timings.align_ms)
      stage.embed.push(f.timings.embed_ms)
      stage.liveness.push(f.timings.liveness_ms)
    }
    // per-face inference: the frame's sums split evenly (faces of one frame are alike in cost)
    for (let i = 0; i < r.faces.length; i++) {
      infer.landmarks.push(r.timings.inference.landmarks_ms / n)
      infer.embed.push(r.timings.inference.embed_ms / n)
      infer.liveness.push(r.timings.inference.liveness_ms / n)
    }
  }
  const rows: string[][] = [['stage', 'median ms', 'p90 ms', 'inference median', 'inference p90']]
  rows.push(['detect (per frame)', ...cell(stage.detect), ...cell(infer.detect)])
  rows.push(['landmarks + quality', ...cell(stage.landmarks), ...cell(infer.landmarks)])
  rows.push(['align', ...cell(stage.align), '-', '-'])
  rows.push(['embed', ...cell(stage.embed), ...cell(infer.embed)])
  rows.push(['liveness', ...cell(stage.liveness), ...cell(infer.liveness)])
  rows.push(['whole frame', ...cell(frameTotal), '-', '-'])
  rows.push(['frame minus inference', ...cell(framePrePost), '-', '-'])
  const ratio = total / inference
  const perFace = `per face: pipeline ${fmt(total / faces, 2)} ms, pure inference ${fmt(inference / faces, 2)} ms, ratio ${fmt(ratio, 3)} (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}); ${results.length} frames, ${faces} faces`
  return { text: `${table(rows)}\n${perFace}`, ratio }
}

async function photosSection(pipeline: FacePipeline): Promise<string> {
  const photos = listPhotos()
  const frames: RgbFrame[] = []
  const decode: number[] = []
  for (const p of photos) {
    const t0 = performance.now()
    frames.push(await decodeFile(p.path))
    decode.push(performance.now() - t0)
  }
  for (const f of frames) await pipeline.analyse(f) // warm-up
  const results: AnalyseResult[] = []
  for (let round = 0; round < ROUNDS; round++) for (const f of frames) results.push(await pipeline.analyse(f))
  const px = frames.map((f) => (f.width * f.height) / 1e6)
  const { text } = stageTable(results)
  return [
    `Real photos: ${photos.length} (${fmt(Math.min(...px), 1)}-${fmt(Math.max(...px), 1)} Mpx), ${ROUNDS} rounds`,
    `decode with sharp (not part of the pipeline): median ${fmt(median(decode), 1)} ms, p90 ${fmt(quantile(decode, 0.9), 1)} ms`,
    text,
  ].join('\n')
}

/** 1920x1080 frames with one face pasted in at 120 px, as a camera would give them. */
async function cameraSection(pipeline: FacePipeline): Promise<string> {
  const p = listPhotos()[0]!
  const src = await decodeFile(p.path)
  const face = (await pipeline.analyse(src)).faces[0]
  if (face === undefined) throw new Error(`no face in ${p.path}`)
  const k = 120 / (face.box[2] - face.box[0])
  const w = Math.round(src.width * k)
  const h = Math.round(src.height * k)
  const small = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } }).resize(w, h, { fit: 'fill' }).raw().toBuffer()
  const frame: RgbFrame = { data: new Uint8Array(1920 * 1080 * 3).fill(100), width: 1920, height: 1080 }
  for (let y = 0; y < Math.min(h, 1080 - 300); y++) {
    for (let x = 0; x < Math.min(w, 1920 - 800); x++) frame.data.set(small.subarray((y * w + x) * 3, (y * w + x) * 3 + 3), ((300 + y) * 1920 + 800 + x) * 3)
  }
  for (let i = 0; i < 5; i++) await pipeline.analyse(frame)
  const results: AnalyseResult[] = []
  for (let i = 0; i < ROUNDS * 20; i++) results.push(await pipeline.analyse(frame))
  return [`Camera frames: 1920x1080, one 120 px face, ${results.length} frames`, stageTable(results).text].join('\n')
}

async function main(): Promise<void> {
  if (!existsSync(FACES_DIR)) {
    console.log(`face photos not found: ${FACES_DIR}`)
    process.exitCode = 1
    return
  }
  const pipeline = await FacePipeline.open()
  try {
    const sections: Array<() => Promise<string>> = [
      () => photosSection(pipeline),
      () => cameraSection(pipeline),
      () => searchBench(),
    ]
    for (const section of sections) console.log(`${await section()}\n`)
  } finally {
    await pipeline.close()
  }
}

await main()
