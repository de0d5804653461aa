/**
 * The gallery file: an authenticated header and an AES-256-GCM body, written atomically.
 *
 *   header (30 bytes, authenticated as GCM additional data):
 *     "VSGALLRY" | format version u16 BE | key id (8 bytes) | IV (12 random bytes, new on every write)
 *   body: ciphertext | GCM tag (16 bytes)
 *
 * The plaintext is: JSON length u32 LE | JSON metadata | zero padding to 4 bytes | float32 LE embeddings.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { endianness } from 'node:os'
import { dirname } from 'node:path'
import { keyIdOf, type GalleryKey } from './keys.js'

const MAGIC = Buffer.from('VSGALLRY', 'latin1')
export const FORMAT_VERSION = 1
const HEADER_BYTES = MAGIC.length + 2 + 8 + 12
const TAG_BYTES = 16
export const WRONG_KEY = 'wrong key or tampered gallery file'

export class GalleryFileError extends Error {
  override name = 'GalleryFileError'
}

/** Encrypt `plain`: the file's bytes, as chunks (header, ciphertext, tag) to spare a 200 MB copy. */
export function seal(plain: Buffer, key: GalleryKey): Buffer[] {
  const header = Buffer.alloc(HEADER_BYTES)
  MAGIC.copy(header, 0)
  header.writeUInt16BE(FORMAT_VERSION, MAGIC.length)
  keyIdOf(key.bytes).copy(header, MAGIC.length + 2)
  const iv = randomBytes(12)
  iv.copy(header, MAGIC.length + 10)
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv)
  cipher.setAAD(header)
  const body = cipher.update(plain)
  const final = cipher.final()
  return [header, body, final, cipher.getAuthTag()]
}

/** Decrypt and authenticate a gallery file's bytes; `path` is for messages. */
export function unseal(file: Buffer, key: GalleryKey, path: string): Buffer {
  if (file.length < MAGIC.length || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new GalleryFileError(`${path}: not a gallery file`)
  }
  if (file.length < HEADER_BYTES + TAG_BYTES) throw new GalleryFileError(`${path}: ${WRONG_KEY} (file is truncated)`)
  const header = file.subarray(0, HEADER_BYTES)
  const version = header.readUInt16BE(MAGIC.length)
  if (version !== FORMAT_VERSION) {
    throw new GalleryFileError(`${path}: gallery format version ${version} is not supported (this build reads version ${FORMAT_VERSION})`)
  }
  const fileKeyId = header.subarray(MAGIC.length + 2, MAGIC.length + 10).toString('hex')
  if (fileKeyId !== key.id) {
    throw new GalleryFileError(`${path}: ${WRONG_KEY} (written with key id ${fileKeyId}; the key from ${key.source} has id ${key.id})`)
  }
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, header.subarray(MAGIC.length + 10))
  decipher.setAAD(header)
  decipher.setAuthTag(file.subarray(file.length - TAG_BYTES))
  const body = decipher.update(file.subarray(HEADER_BYTES, file.length - TAG_BYTES))
  try {
    const final = decipher.final()
    return final.length ? Buffer.concat([body, final]) : body
  } catch {
    body.fill(0)
    throw new GalleryFileError(`${path}: ${WRONG_KEY} (authentication failed)`)
  }
}

/** Metadata stored next to the embeddings; embeddings follow in subject order, then template order. */
export interface GalleryDocument {
  format: number
  dims: number
  savedAt: string
  subjects: Array<{ id: string; templates: TemplateRecord[] }>
}

export interface TemplateRecord {
  id: string
  /** ISO 8601. */
  createdAt: string
  /** Where the template came from, pseudonymous (e.g. a hash of the photo's file name), never a name. */
  source: string
  /** Face quality in [0, 1]. */
  quality: number
  /** The roster it was enrolled for: `purgeRoster` removes it. */
  rosterId?: string
}

function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new GalleryFileError('gallery files are little-endian; this host is big-endian')
}

/** The plaintext: `embeddings` holds one vector per template, in the document's order. */
export function encodeDocument(doc: GalleryDocument, embeddings: readonly Float32Array[]): Buffer {
  assertLittleEndian()
  const json = Buffer.from(JSON.stringify(doc), 'utf8')
  const at = Math.ceil((4 + json.length) / 4) * 4
  const out = Buffer.alloc(at + embeddings.length * doc.dims * 4)
  out.writeUInt32LE(json.length, 0)
  json.copy(out, 4)
  const floats = new Float32Array(out.buffer, out.byteOffset + at, embeddings.length * doc.dims)
  embeddings.forEach((e, i) => floats.set(e, i * doc.dims))
  return out
}

export function decodeDocument(plain: Buffer, path: string): { doc: GalleryDocument; embeddings: Float32Array } {
  assertLittleEndian()
  const length = plain.readUInt32LE(0)
  const doc = JSON.parse(plain.subarray(4, 4 + length).toString('utf8')) as GalleryDocument
  if (doc.format !== FORMAT_VERSION) throw new GalleryFileError(`${path}: unsupported gallery content format ${doc.format}`)
  const at = Math.ceil((4 + length) / 4) * 4
  const count = doc.subjects.reduce((n, s) => n + s.templates.length, 0)
  if (plain.length - at !== count * doc.dims * 4) throw new GalleryFileError(`${path}: embedding data does not match its metadata`)
  // a view when aligned, else a copy; either way the caller wipes it with the plaintext
  if ((plain.byteOffset + at) % 4 === 0) return { doc, embeddings: new Float32Array(plain.buffer, plain.byteOffset + at, count * doc.dims) }
  const embeddings = new Float32Array(count * doc.dims)
  new Uint8Array(embeddings.buffer).set(plain.subarray(at))
  return { doc, embeddings }
}

/** Write `data` to `path` through a temporary file in the same folder and a rename, with fsyncs. */
export async function writeAtomic(path: string, data: readonly Buffer[]): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    const fh = await open(tmp, 'wx', 0o600)
    try {
      for (const chunk of data) await fh.writeFile(chunk) // each continues where the last ended
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  try {
    const dir = await open(dirname(path), 'r')
    await dir.sync().finally(() => dir.close())
  } catch {
    // some platforms cannot fsync a directory; the rename is still atomic
  }
}
