import type { Db } from './db.js'

export type ConsoleUserRole = 'operator' | 'supervisor' | 'admin'

export interface StoredConsoleUser {
  name: string
  role: ConsoleUserRole
  secretHash: string
  /** 'venue': seeded from the venue file (re-seeded on every start); 'console': added by an admin. */
  source: 'venue' | 'console'
  createdAt: number
}

interface Row {
  name: string
  role: ConsoleUserRole
  secret_hash: string
  source: 'venue' | 'console'
  created_at: number
}

const fromRow = (r: Row): StoredConsoleUser => ({ name: r.name, role: r.role, secretHash: r.secret_hash, source: r.source, createdAt: r.created_at })

/** Console logins (migration 4): the venue file's users plus those an admin added from the console. */
export class ConsoleUserStore {
  constructor(private readonly db: Db) {}

  /**
   * Make the venue file's users what the file says: add or update them, and drop venue-seeded users
   * the file no longer lists. Users added from the console are kept, unless the file now names them.
   */
  seed(users: readonly { name: string; role: ConsoleUserRole; secretHash: string }[], at: number): void {
    const upsert = this.db.prepare(
      `INSERT INTO console_users (name, role, secret_hash, source, created_at) VALUES (?, ?, ?, 'venue', ?)
       ON CONFLICT (name) DO UPDATE SET role = excluded.role, secret_hash = excluded.secret_hash, source = 'venue'`,
    )
    const names = new Set(users.map((u) => u.name))
    this.db.transaction(() => {
      for (const u of users) upsert.run(u.name, u.role, u.secretHash, at)
      for (const u of this.list()) if (u.source === 'venue' && !names.has(u.name)) this.remove(u.name)
    })()
  }

  get(name: string): StoredConsoleUser | undefined {
    const r = this.db.prepare<[string], Row>('SELECT * FROM console_users WHERE name = ?').get(name)
    return r === undefined ? undefined : fromRow(r)
  }

  list(): StoredConsoleUser[] {
    return this.db.prepare<[], Row>('SELECT * FROM console_users ORDER BY name').all().map(fromRow)
  }

  /** Add a user; false when the name is taken. */
  add(u: { name: string; role: ConsoleUserRole; secretHash: string }, at: number): boolean {
    const r = this.db
      .prepare("INSERT INTO console_users (name, role, secret_hash, source, created_at) VALUES (?, ?, ?, 'console', ?) ON CONFLICT (name) DO NOTHING")
      .run(u.name, u.role, u.secretHash, at)
    return r.changes === 1
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM console_users WHERE name = ?').run(name).changes === 1
  }
}
