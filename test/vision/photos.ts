/**
 * The real face photos the vision tests use: ../shared/faces next to the repository (see its README).
 * Where the folder is absent, tests that need it print one plain line naming the folder and are skipped,
 * except under CI, where its absence is a failure.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'uvu'
import { fromRoot } from '../helpers/paths.js'

export const FACES_DIR = fromRoot('..', 'shared', 'faces')

export interface Photo {
  /** Person: `<source>_<person>`. */
  id: string
  /** Path relative to FACES_DIR, e.g. df_id01/1.jpg. */
  file: string
  path: string
}

let announced = false

/** The photos listed in MANIFEST.tsv, in its order. */
export function listPhotos(): Photo[] {
  const lines = readFileSync(join(FACES_DIR, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1)
  return lines.map((line) => {
    const [id, file] = line.split('\t')
    if (id === undefined || file === undefined) throw new Error(`bad MANIFEST.tsv line: ${line}`)
    return { id, file, path: join(FACES_DIR, file) }
  })
}

/**
 * The photos, or undefined when the folder is absent: then outside CI one line says which folder was
 * missing and the caller registers nothing; under CI a failing test is registered on `t`.
 */
export function needFaces(t: Test): Photo[] | undefined {
  if (existsSync(join(FACES_DIR, 'MANIFEST.tsv'))) return listPhotos()
  if (process.env.CI !== undefined && process.env.CI !== '') {
    t('face photos are present', () => {
      throw new Error(`face photos not found: ${FACES_DIR} (required when CI is set)`)
    })
  } else if (!announced) {
    announced = true
    console.log(`skipping the vision tests on real photos: ${FACES_DIR} not found`)
  }
  return undefined
}

/** Largest face of a result by box area. */
export function largest<T extends { box: readonly [number, number, number, number] }>(faces: readonly T[]): T | undefined {
  const area = (f: T): number => (f.box[2] - f.box[0]) * (f.box[3] - f.box[1])
  return faces.reduce<T | undefined>((a, b) => (a === undefined || area(b) > area(a) ? b : a), undefined)
}

/** The message a promise rejects with; fails the test if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('expected a rejection')
}
