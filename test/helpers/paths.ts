import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, from dist/test/helpers/ or test/helpers/. */
export const repoRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url))
    dir = up
  }
  return dir
})()

export const fromRoot = (...parts: string[]): string => resolve(repoRoot, ...parts)

/** The compiled `venue` command, for tests that run it as a user would. */
export const venueBin = fromRoot('bin', 'venue.js')
