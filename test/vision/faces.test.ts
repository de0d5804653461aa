import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { join } from 'node:path'
import sharp from 'sharp'
import { cosine, Embedder } from '../../src/vision/embed.js'
import { decodeFile, type RgbFrame } from '../../src/vision/image.js'
import { LivenessModel } from '../../src/vision/liveness.js'
import type { ModelSpec } from '../../src/vision/models/spec.js'
import { iou, type Box } from '../../src/vision/nms.js'
import { FacePipeline, type AnalyseResult, type Face } from '../../src/vision/pipeline.js'
import { quantile } from '../../bench/stats.js'
import { tempDir } from '../helpers/mqtt.js'
import { largest, needFaces, type Photo } from './photos.js'

/**
 * The pipeline on the real photos of ../shared/faces (14 people, 38 photos). Figures measured with the
 * default pack: same-person cosine mean 0.77 (p5 0.59, min 0.46), different-person mean 0.02, max 0.36;
 * liveness P(real) > 0.5 on 38/38 with BGR input, 36/38 with RGB.
 */
const t = suite('vision pipeline on real photos')
const photos = needFaces(t)

interface Seen {
  photo: Photo
  result: AnalyseResult
  face: Face
  /** The same face through the other channel order, for liveness and embedding. */
  otherLiveness: number
  otherEmbedding: Float32Array
}

let pipeline: FacePipeline
const seen: Seen[] = []
const flip = (spec: ModelSpec): ModelSpec => ({ ...spec, input: { ...spec.input, channels: spec.input.channels === 'bgr' ? 'rgb' : 'bgr' } })

if (photos !== undefined) {
  t.before(async () => {
    pipeline = await FacePipeline.open()
    const otherLive = new LivenessModel({ ...pipeline.models.liveness, spec: flip(pipeline.models.liveness.spec) })
    const otherEmbed = new Embedder({ ...pipeline.models.embedder, spec: flip(pipeline.models.embedder.spec) })
    for (const photo of photos) {
      const frame = await decodeFile(photo.path)
      const result = await pipeline.analyse(frame)
      const face = largest(result.faces)
      if (face === undefined) throw new Error(`no face found in ${photo.file}`)
      const otherLiveness = (await otherLive.score(frame, face.box)).score
      const otherEmbedding = (await otherEmbed.embed(frame, face.landmarks5)).embedding
      seen.push({ photo, result, face, otherLiveness, otherEmbedding })
    }
  })
  t.after(async () => {
    await pipeline?.close()
  })

  t('every photo yields a face; the largest has a plausible box, landmarks and quality', () => {
    assert.is(seen.length, photos.length)
    for (const { photo, result, face } of seen) {
      const [x1, y1, x2, y2] = face.box
      const w = x2 - x1
      const h = y2 - y1
      const what = `${photo.file} ${result.width}x${result.height} box ${face.box.map(Math.round).join(',')}`
      assert.ok(x1 >= 0 && y1 >= 0 && x2 <= result.width && y2 <= result.height, what)
      assert.ok(Math.min(w, h) >= 0.1 * Math.min(result.width, result.height), `${what}: too small for a portrait`)
      assert.ok(h / w > 0.9 && h / w < 1.8, `${what}: aspect ${h / w}`)
      assert.ok(face.score > 0.9, `${what}: score ${face.score}`)
      const [le, re, nose, ml, mr] = face.landmarks5
      for (const [x, y] of face.landmarks5) assert.ok(x > x1 && x < x2 && y > y1 && y < y2, `${what}: landmark outside the box`)
      assert.ok(le[0] < re[0] && ml[0] < mr[0], `${what}: left/right order`)
      assert.ok(Math.max(le[1], re[1]) < nose[1] && nose[1] < Math.min(ml[1], mr[1]), `${what}: eyes, nose, mouth order`)
      assert.ok(face.quality.passed, `${what}: ${face.quality.reasons.join()}`)
      assert.ok(face.quality.score > 0.8, `${what}: quality ${face.quality.score}`)
    }
  })

  t('every result carries per-stage timings; pure inference is reported apart from the rest', () => {
    for (const { result, face } of seen) {
      for (const k of ['detect_ms', 'landmarks_ms', 'align_ms', 'embed_ms', 'liveness_ms'] as const) {
        assert.ok(face.timings[k] > 0, `${k} ${face.timings[k]}`)
      }
      const inf = result.timings.inference
      assert.ok(Math.abs(result.timings.inference_ms - (inf.detect_ms + inf.landmarks_ms + inf.embed_ms + inf.liveness_ms)) < 1e-9)
      assert.ok(result.timings.total_ms >= result.timings.inference_ms)
      const embedStages = result.faces.reduce((sum, f) => sum + f.timings.embed_ms, 0)
      assert.ok(embedStages >= inf.embed_ms - 1e-9 && Math.abs(embedStages - result.timings.stages.embed_ms) < 1e-9)
    }
  })

  t('embeddings: unit length; same person mean > 0.55, different people max < 0.40; nearest photo is the same person', () => {
    const faces = seen.map((s) => ({ id: s.photo.id, e: s.face.embedding! }))
    for (const f of faces) {
      assert.is(f.e.length, 512)
      assert.ok(Math.abs(cosine(f.e, f.e) - 1) < 1e-4)
    }
    const same: number[] = []
    const diff: number[] = []
    for (let i = 0; i < faces.length; i++) {
      for (let j = i + 1; j < faces.length; j++) (faces[i]!.id === faces[j]!.id ? same : diff).push(cosine(faces[i]!.e, faces[j]!.e))
    }
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length
    const figures = `same mean ${mean(same).toFixed(3)} p5 ${quantile(same, 0.05).toFixed(3)}, different mean ${mean(diff).toFixed(3)} max ${Math.max(...diff).toFixed(3)}`
    assert.ok(mean(same) > 0.55, figures)
    assert.ok(quantile(same, 0.05) > 0.4, figures)
    assert.ok(Math.max(...diff) < 0.4, figures)
    assert.ok(Math.abs(mean(diff)) < 0.1, figures)
    let rank1 = 0
    for (let i = 0; i < faces.length; i++) {
      let best = -2
      let id = ''
      for (let j = 0; j < faces.length; j++) {
        if (i === j) continue
        const s = cosine(faces[i]!.e, faces[j]!.e)
        if (s > best) [best, id] = [s, faces[j]!.id]
      }
      if (id === faces[i]!.id) rank1++
    }
    assert.ok(rank1 >= faces.length - 2, `rank-1 ${rank1}/${faces.length}`)
  })

  t("the embedder's channel order is the better one: it scores most same-person pairs higher", () => {
    let better = 0
    let pairs = 0
    for (let i = 0; i < seen.length; i++) {
      for (let j = i + 1; j < seen.length; j++) {
        if (seen[i]!.photo.id !== seen[j]!.photo.id) continue
        pairs++
        if (cosine(seen[i]!.face.embedding!, seen[j]!.face.embedding!) > cosine(seen[i]!.otherEmbedding, seen[j]!.otherEmbedding)) better++
      }
    }
    assert.ok(better >= 0.75 * pairs, `${better}/${pairs} pairs`) // measured 45/49 with BGR
  })

  t('liveness: real photos score real in a clear majority, and better than with the other channel order', () => {
    const chosen = seen.map((s) => s.face.liveness!)
    const other = seen.map((s) => s.otherLiveness)
    const real = chosen.filter((p) => p > 0.5).length
    const realOther = other.filter((p) => p > 0.5).length
    const figures = `${pipeline.models.liveness.spec.input.channels}: ${real}/${seen.length} real, min ${Math.min(...chosen).toFixed(3)}; other order: ${realOther}/${seen.length}, min ${Math.min(...other).toFixed(3)}`
    assert.ok(real >= 0.9 * seen.length, figures)
    assert.ok(real >= realOther && Math.min(...chosen) > Math.min(...other), figures)
  })

  t('a face pasted into a 1080p camera frame is found where it was put, and matches its photo', async () => {
    for (const s of seen.filter((x) => x.photo.file.endsWith('/1.jpg')).slice(0, 4)) {
      const src = await decodeFile(s.photo.path)
      const [bx1, by1, bx2] = s.face.box
      const k = 110 / (bx2 - bx1) // face 110 px wide
      const w = Math.round(src.width * k)
      const h = Math.round(src.height * k)
      const small = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } }).resize(w, h, { fit: 'fill' }).raw().toBuffer()
      const frame: RgbFrame = { data: new Uint8Array(1920 * 1080 * 3).fill(90), width: 1920, height: 1080 }
      const ox = 1300 - Math.round(bx1 * k)
      const oy = 400 - Math.round(by1 * k)
      for (let y = 0; y < h; y++) {
        const Y = oy + y
        if (Y < 0 || Y >= 1080) continue
        for (let x = 0; x < w; x++) {
          const X = ox + x
          if (X >= 0 && X < 1920) frame.data.set(small.subarray((y * w + x) * 3, (y * w + x) * 3 + 3), (Y * 1920 + X) * 3)
        }
      }
      const expected: Box = [s.face.box[0] * k + ox, s.face.box[1] * k + oy, s.face.box[2] * k + ox, s.face.box[3] * k + oy]
      const r = await pipeline.analyse(frame)
      const f = largest(r.faces)
      assert.ok(f !== undefined, `${s.photo.file}: not found`)
      assert.ok(iou(f.box, expected) > 0.6, `${s.photo.file}: IoU ${iou(f.box, expected)}`)
      assert.ok(f.embedding !== undefined && cosine(f.embedding, s.face.embedding!) > 0.6, `${s.photo.file}: cosine to its photo`)
    }
  })

  t('EXIF orientation is applied: a photo stored rotated with its orientation tag gives the same face', async () => {
    const s = seen[0]!
    const dir = await tempDir('venue-vision-')
    try {
      const file = join(dir.path, 'rotated.jpg')
      // pixels turned a quarter anticlockwise, tagged "rotate 90 clockwise to display"
      await sharp(s.photo.path).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(file)
      const r = await pipeline.analyseFile(file)
      assert.is(r.width, s.result.width)
      assert.is(r.height, s.result.height)
      const f = largest(r.faces)!
      assert.ok(iou(f.box, s.face.box) > 0.8)
      assert.ok(cosine(f.embedding!, s.face.embedding!) > 0.95)
      assert.ok(r.timings.decode_ms !== undefined && r.timings.decode_ms > 0)
    } finally {
      await dir.remove()
    }
  })

  t('the gate: a face below the minimum size is returned, failed, and neither embedded nor scored', async () => {
    const s = seen[0]!
    const r = await pipeline.analyseFile(s.photo.path, { minFaceSize: 10_000 })
    const f = largest(r.faces)!
    assert.not.ok(f.quality.passed)
    assert.ok(f.quality.reasons.includes('too_small'))
    assert.is(f.embedding, undefined)
    assert.is(f.liveness, undefined)
    assert.is(f.timings.embed_ms, 0)
  })

  t('concurrent calls on one pipeline give the same answers as one at a time', async () => {
    const a = seen[1]!
    const b = seen[2]!
    const [ra, rb] = await Promise.all([pipeline.analyseFile(a.photo.path), pipeline.analyseFile(b.photo.path)])
    assert.ok(cosine(largest(ra.faces)!.embedding!, a.face.embedding!) > 0.9999)
    assert.ok(cosine(largest(rb.faces)!.embedding!, b.face.embedding!) > 0.9999)
  })
}

t.run()
