/**
 * The gallery key: 32 random bytes for AES-256-GCM, read from a key file or an environment variable
 * (hex or base64), never from the venue file. Its id (first 8 bytes of its sha256) is written in the
 * clear in every gallery file header, so a wrong key is named as such before decryption is tried.
 */
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export const DEFAULT_KEY_ENV = 'VENUE_GALLERY_KEY'
const KEY_BYTES = 32

export interface GalleryKey {
  readonly bytes: Buffer
  /** First 8 bytes of sha256(key), hex: identifies the key without revealing it. */
  readonly id: string
  /** Where it came from ("file /etc/venue/gallery.key", "environment VENUE_GALLERY_KEY"), for messages. */
  readonly source: string
}

export class GalleryKeyError extends Error {
  override name = 'GalleryKeyError'
}

export const keyIdOf = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest().subarray(0, 8)

/** A key from its text form: 64 hex characters, or base64 (standard or url-safe) of 32 bytes. */
export function parseGalleryKey(text: string, source: string): GalleryKey {
  const t = text.trim()
  let bytes: Buffer
  if (/^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0) bytes = Buffer.from(t, 'hex')
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) bytes = Buffer.from(t, 'base64')
  else throw new GalleryKeyError(`gallery key from ${source} is neither hex nor base64`)
  if (bytes.length !== KEY_BYTES) {
    throw new GalleryKeyError(
      `gallery key from ${source} is ${bytes.length} bytes; it must be ${KEY_BYTES} (64 hex characters or 44 base64 characters)`,
    )
  }
  return { bytes, id: keyIdOf(bytes).toString('hex'), source }
}

export interface LoadKeyOptions {
  /** Key file (hex or base64 text). When given, the environment is not consulted. */
  file?: string
  /** Environment variable holding the key (default VENUE_GALLERY_KEY). */
  env?: string
}

/** Load the gallery key from `file`, else from the environment variable `env`. */
export function loadGalleryKey(options: LoadKeyOptions = {}, environment: NodeJS.ProcessEnv = process.env): GalleryKey {
  if (options.file !== undefined) {
    let text: string
    try {
      text = readFileSync(options.file, 'utf8')
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') throw new GalleryKeyError(`gallery key file ${options.file} does not exist (create one with createGalleryKeyFile)`)
      throw new GalleryKeyError(`cannot read gallery key file ${options.file}: ${code ?? String(err)}`)
    }
    return parseGalleryKey(text, `file ${options.file}`)
  }
  const name = options.env ?? DEFAULT_KEY_ENV
  const value = environment[name]
  if (value === undefined || value.trim() === '') {
    throw new GalleryKeyError(`no gallery key: set ${name} (64 hex characters or base64 of 32 bytes) or give a key file`)
  }
  return parseGalleryKey(value, `environment ${name}`)
}

/**
 * Create a new random key in `file` (hex, mode 0600). Refuses to overwrite an existing file: replacing
 * the key would make the gallery encrypted with it unreadable.
 */
export function createGalleryKeyFile(file: string): GalleryKey {
  mkdirSync(dirname(file), { recursive: true })
  const bytes = randomBytes(KEY_BYTES)
  try {
    writeFileSync(file, bytes.toString('hex') + '\n', { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new GalleryKeyError(`gallery key file ${file} already exists; not overwriting it (its gallery would become unreadable)`)
    }
    throw err
  }
  chmodSync(file, 0o600)
  return { bytes, id: keyIdOf(bytes).toString('hex'), source: `file ${file}` }
}
