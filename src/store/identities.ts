import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import type { Db } from './db.js'

/** Who a pseudonymous subject is: only behind the console's supervisor role (DESIGN.md, Privacy). */
export interface Identity {
  name: string
  organisation?: string | undefined
}

const IV_BYTES = 12
const TAG_BYTES = 16

export const identityKeyId = (key: Buffer): string => createHash('sha256').update(key).digest().subarray(0, 8).toString('hex')

/**
 * The identity directory (migration 4): one AES-256-GCM sealed record per subject, the subject id as
 * additional data so a record cannot be moved to another subject. The key never enters the store.
 */
export class IdentityStore {
  private readonly keyId: string

  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('the identity key must be 32 bytes')
    this.keyId = identityKeyId(key)
  }

  put(subject: string, identity: Identity): void {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(subject, 'utf8'))
    const body = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()])
    const sealed = Buffer.concat([iv, body, cipher.getAuthTag()])
    this.db
      .prepare('INSERT INTO identities (subject, key_id, sealed) VALUES (?, ?, ?) ON CONFLICT (subject) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed')
      .run(subject, this.keyId, sealed)
  }

  has(subject: string): boolean {
    return this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM identities WHERE subject = ?').get(subject)?.n === 1
  }

  /** The identity, or undefined when the directory has none; throws when the record was sealed with another key or altered. */
  get(subject: string): Identity | undefined {
    const row = this.db.prepare<[string], { key_id: string; sealed: Buffer }>('SELECT key_id, sealed FROM identities WHERE subject = ?').get(subject)
    if (row === undefined) return undefined
    if (row.key_id !== this.keyId) throw new Error(`identity of ${subject} was sealed with key ${row.key_id}, not this key (${this.keyId})`)
    const iv = row.sealed.subarray(0, IV_BYTES)
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv)
    decipher.setAAD(Buffer.from(subject, 'utf8'))
    decipher.setAuthTag(row.sealed.subarray(row.sealed.length - TAG_BYTES))
    const plain = Buffer.concat([decipher.update(row.sealed.subarray(IV_BYTES, row.sealed.length - TAG_BYTES)), decipher.final()])
    const parsed: unknown = JSON.parse(plain.toString('utf8'))
    if (typeof parsed !== 'object' || parsed === null || !('name' in parsed) || typeof parsed.name !== 'string') throw new Error(`identity of ${subject} is malformed`)
    const org = 'organisation' in parsed && typeof parsed.organisation === 'string' ? parsed.organisation : undefined
    return { name: parsed.name, ...(org === undefined ? {} : { organisation: org }) }
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM identities').get()?.n ?? 0
  }
}
