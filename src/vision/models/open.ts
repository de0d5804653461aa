import * as ort from 'onnxruntime-node'
import { checkModelFile, modelDir, modelPath } from './cache.js'
import { DEFAULT_SPECS, type ModelRole, type ModelSpec } from './spec.js'

export interface OpenModel {
  session: ort.InferenceSession
  spec: ModelSpec
}

export type OpenModels = Record<ModelRole, OpenModel>

/** A model that cannot be used, named by file: raised before onnxruntime ever sees a bad file. */
export class ModelError extends Error {
  override name = 'ModelError'
}

/** One intra-op thread: faster than two on a 2-core machine shared with decode and tracking (issue 3). */
export const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
}

/**
 * Measured here: 'all' makes the default embedder about 3x slower (75-86 ms against 26-31 ms with
 * 'extended', same output to 4e-7), while the detector and landmarks are 3x faster with 'all'.
 */
const OPTIMISATION: Partial<Record<ModelRole, ort.InferenceSession.SessionOptions['graphOptimizationLevel']>> = {
  embedder: 'extended',
}

/** Check each model file's hash, then open one session per model, to be reused for every frame. */
export async function openModels(opts: { dir?: string; specs?: Partial<Record<ModelRole, ModelSpec>> } = {}): Promise<OpenModels> {
  const dir = opts.dir ?? modelDir()
  const specs = { ...DEFAULT_SPECS, ...opts.specs }
  const roles: ModelRole[] = ['detector', 'landmarks', 'embedder', 'liveness']
  // every file is checked before any is opened, and every problem is named at once
  const problems: string[] = []
  for (const role of roles) {
    const check = await checkModelFile(specs[role], dir)
    if (!check.ok) problems.push(check.detail)
  }
  if (problems.length > 0) throw new ModelError(`${problems.join('; ')}; run \`venue models install\``)
  const open = async (role: ModelRole): Promise<OpenModel> => {
    const spec = specs[role]
    const path = modelPath(spec, dir)
    try {
      const level = OPTIMISATION[role] ?? SESSION_OPTIONS.graphOptimizationLevel
      const options: ort.InferenceSession.SessionOptions = level === undefined ? SESSION_OPTIONS : { ...SESSION_OPTIONS, graphOptimizationLevel: level }
      return { spec, session: await ort.InferenceSession.create(path, options) }
    } catch (err) {
      throw new ModelError(`${role} model ${path} cannot be loaded by onnxruntime: ${(err as Error).message}`)
    }
  }
  const [detector, landmarks, embedder, liveness] = await Promise.all([open('detector'), open('landmarks'), open('embedder'), open('liveness')])
  return { detector, landmarks, embedder, liveness }
}

export async function closeModels(models: OpenModels): Promise<void> {
  await Promise.all(Object.values(models).map((m) => m.session.release()))
}
