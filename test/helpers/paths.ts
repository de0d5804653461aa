import { resolve } from 'node:path'
import { packageRoot } from '../../src/shared/paths.js'

/** The repository root, from dist/test/helpers/ or test/helpers/. */
export const repoRoot = packageRoot()

export const fromRoot = (...parts: string[]): string => resolve(repoRoot, ...parts)

/** The compiled `venue` command, for tests that run it as a user would. */
export const venueBin = fromRoot('bin', 'venue.js')
