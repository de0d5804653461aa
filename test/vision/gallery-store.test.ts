import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Gallery, GalleryError, createGalleryKeyFile, loadGalleryKey, parseGalleryKey, sourceLabel, type GalleryKey } from '../../src/vision/gallery/index.js'
import { decodeDocument, unseal } from '../../src/vision/gallery/sealed.js'
import { Synthetic } from '../../src/vision/gallery/synthetic.js'

// `npx tsc` alone does not build the WebAssembly kernels; `npm run build` does
if (!existsSync(new URL('../../src/vision/gallery/hamming.wasm', import.meta.url))) {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../../scripts/build-wasm.mjs', import.meta.url))])
}

const test = suite('vision gallery store')
const syn = new Synthetic(512, { seed: 11 })
let dir: string
let key: GalleryKey

test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'gallery-'))
  key = parseGalleryKey(randomBytes(32).toString('hex'), 'test')
})
test.after.each(() => rmSync(dir, { recursive: true, force: true }))

const tpl = (rosterId?: string, id?: string) => ({ embedding: syn.unit(), source: 'src-0a1b2c3d4e5f6a7b', quality: 0.9, ...(rosterId ? { rosterId } : {}), ...(id ? { id } : {}) })

test('key from the environment (hex or base64) and from a 0600 key file', () => {
  const bytes = randomBytes(32)
  const fromHex = loadGalleryKey({}, { VENUE_GALLERY_KEY: bytes.toString('hex') })
  const fromB64 = loadGalleryKey({ env: 'MY_KEY' }, { MY_KEY: bytes.toString('base64') })
  assert.ok(fromHex.bytes.equals(bytes))
  assert.ok(fromB64.bytes.equals(bytes))
  assert.is(fromHex.id, fromB64.id)
  assert.is(fromHex.id.length, 16)
  const file = join(dir, 'keys', 'gallery.key')
  const created = createGalleryKeyFile(file)
  assert.is(statSync(file).mode & 0o777, 0o600)
  assert.ok(loadGalleryKey({ file }).bytes.equals(created.bytes))
  assert.throws(() => createGalleryKeyFile(file), /already exists/)
})

test('key errors are clear', () => {
  assert.throws(() => loadGalleryKey({}, {}), /no gallery key: set VENUE_GALLERY_KEY/)
  assert.throws(() => loadGalleryKey({}, { VENUE_GALLERY_KEY: 'abcd' }), /is 2 bytes; it must be 32/)
  assert.throws(() => loadGalleryKey({}, { VENUE_GALLERY_KEY: randomBytes(16).toString('base64') }), /is 16 bytes/)
  assert.throws(() => loadGalleryKey({}, { VENUE_GALLERY_KEY: 'not a key!' }), /neither hex nor base64/)
  assert.throws(() => loadGalleryKey({ file: join(dir, 'nope.key') }), /nope\.key does not exist/)
})

test('round trip: save, reopen with the key, same templates and search results', async () => {
  const g = await Gallery.open(dir, key)
  const a = g.enrol('sub-aaaa1', [tpl('r1', 'tpl-a1'), tpl('r1', 'tpl-a2')])
  g.enrol('sub-bbbb2', [tpl('r2', 'tpl-b1')])
  await g.save()
  const probe = syn.planted(await reopenEmbedding(g, 'tpl-a1'), 0.7)
  writeFileSync(join(dir, 'gallery.enc.999.abcd.tmp'), 'left by a crashed write')
  const h = await Gallery.open(dir, key)
  assert.is(h.size, 3)
  assert.equal(h.subjects(), ['sub-aaaa1', 'sub-bbbb2'])
  assert.equal(h.templates('sub-aaaa1'), a)
  assert.equal(h.search(probe), g.search(probe))
  const d = h.decide(probe)
  assert.is(d.subject, 'sub-aaaa1')
  assert.is(d.template, 'tpl-a1')
  assert.ok(Math.abs(d.score - 0.7) < 1e-5)
  // nothing readable on disk, and no temp files left behind
  const raw = readFileSync(h.path)
  assert.not.ok(raw.includes('sub-aaaa1'))
  assert.not.ok(raw.includes('tpl-a1'))
  assert.equal(readdirSync(dir), ['gallery.enc'])
})

/** The stored embedding of a template, from the decrypted file. */
async function reopenEmbedding(g: Gallery, templateId: string): Promise<Float32Array> {
  const { doc, embeddings } = decodeDocument(unseal(readFileSync(g.path), key, g.path), g.path)
  const ids = doc.subjects.flatMap((s) => s.templates.map((t) => t.id))
  const i = ids.indexOf(templateId)
  return embeddings.slice(i * 512, (i + 1) * 512)
}

test('a wrong key is named, not a stack trace', async () => {
  const g = await Gallery.open(dir, key)
  g.enrol('sub-aaaa1', [tpl()])
  await g.save()
  const other = parseGalleryKey(randomBytes(32).toString('base64'), 'environment VENUE_GALLERY_KEY')
  try {
    await Gallery.open(dir, other)
    assert.unreachable()
  } catch (err) {
    assert.match((err as Error).message, /wrong key or tampered gallery file/)
    assert.match((err as Error).message, /environment VENUE_GALLERY_KEY/)
    assert.is((err as Error).name, 'GalleryFileError')
  }
})

test('tampering anywhere (header, body, tag, length) is detected', async () => {
  const g = await Gallery.open(dir, key)
  g.enrol('sub-aaaa1', [tpl(), tpl()])
  await g.save()
  const good = readFileSync(g.path)
  const cases: Array<[string, Buffer]> = [
    ['key id', flip(good, 12)],
    ['iv', flip(good, 22)],
    ['body', flip(good, 100)],
    ['tag', flip(good, good.length - 1)],
    ['truncated', good.subarray(0, good.length - 40)],
  ]
  for (const [what, bytes] of cases) {
    writeFileSync(g.path, bytes)
    await assertRejects(Gallery.open(dir, key), /wrong key or tampered gallery file/, what)
  }
  writeFileSync(g.path, 'hello')
  await assertRejects(Gallery.open(dir, key), /not a gallery file/, 'not ours')
})

const flip = (b: Buffer, at: number): Buffer => {
  const c = Buffer.from(b)
  c[at] = c[at]! ^ 0x01
  return c
}

async function assertRejects(p: Promise<unknown>, re: RegExp, what: string): Promise<void> {
  try {
    await p
  } catch (err) {
    assert.match((err as Error).message, re, what)
    return
  }
  assert.unreachable(`${what}: expected a rejection`)
}

test('purgeRoster removes its templates from the file on disk and from search', async () => {
  const g = await Gallery.open(dir, key)
  g.enrol('sub-aaaa1', [tpl('roster-1', 'tpl-a1'), tpl('roster-1', 'tpl-a2')])
  g.enrol('sub-bbbb2', [tpl('roster-2', 'tpl-b1')])
  g.enrol('sub-cccc3', [tpl('roster-1', 'tpl-c1'), tpl('roster-2', 'tpl-c2')])
  await g.save()
  const gone = await Promise.all(['tpl-a1', 'tpl-a2', 'tpl-c1'].map((id) => reopenEmbedding(g, id)))
  assert.is(await g.purgeRoster('roster-1'), 3)
  // decrypted content: metadata and embedding bytes are gone
  const plain = unseal(readFileSync(g.path), key, g.path)
  const { doc } = decodeDocument(plain, g.path)
  assert.equal(doc.subjects.map((s) => [s.id, s.templates.map((t) => t.id)]), [['sub-bbbb2', ['tpl-b1']], ['sub-cccc3', ['tpl-c2']]])
  for (const e of gone) assert.not.ok(plain.includes(Buffer.from(e.buffer)), 'purged embedding bytes still in the file')
  assert.not.ok(plain.includes('roster-1'))
  // search, in memory and after reopening
  for (const h of [g, await Gallery.open(dir, key)]) {
    assert.equal(h.subjects(), ['sub-bbbb2', 'sub-cccc3'])
    for (const e of gone) {
      const hits = h.search(e)
      assert.ok(hits.every((m) => m.subject !== 'sub-aaaa1' && !['tpl-a1', 'tpl-a2', 'tpl-c1'].includes(m.template.id)))
      assert.is(h.decide(e).subject, 'unknown')
    }
  }
  assert.is(await g.purgeRoster('roster-1'), 0)
})

test('purgeSubject removes one subject; others keep matching', async () => {
  const g = await Gallery.open(dir, key)
  g.enrol('sub-aaaa1', [tpl(undefined, 'tpl-a1')])
  g.enrol('sub-bbbb2', [tpl(undefined, 'tpl-b1')])
  await g.save()
  const b = await reopenEmbedding(g, 'tpl-b1')
  assert.is(await g.purgeSubject('sub-aaaa1'), 1)
  const h = await Gallery.open(dir, key)
  assert.equal(h.subjects(), ['sub-bbbb2'])
  assert.is(h.decide(b).subject, 'sub-bbbb2')
})

test('enrol validates ids, sources and embeddings', async () => {
  const g = await Gallery.open(dir, key)
  assert.throws(() => g.enrol('Jane Doe', [tpl()]), (e: Error) => e instanceof GalleryError && /must match/.test(e.message))
  assert.throws(() => g.enrol('sub-ab', [tpl()]), /must match/)
  assert.throws(() => g.enrol('sub-aaaa1', [{ ...tpl(), source: 'Jane Doe.jpg' }]), /pseudonymous/)
  assert.throws(() => g.enrol('sub-aaaa1', [{ ...tpl(), source: 'jane-doe.jpg' }]), /not a photo's file name/)
  assert.throws(() => g.enrol('sub-aaaa1', [{ ...tpl(), embedding: new Float32Array(128) }]), /128 dimensions/)
  assert.throws(() => g.enrol('sub-aaaa1', [{ ...tpl(), embedding: new Float32Array(512) }]), /zero or not finite/)
  assert.throws(() => g.enrol('sub-aaaa1', [{ ...tpl(), quality: 2 }]), /quality/)
  assert.throws(() => g.enrol('sub-aaaa1', []), /at least one/)
  g.enrol('sub-aaaa1', [tpl(undefined, 'tpl-x')])
  assert.throws(() => g.enrol('sub-bbbb2', [tpl(undefined, 'tpl-x')]), /already enrolled/)
  const label = sourceLabel('jane-doe.jpg', key)
  assert.match(label, /^src-[0-9a-f]{16}$/)
  assert.is(g.enrol('sub-bbbb2', [{ ...tpl(), source: label }])[0]!.source, label)
})

test.run()
