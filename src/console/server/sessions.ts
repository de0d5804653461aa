import { createHash, randomBytes } from 'node:crypto'
import type { ConsoleRole } from '../../config/schema/console.js'

export const SESSION_COOKIE = 'venue_session'

export interface Session {
  user: string
  role: ConsoleRole
  lastUsed: number
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex')

/**
 * Server-side sessions: the cookie holds 32 random bytes, the table only their SHA-256, so a heap
 * dump or a log line of the table gives no usable token. A session unused for `idle_ms` ends.
 */
export class SessionTable {
  private readonly byDigest = new Map<string, Session>()

  constructor(
    private readonly idle_ms: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(user: string, role: ConsoleRole): string {
    this.prune()
    const token = randomBytes(32).toString('base64url')
    this.byDigest.set(digest(token), { user, role, lastUsed: this.now() })
    return token
  }

  /** The live session of a token, touched; undefined when unknown or idle too long. */
  touch(token: string | undefined): Session | undefined {
    if (token === undefined || token === '') return undefined
    const key = digest(token)
    const s = this.byDigest.get(key)
    if (s === undefined) return undefined
    const now = this.now()
    if (now - s.lastUsed > this.idle_ms) {
      this.byDigest.delete(key)
      return undefined
    }
    s.lastUsed = now
    return s
  }

  end(token: string | undefined): void {
    if (token !== undefined) this.byDigest.delete(digest(token))
  }

  /** End every session of a user (removed, or their role changed). */
  endUser(user: string): void {
    for (const [k, s] of this.byDigest) if (s.user === user) this.byDigest.delete(k)
  }

  private prune(): void {
    const now = this.now()
    for (const [k, s] of this.byDigest) if (now - s.lastUsed > this.idle_ms) this.byDigest.delete(k)
  }
}

/**
 * Counts failed logins: past `perAccount` failures for one user name from one address, or `perAddress`
 * failures from one address, within `window_ms`, further attempts from there are refused until the
 * window passes. Not per user name alone: then anyone could lock a supervisor out from anywhere.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly perAccount = 5,
    private readonly perAddress = 30,
    private readonly window_ms = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until another attempt is allowed; 0 when allowed now. */
  retryAfter(ip: string, user: string): number {
    const now = this.now()
    let wait = 0
    for (const [key, max] of this.keys(ip, user)) {
      const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.window_ms)
      if (recent.length === 0) this.failures.delete(key)
      else this.failures.set(key, recent)
      if (recent.length >= max) wait = Math.max(wait, (recent[recent.length - max] ?? now) + this.window_ms - now)
    }
    return wait
  }

  fail(ip: string, user: string): void {
    const now = this.now()
    for (const [key] of this.keys(ip, user)) this.failures.set(key, [...(this.failures.get(key) ?? []), now])
  }

  succeed(ip: string, user: string): void {
    this.failures.delete(this.keys(ip, user)[0][0])
  }

  private keys(ip: string, user: string): [[string, number], [string, number]] {
    return [
      [`${ip}\n${user}`, this.perAccount],
      [ip, this.perAddress],
    ]
  }
}
