/**
 * A loaded model as every stage takes it: one ORT session (created once by `openModels()` in
 * models/open.ts, reused for every frame) and the spec that says how to feed it.
 */
import * as ort from 'onnxruntime-node'
import type { OpenModel, OpenModels } from './models/open.js'
import type { ModelRole } from './models/spec.js'

export type LoadedModel = OpenModel
export type LoadedModels = OpenModels

/** Run a single-input model on a Float32 buffer; returns the outputs and the pure inference time. */
export async function runModel(
  model: LoadedModel,
  input: Float32Array,
  dims: readonly number[],
): Promise<{ outputs: ort.InferenceSession.ReturnType; ms: number }> {
  const name = model.session.inputNames[0]
  if (name === undefined) throw new Error(`model ${model.spec.file} has no input`)
  const feeds = { [name]: new ort.Tensor('float32', input, dims) }
  const t0 = performance.now()
  const outputs = await model.session.run(feeds)
  return { outputs, ms: performance.now() - t0 }
}

/** The Float32 data of a named output (or the first one when `name` is undefined). */
export function outputData(model: LoadedModel, outputs: ort.InferenceSession.ReturnType, name?: string): Float32Array {
  const key = name ?? model.session.outputNames[0]
  const t = key === undefined ? undefined : outputs[key]
  if (t === undefined || !(t.data instanceof Float32Array)) {
    throw new Error(`model ${model.spec.file}: no float32 output ${key ?? '(none)'}`)
  }
  return t.data
}

/** Check a session's first input against the spec (NCHW, batch 1); a clear error beats a shape error mid-run. */
export function checkInput(model: LoadedModel, role: ModelRole): void {
  const { spec, session } = model
  if (spec.role !== role) throw new Error(`expected a ${role} model, got ${spec.role} (${spec.file})`)
  const meta = session.inputMetadata[0]
  if (meta === undefined || !meta.isTensor) return
  const shape = meta.shape
  const planes = spec.input.channels === 'gray' ? 1 : 3
  const want = [1, planes, spec.input.height, spec.input.width]
  const fixed = shape.every((d) => typeof d === 'number')
  if (fixed && (shape.length !== 4 || shape.some((d, i) => d !== want[i]))) {
    throw new Error(`${role} model ${spec.file}: input shape [${shape.join(',')}] does not match its spec [${want.join(',')}]`)
  }
}
