import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { HammingScanner } from '../../src/vision/gallery/hamming.js'
import { TemplateIndex } from '../../src/vision/gallery/search.js'
import { CODE_BYTES, DIMS, ROUNDS, SIGNS, simhash } from '../../src/vision/gallery/simhash.js'
import { Synthetic } from '../../src/vision/gallery/synthetic.js'

// `npx tsc` alone does not build the WebAssembly kernels; `npm run build` does
if (!existsSync(new URL('../../src/vision/gallery/hamming.wasm', import.meta.url))) {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../../scripts/build-wasm.mjs', import.meta.url))])
}

const test = suite('vision gallery search')

/** `n` random templates, `perSubject` per subject, and planted queries at cosine 0.45-0.9. */
function setup(n: number, perSubject: number, queries: number, options: ConstructorParameters<typeof TemplateIndex>[0] = {}) {
  const syn = new Synthetic(512, { seed: n })
  const index = new TemplateIndex(options)
  index.reserve(n)
  const templates: Float32Array[] = []
  for (let i = 0; i < n; i++) {
    const v = syn.unit()
    templates.push(v)
    index.add(v, Math.floor(i / perSubject))
  }
  const planted = Array.from({ length: queries }, () => {
    const t = syn.int(n)
    return { subject: Math.floor(t / perSubject), template: t, query: syn.planted(templates[t]!, syn.between(0.45, 0.9)) }
  })
  return { index, templates, planted }
}

/** The rotation and sign bits in plain float64 JavaScript: the reference for the WebAssembly kernel. */
function referenceCode(e: Float32Array): Uint8Array {
  const v = Float64Array.from(e)
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < DIMS; i++) v[i]! *= SIGNS[r * DIMS + i]!
    for (let h = 1; h < DIMS; h <<= 1) {
      for (let i = 0; i < DIMS; i += h << 1) {
        for (let j = i; j < i + h; j++) {
          const a = v[j]!
          const b = v[j + h]!
          v[j] = a + b
          v[j + h] = a - b
        }
      }
    }
  }
  const code = new Uint8Array(CODE_BYTES)
  for (let i = 0; i < DIMS; i++) if (v[i]! < 0) code[i >> 3]! |= 1 << (i & 7)
  return code
}

const hamming = (a: Uint8Array, b: Uint8Array): number => {
  let d = 0
  for (let i = 0; i < a.length; i++) for (let x = a[i]! ^ b[i]!; x; x &= x - 1) d++
  return d
}

const codeOf = (e: Float32Array): Uint8Array => {
  const c = new Uint8Array(CODE_BYTES)
  simhash(e, c)
  return c
}

test('SimHash: the WebAssembly kernel matches the float64 reference; distance tracks the angle', () => {
  const syn = new Synthetic(512, { seed: 5 })
  for (let i = 0; i < 200; i++) {
    const e = syn.unit()
    assert.ok(hamming(codeOf(e), referenceCode(e)) <= 1)
  }
  const basis = new Float32Array(512)
  basis[7] = 1
  assert.ok(hamming(codeOf(basis), referenceCode(basis)) <= 1)
  for (const cosine of [0.9, 0.7, 0.45, 0]) {
    let sum = 0
    for (let i = 0; i < 200; i++) {
      const a = syn.unit()
      sum += hamming(codeOf(a), codeOf(syn.planted(a, cosine)))
    }
    const expected = (512 * Math.acos(cosine)) / Math.PI
    assert.ok(Math.abs(sum / 200 - expected) < 3, `cosine ${cosine}: mean distance ${sum / 200}, expected ${expected}`)
  }
})

test('Hamming selection keeps exactly the K nearest codes (ties at the cut-off included up to K)', () => {
  const n = 5003 // not a multiple of 8: exercises the padded tail
  const codes = new Uint8Array(n * CODE_BYTES)
  const syn = new Synthetic(512, { seed: 9 })
  for (let i = 0; i < codes.length; i++) codes[i] = syn.int(256)
  const scanner = new HammingScanner()
  scanner.append(codes, 0, 2000)
  scanner.append(codes, 2000, n)
  const query = codes.slice(17 * CODE_BYTES, 18 * CODE_BYTES)
  const dist = Array.from({ length: n }, (_, i) => hamming(codes.subarray(i * CODE_BYTES, (i + 1) * CODE_BYTES), query))
  const sorted = [...dist].sort((a, b) => a - b)
  for (const k of [1, 7, 64, 256, n, n + 100]) {
    const got = Array.from(scanner.nearest(query, k))
    const kth = sorted[Math.min(k, n) - 1]!
    assert.is(got.length, Math.min(k, n))
    assert.is(new Set(got).size, got.length)
    assert.ok(got.every((i) => dist[i]! <= kth))
    assert.is(got.filter((i) => dist[i]! < kth).length, dist.filter((d) => d < kth).length)
    assert.ok(got.includes(17))
  }
})

test('1k templates: the two-stage path returns what an exact scan returns', () => {
  const { index, planted } = setup(1000, 4, 300, { exactBelow: 0, k: 64 })
  for (const p of planted) {
    const fast = index.search(p.query, { topSubjects: 3 })
    const exact = index.search(p.query, { topSubjects: 3, exact: true })
    assert.is(fast[0]!.subject, exact[0]!.subject)
    assert.is(fast[0]!.template, exact[0]!.template)
    assert.ok(Math.abs(fast[0]!.score - exact[0]!.score) < 1e-9)
    assert.is(exact[0]!.subject, p.subject)
  }
})

test('small galleries are scanned exactly: every subject ranked, best template per subject', () => {
  const { index, templates } = setup(40, 4, 0)
  const hits = index.search(templates[13]!, { topSubjects: 100 })
  assert.is(hits.length, 10)
  assert.is(hits[0]!.subject, 3)
  assert.is(hits[0]!.template, 13)
  assert.ok(Math.abs(hits[0]!.score - 1) < 1e-5)
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score)
})

test('100k templates: planted matches found (>= 99.9%), same as exact scan on a sample', () => {
  const started = performance.now()
  const { index, planted } = setup(100_000, 2, 1000)
  const built = performance.now() - started
  let found = 0
  for (const p of planted) if (index.search(p.query, { topSubjects: 1 })[0]!.subject === p.subject) found++
  assert.ok(found / planted.length >= 0.999, `recall ${found}/${planted.length}`)
  for (const p of planted.slice(0, 5)) {
    const exact = index.search(p.query, { topSubjects: 2, exact: true })
    const fast = index.search(p.query, { topSubjects: 2 })
    assert.is(fast[0]!.subject, exact[0]!.subject)
    assert.is(fast[0]!.template, exact[0]!.template)
  }
  assert.ok(built < 15_000, `building 100k took ${built} ms`)
})

test('compaction keeps search consistent (codes rebuilt)', () => {
  const { index, templates, planted } = setup(3000, 3, 50, { k: 128 })
  index.search(planted[0]!.query) // builds the scanner
  const kept = index.compact((t) => t % 3 !== 0, (s) => s)
  assert.is(index.size, 2000)
  for (const p of planted) {
    const hit = index.search(p.query, { topSubjects: 1 })[0]!
    assert.ok(kept[hit.template]! % 3 !== 0)
    if (p.template % 3 !== 0) assert.is(kept[hit.template], p.template)
  }
  assert.equal(Array.from(index.embedding(0)), Array.from(templates[1]!))
})

test.run()
