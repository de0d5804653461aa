/**
 * 512-bit SimHash codes: the signs of a fixed, seeded random rotation of the embedding. The rotation
 * is three rounds of random sign flips followed by a Walsh-Hadamard transform (H D3 H D2 H D1), an
 * orthogonal, well-mixing structured rotation that costs O(d log d) per vector instead of the O(d^2)
 * of a dense Gaussian matrix; it runs in WebAssembly SIMD (hamming.wat). Two codes' Hamming distance
 * estimates the angle between the vectors: E[distance] = 512 * angle / pi.
 * Codes are derived data: they are never stored, so the seed can change without touching galleries.
 */
import { instantiateKernels, type GalleryKernels } from './wasm.js'
import { mulberry32 } from '../../shared/random.js'

export const DIMS = 512
export const CODE_BYTES = DIMS / 8
export const ROUNDS = 3
const SEED = 0x5e17_a11e


/** The rotation's ±1 signs: ROUNDS x DIMS, from the fixed seed. */
export const SIGNS: Float32Array = (() => {
  const rand = mulberry32(SEED)
  return Float32Array.from({ length: ROUNDS * DIMS }, () => (rand() < 0.5 ? -1 : 1))
})()

// memory layout of the coding instance (one page): signs, then the vector, then the code
const SIGNS_AT = 0
const VECTOR_AT = SIGNS_AT + ROUNDS * DIMS * 4
const CODE_AT = VECTOR_AT + DIMS * 4
let kernels: GalleryKernels | undefined
let vector: Float32Array
let code: Uint8Array

/** Writes the 64-byte code of the 512 floats of `embedding` from `offset` into `out` at `outOffset`. */
export function simhash(embedding: Float32Array, out: Uint8Array, outOffset = 0, offset = 0): void {
  if (!kernels) {
    kernels = instantiateKernels()
    new Float32Array(kernels.memory.buffer, SIGNS_AT, SIGNS.length).set(SIGNS)
    vector = new Float32Array(kernels.memory.buffer, VECTOR_AT, DIMS)
    code = new Uint8Array(kernels.memory.buffer, CODE_AT, CODE_BYTES)
  }
  vector.set(offset === 0 && embedding.length === DIMS ? embedding : embedding.subarray(offset, offset + DIMS))
  kernels.simhash(VECTOR_AT, SIGNS_AT, CODE_AT)
  out.set(code, outOffset)
}
