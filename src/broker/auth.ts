import { createHash } from 'node:crypto'
import type { Principal } from '../config/index.js'
import { verifySecret } from './passwords.js'

/**
 * Checks MQTT credentials against the venue file's principals. scrypt is slow on purpose, so a
 * successful (name, secret) pair is remembered (as a digest) to keep reconnect storms cheap.
 */
export class Authenticator {
  private readonly byName: Map<string, Principal>
  private readonly verified = new Set<string>()

  constructor(principals: readonly Principal[]) {
    this.byName = new Map(principals.map((p) => [p.name, p]))
  }

  async check(username: string | undefined, password: Buffer | undefined): Promise<Principal | undefined> {
    if (username === undefined || password === undefined) return undefined
    const principal = this.byName.get(username)
    if (principal === undefined) return undefined
    const secret = password.toString('utf8')
    const memo = createHash('sha256').update(principal.secretHash).update('\0').update(secret).digest('base64')
    if (this.verified.has(memo)) return principal
    if (!(await verifySecret(secret, principal.secretHash))) return undefined
    this.verified.add(memo)
    return principal
  }
}
