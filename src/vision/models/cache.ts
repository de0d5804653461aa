import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { DEFAULT_PACK, type ModelSpec } from './spec.js'

/** Where the default pack lives once installed: $VENUE_MODEL_DIR, else the user's cache folder. */
export function modelDir(): string {
  if (process.env.VENUE_MODEL_DIR !== undefined && process.env.VENUE_MODEL_DIR !== '') return process.env.VENUE_MODEL_DIR
  const base = process.env.XDG_CACHE_HOME !== undefined && process.env.XDG_CACHE_HOME !== '' ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache')
  return join(base, 'venue-sentinel', 'models', DEFAULT_PACK.id)
}

export function modelPath(spec: ModelSpec, dir: string): string {
  return isAbsolute(spec.file) ? spec.file : join(dir, spec.file)
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export type FileCheck = { ok: true } | { ok: false; problem: 'missing' | 'corrupt'; detail: string }

/** Is the file there, with the pinned hash? */
export async function checkModelFile(spec: ModelSpec, dir: string): Promise<FileCheck> {
  const path = modelPath(spec, dir)
  try {
    await stat(path)
  } catch {
    return { ok: false, problem: 'missing', detail: `${spec.role} model ${path} is missing` }
  }
  const actual = await sha256File(path)
  if (actual !== spec.sha256) {
    return { ok: false, problem: 'corrupt', detail: `${spec.role} model ${path} is corrupt: sha256 ${actual}, expected ${spec.sha256}` }
  }
  return { ok: true }
}
