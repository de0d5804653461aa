/**
 * The WebAssembly SIMD Hamming scanner (hamming.wat) and the K-nearest selection: one O(N) pass
 * computes every distance and a histogram of them; the histogram gives the distance threshold that
 * keeps exactly K candidates; a second vectorised pass collects their indices. No sort.
 */
import { CODE_BYTES } from './simhash.js'
import { instantiateKernels, WASM_PAGE as PAGE, type GalleryKernels } from './wasm.js'

const QUERY_AT = 0
const HIST_AT = 64
const BINS = CODE_BYTES * 8 + 1
const CODES_AT = 4096
const align = (n: number, to: number): number => Math.ceil(n / to) * to

/** A copy of the gallery's codes in WebAssembly memory, and the scratch space to search them. */
export class HammingScanner {
  private readonly wasm: GalleryKernels
  private count = 0

  constructor() {
    this.wasm = instantiateKernels()
  }

  get size(): number {
    return this.count
  }

  /** Append codes `from`..`to`-1 of `codes` (64 bytes each). */
  append(codes: Uint8Array, from: number, to: number): void {
    this.reserve(to - from + this.count, 0)
    new Uint8Array(this.wasm.memory.buffer).set(codes.subarray(from * CODE_BYTES, to * CODE_BYTES), CODES_AT + this.count * CODE_BYTES)
    this.count += to - from
  }

  /** Grow memory to hold `n` codes, their distances and `k` selected indices. */
  private reserve(n: number, k: number): void {
    const need = this.selectAt(n) + k * 4 + 64
    const have = this.wasm.memory.buffer.byteLength
    if (need > have) this.wasm.memory.grow(Math.ceil((need - have) / PAGE))
  }

  private distAt(n: number): number {
    return align(CODES_AT + n * CODE_BYTES, 16)
  }

  private selectAt(n: number): number {
    return align(this.distAt(n) + align(n, 8) * 2, 16)
  }

  /**
   * Indices of the `k` codes nearest to `query` (ties at the cut-off broken by position), unordered.
   * Returns a view into WebAssembly memory: copy it before the next call.
   */
  nearest(query: Uint8Array, k: number): Uint32Array {
    const n = this.count
    k = Math.min(k, n)
    this.reserve(n, k)
    const buf = this.wasm.memory.buffer
    const distAt = this.distAt(n)
    const selectAt = this.selectAt(n)
    new Uint8Array(buf, QUERY_AT, CODE_BYTES).set(query)
    const hist = new Uint32Array(buf, HIST_AT, BINS)
    hist.fill(0)
    new Uint16Array(buf, distAt + n * 2, align(n, 8) - n).fill(0xffff)
    this.wasm.scan(CODES_AT, n, QUERY_AT, distAt, HIST_AT)
    // smallest distance t with at least k codes at distance <= t
    let below = 0
    let t = 0
    while (t < BINS && below + hist[t]! < k) below += hist[t++]!
    const got = this.wasm.select(distAt, n, t, k - below, selectAt)
    return new Uint32Array(buf, selectAt, got)
  }
}
