/**
 * 1:N search over the gallery's templates. Small galleries are scanned exactly; from `exactBelow`
 * templates on, a two-stage search: WebAssembly SIMD Hamming scan of 512-bit SimHash codes keeps the
 * K nearest codes, then their float embeddings are reranked by exact cosine. Results keep the best
 * template per subject.
 */
import { HammingScanner } from './hamming.js'
import { CODE_BYTES, DIMS, simhash } from './simhash.js'

export interface SearchOptions {
  /** How many subjects to return, best first (default 5). */
  topSubjects?: number
  /** Candidates kept by the Hamming stage (default: the index's `k`). */
  k?: number
  /** Force an exact scan whatever the size (baseline and tests). */
  exact?: boolean
}

export interface IndexHit {
  /** Index of the subject (as given to `add`). */
  subject: number
  /** Position of the best template for that subject. */
  template: number
  /** Cosine similarity of that template to the query. */
  score: number
}

export interface IndexOptions {
  /**
   * Candidates reranked after the Hamming scan (default 256). Measured at 100k templates, 5,000
   * queries each: planted at cosine 0.45-0.9, every K from 64 finds all; in the harder 0.35-0.45 band
   * K = 64/128/256/512 find 99.90/99.94/99.94/99.98%; among anisotropic vectors (impostor cosines
   * spread ~0.1) at 0.45-0.5, 98.08/98.56/98.68/98.70% where 98.70% is the exact scan's own rate.
   * 256 is within 0.02 points of that ceiling and costs ~0.3 ms more than 64 (JS rerank of 512-d dots).
   */
  k?: number
  /**
   * Below this many templates the search is an exact scan (default 1,024): there it costs <= ~1 ms
   * median, ~2 ms p99, and K = 256 would already be a quarter of the gallery.
   */
  exactBelow?: number
}

export const DEFAULT_K = 256
export const DEFAULT_EXACT_BELOW = 1024

/** Dot product of `q` with the 512 floats of `m` from `offset` (both unit vectors: the cosine). */
function dot(q: Float32Array, m: Float32Array, offset: number): number {
  let a = 0
  let b = 0
  let c = 0
  let d = 0
  for (let i = 0; i < DIMS; i += 4) {
    a += q[i]! * m[offset + i]!
    b += q[i + 1]! * m[offset + i + 1]!
    c += q[i + 2]! * m[offset + i + 2]!
    d += q[i + 3]! * m[offset + i + 3]!
  }
  return a + b + c + d
}

export class TemplateIndex {
  readonly k: number
  readonly exactBelow: number
  private embeddings = new Float32Array(0)
  private codes = new Uint8Array(0)
  private subjects = new Int32Array(0)
  private count = 0
  private scanner: HammingScanner | undefined
  private readonly queryCode = new Uint8Array(CODE_BYTES)

  constructor(options: IndexOptions = {}) {
    this.k = options.k ?? DEFAULT_K
    this.exactBelow = options.exactBelow ?? DEFAULT_EXACT_BELOW
  }

  get size(): number {
    return this.count
  }

  subjectOf(template: number): number {
    return this.subjects[template]!
  }

  embedding(template: number): Float32Array {
    return this.embeddings.subarray(template * DIMS, (template + 1) * DIMS)
  }

  /** Make room for `extra` more templates (amortised doubling). */
  reserve(extra: number): void {
    const need = this.count + extra
    if (need * DIMS <= this.embeddings.length) return
    const cap = Math.max(need, Math.ceil(this.embeddings.length / DIMS) * 2, 64)
    const e = new Float32Array(cap * DIMS)
    e.set(this.embeddings.subarray(0, this.count * DIMS))
    const c = new Uint8Array(cap * CODE_BYTES)
    c.set(this.codes.subarray(0, this.count * CODE_BYTES))
    const s = new Int32Array(cap)
    s.set(this.subjects.subarray(0, this.count))
    this.embeddings = e
    this.codes = c
    this.subjects = s
  }

  /** Add a unit-length embedding for subject index `subject`; returns the template position. */
  add(embedding: Float32Array, subject: number): number {
    this.reserve(1)
    const i = this.count++
    this.embeddings.set(embedding, i * DIMS)
    simhash(embedding, this.codes, i * CODE_BYTES)
    this.subjects[i] = subject
    return i
  }

  /**
   * Keep the templates for which `keep(position)` is true, renumbering subjects with `subjectMap`
   * (old subject index -> new). Returns the old positions of the kept templates, in their new order.
   */
  compact(keep: (template: number) => boolean, subjectMap: (subject: number) => number): number[] {
    const kept: number[] = []
    for (let i = 0; i < this.count; i++) {
      if (!keep(i)) continue
      const j = kept.length
      if (j !== i) {
        this.embeddings.copyWithin(j * DIMS, i * DIMS, (i + 1) * DIMS)
        this.codes.copyWithin(j * CODE_BYTES, i * CODE_BYTES, (i + 1) * CODE_BYTES)
      }
      this.subjects[j] = subjectMap(this.subjects[i]!)
      kept.push(i)
    }
    // wipe what was removed from memory too
    this.embeddings.fill(0, kept.length * DIMS, this.count * DIMS)
    this.codes.fill(0, kept.length * CODE_BYTES, this.count * CODE_BYTES)
    this.count = kept.length
    this.scanner = undefined
    return kept
  }

  /** Best template per subject for a unit-length query, best subjects first. */
  search(query: Float32Array, options: SearchOptions = {}): IndexHit[] {
    const top = options.topSubjects ?? 5
    const n = this.count
    const best = new Map<number, IndexHit>()
    const consider = (t: number): void => {
      const score = dot(query, this.embeddings, t * DIMS)
      const s = this.subjects[t]!
      const hit = best.get(s)
      if (!hit) best.set(s, { subject: s, template: t, score })
      else if (score > hit.score) {
        hit.score = score
        hit.template = t
      }
    }
    const k = options.k ?? this.k
    if (options.exact || n < this.exactBelow || n <= k) {
      for (let t = 0; t < n; t++) consider(t)
    } else {
      simhash(query, this.queryCode)
      for (const t of this.syncedScanner().nearest(this.queryCode, k)) consider(t)
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.template - b.template).slice(0, top)
  }

  /** The Hamming scanner, holding a copy of every code (rebuilt after compaction, topped up after adds). */
  private syncedScanner(): HammingScanner {
    this.scanner ??= new HammingScanner()
    if (this.scanner.size < this.count) this.scanner.append(this.codes, this.scanner.size, this.count)
    return this.scanner
  }
}
