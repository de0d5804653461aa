// `npm run contract`: write docs/contract/ from the contract, remove files that no longer belong there.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DOCS_DIR, generate } from './generate.js'
import { packageRoot } from '../../shared/paths.js'

const repoRoot = packageRoot

/** Files under `dir`, as paths relative to it with "/" separators, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else out.push(relative(dir, full).split(sep).join('/'))
    }
  }
  walk(dir)
  return out.sort()
}

/** Remove empty folders below `dir` (not `dir` itself). */
function pruneEmpty(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const full = join(dir, entry.name)
    pruneEmpty(full)
    if (readdirSync(full).length === 0) rmdirSync(full)
  }
}

export function writeContractDocs(root: string = repoRoot(), log: (line: string) => void = console.log): void {
  const outDir = resolve(root, DOCS_DIR)
  const files = generate()
  mkdirSync(outDir, { recursive: true })
  let changed = 0
  for (const [name, content] of files) {
    const path = join(outDir, ...name.split('/'))
    const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined
    if (before === content) {
      log(`  unchanged ${DOCS_DIR}/${name}`)
      continue
    }
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, content)
    log(`  ${before === undefined ? 'created  ' : 'updated  '} ${DOCS_DIR}/${name}`)
    changed++
  }
  for (const name of listFiles(outDir)) {
    if (files.has(name)) continue
    rmSync(join(outDir, ...name.split('/')))
    log(`  deleted   ${DOCS_DIR}/${name}`)
    changed++
  }
  pruneEmpty(outDir)
  log(`${DOCS_DIR}: ${files.size} files, ${changed} changed`)
}

// Run only as the script, not when a test imports listFiles.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) writeContractDocs()
