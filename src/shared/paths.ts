import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The installed package's root (where package.json is), from src/ or dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('cannot find the package root above ' + fileURLToPath(import.meta.url))
    dir = up
  }
  return dir
}

export const demoVenueFile = (): string => join(packageRoot(), 'config', 'venues', 'demo.yaml')
