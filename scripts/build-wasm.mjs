#!/usr/bin/env node
/**
 * Compiles every WebAssembly text file under src/ (today: src/vision/gallery/hamming.wat) to a binary
 * next to the compiled JavaScript in dist/, with the SIMD feature on. Runs first in `npm run build`;
 * tsc leaves the .wasm files alone. Uses the JS build of WABT (devDependency `wabt`).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import initWabt from 'wabt'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** .wat files under `dir`, recursively. */
function watFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return watFiles(path)
    return e.isFile() && e.name.endsWith('.wat') ? [path] : []
  })
}

export async function buildWasm({ quiet = false } = {}) {
  const wabt = await initWabt()
  const outputs = []
  for (const file of watFiles(join(root, 'src'))) {
    const rel = relative(root, file)
    let mod
    try {
      mod = wabt.parseWat(rel, readFileSync(file, 'utf8'), { simd: true })
      mod.resolveNames()
      mod.validate()
      const { buffer } = mod.toBinary({ canonicalize_lebs: true })
      const out = join(root, 'dist', rel.replace(/\.wat$/, '.wasm'))
      mkdirSync(dirname(out), { recursive: true })
      writeFileSync(out, buffer)
      outputs.push(out)
      if (!quiet) console.log(`build-wasm: ${rel} -> ${relative(root, out)} (${buffer.length} bytes)`)
    } catch (err) {
      throw new Error(`build-wasm: ${rel}: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      mod?.destroy()
    }
  }
  return outputs
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWasm().catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
