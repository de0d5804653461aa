/**
 * An analysis slot: where one frame at a time is turned into faces and, for the faces worth it, into
 * embeddings and liveness. `WorkerSlot` runs a face pipeline in a worker thread (the edge node's
 * default); the frame stays with the worker between the two steps.
 */
import { Worker } from 'node:worker_threads'
import type { ModelRole, ModelSpec } from '../../vision/models/index.js'
import type { Box, Landmarks5 } from '../../vision/index.js'
import type { Frame } from '../types.js'
import type { DetectedFace, Recognised, Reply, Request } from './protocol.js'

export interface AnalysisSlot {
  detect(frame: Frame, opts: { minQuality: number; minFaceSize: number }): Promise<{ faces: DetectedFace[]; infer_ms: number }>
  /** Embed and score liveness of faces of the frame last detected on this slot. */
  recognise(faces: Array<{ box: Box; landmarks5: Landmarks5 }>): Promise<{ results: Recognised[]; infer_ms: number }>
  /** The slot may forget the frame. */
  finish(): void
  close(): Promise<void>
}

export class WorkerSlot implements AnalysisSlot {
  private worker: Worker | undefined
  private nextId = 1
  private current = 0
  private pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>()

  constructor(private readonly init: { dir?: string; specs?: Partial<Record<ModelRole, ModelSpec>> }) {}

  async start(): Promise<void> {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: this.init })
    this.worker = worker
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: Reply) => {
        if (m.type === 'ready') {
          worker.off('error', reject)
          resolve()
        }
      }
      worker.once('message', onMessage)
      worker.once('error', reject)
    })
    worker.on('message', (m: Reply) => {
      if (m.type === 'ready') return
      const p = this.pending.get(m.id)
      if (p === undefined) return
      this.pending.delete(m.id)
      if (m.type === 'error') p.reject(new Error(m.message))
      else p.resolve(m)
    })
    worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    })
  }

  private call(req: Request): Promise<Reply> {
    const worker = this.worker
    if (worker === undefined) return Promise.reject(new Error('analysis worker not started'))
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject })
      worker.postMessage(req)
    })
  }

  async detect(frame: Frame, opts: { minQuality: number; minFaceSize: number }): Promise<{ faces: DetectedFace[]; infer_ms: number }> {
    this.current = this.nextId++
    const reply = await this.call({ type: 'detect', id: this.current, data: frame.data, width: frame.width, height: frame.height, ...opts })
    if (reply.type !== 'faces') throw new Error(`unexpected reply ${reply.type}`)
    return { faces: reply.faces, infer_ms: reply.infer_ms }
  }

  async recognise(faces: Array<{ box: Box; landmarks5: Landmarks5 }>): Promise<{ results: Recognised[]; infer_ms: number }> {
    if (faces.length === 0) return { results: [], infer_ms: 0 }
    const reply = await this.call({ type: 'recognise', id: this.current, faces })
    if (reply.type !== 'recognised') throw new Error(`unexpected reply ${reply.type}`)
    return { results: reply.results, infer_ms: reply.infer_ms }
  }

  finish(): void {
    this.worker?.postMessage({ type: 'done', id: this.current } satisfies Request)
  }

  async close(): Promise<void> {
    const w = this.worker
    this.worker = undefined
    if (w !== undefined) await w.terminate()
  }
}
