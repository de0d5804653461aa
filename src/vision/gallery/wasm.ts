/**
 * Loads hamming.wasm (compiled from hamming.wat by scripts/build-wasm.mjs into the folder of this
 * compiled file) once, synchronously, and makes instances of it; each instance has its own memory.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The little of the WebAssembly JS API used here (lib ES2023 and @types/node 20 do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: object }
}

export interface GalleryKernels {
  memory: WasmMemory
  simhash(vector: number, signs: number, out: number): void
  scan(codes: number, n: number, query: number, dist: number, hist: number): void
  select(dist: number, n: number, t: number, atT: number, out: number): number
}

export const WASM_PAGE = 65536
const WASM_URL = new URL('./hamming.wasm', import.meta.url)
let compiled: object | undefined

/** A new instance of the kernels (memory starts at one page). */
export function instantiateKernels(): GalleryKernels {
  if (!compiled) {
    let bytes: Buffer
    try {
      bytes = readFileSync(WASM_URL)
    } catch {
      throw new Error(`gallery: ${fileURLToPath(WASM_URL)} is missing: build it with "node scripts/build-wasm.mjs" (part of "npm run build")`)
    }
    compiled = new WebAssembly.Module(bytes)
  }
  return new WebAssembly.Instance(compiled).exports as GalleryKernels
}
