/**
 * An analysis worker thread. onnxruntime-node runs inference on the calling thread (measured: the event
 * loop stops for the length of `session.run`), so each face pipeline lives in a worker of its own: the
 * main thread keeps reading ffmpeg, tracking and publishing while the workers use the cores.
 * Frames arrive as views of shared memory (the source's pool), so nothing is copied on the way.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { FacePipeline, type RgbFrame } from '../../vision/index.js'
import type { ModelRole, ModelSpec } from '../../vision/models/index.js'
import type { Reply, Request } from './protocol.js'

interface Init {
  dir?: string
  specs?: Partial<Record<ModelRole, ModelSpec>>
}

const port = parentPort
if (port === null) throw new Error('analysis worker must run in a worker thread')
const init = workerData as Init
const pipeline = await FacePipeline.open({ ...(init.dir === undefined ? {} : { dir: init.dir }), ...(init.specs === undefined ? {} : { specs: init.specs }) })
const frames = new Map<number, RgbFrame>()
const send = (reply: Reply) => port.postMessage(reply)

port.on('message', (req: Request) => {
  void handle(req).catch((err: unknown) => send({ type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) }))
})
send({ type: 'ready' })

async function handle(req: Request): Promise<void> {
  switch (req.type) {
    case 'detect': {
      const frame: RgbFrame = { data: req.data, width: req.width, height: req.height }
      frames.set(req.id, frame)
      const r = await pipeline.analyse(frame, { embed: false, liveness: false, minQuality: req.minQuality, minFaceSize: req.minFaceSize })
      send({
        type: 'faces',
        id: req.id,
        faces: r.faces.map((f) => ({ box: f.box, score: f.score, landmarks5: f.landmarks5, quality: f.quality })),
        infer_ms: r.timings.inference_ms,
      })
      return
    }
    case 'recognise': {
      const frame = frames.get(req.id)
      if (frame === undefined) throw new Error(`frame ${req.id} is not held by this worker`)
      const results = []
      let infer_ms = 0
      for (const f of req.faces) {
        const e = await pipeline.embedder.embed(frame, f.landmarks5)
        const l = await pipeline.liveness.score(frame, f.box)
        infer_ms += e.infer_ms + l.infer_ms
        results.push({ embedding: e.embedding, liveness: l.score })
      }
      send({ type: 'recognised', id: req.id, results, infer_ms })
      return
    }
    case 'done':
      frames.delete(req.id)
      return
  }
}
