import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { AuditLog, GENESIS_HASH, entryHash } from '../../src/store/audit.js'
import { SCHEMA_VERSION, openDatabase, schemaVersion, type Db } from '../../src/store/db.js'
import { auditVerify } from '../../src/cli/commands/audit.js'
import { fromRoot, venueBin } from '../helpers/paths.js'
import { run } from '../helpers/processes.js'

const dir = mkdtempSync(join(tmpdir(), 'venue-audit-'))
let n = 0
const freshFile = () => join(dir, `store-${++n}.db`)
test.after(() => rmSync(dir, { recursive: true, force: true }))

let tick = Date.parse('2025-05-06T08:00:00Z')
const clock = () => new Date((tick += 1000))

function filled(count: number): { file: string; db: Db; log: AuditLog } {
  const file = freshFile()
  const db = openDatabase(file)
  const log = new AuditLog(db, clock)
  for (let i = 1; i <= count; i++) {
    log.append({ actor: `console:op${i % 3}`, action: i % 2 ? 'identity.view' : 'alert.acknowledge', subject: `S-${100 + i}`, reason: `reason ${i}`, detail: { i, z: [1, 'two'], a: { y: true, b: null } } })
  }
  return { file, db, log }
}

/** What an attacker with the file can do: drop the guards, then change the rows. */
function tamper(db: Db, sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_append_only')
  db.prepare(sql).run(...params)
}

test('openDatabase: WAL, synchronous NORMAL, foreign keys, schema at the newest version', () => {
  const db = openDatabase(freshFile())
  assert.is(db.pragma('journal_mode', { simple: true }), 'wal')
  assert.is(db.pragma('synchronous', { simple: true }), 1)
  assert.is(db.pragma('foreign_keys', { simple: true }), 1)
  assert.is(schemaVersion(db), SCHEMA_VERSION)
  assert.ok(SCHEMA_VERSION >= 1)
  db.close()
})

test('openDatabase refuses a file from a newer schema', () => {
  const file = freshFile()
  const db = openDatabase(file)
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
  db.close()
  assert.throws(() => openDatabase(file), /newer than this build knows/)
})

test('append builds a chain from 64 zeros and verify accepts it', () => {
  const { db, log } = filled(20)
  const entries = [...log.entries()]
  assert.is(entries.length, 20)
  assert.is(entries[0]!.prevHash, GENESIS_HASH)
  assert.is(entries[0]!.seq, 1)
  for (let i = 1; i < entries.length; i++) {
    assert.is(entries[i]!.seq, i + 1)
    assert.is(entries[i]!.prevHash, entries[i - 1]!.hash)
  }
  const e = entries[4]!
  assert.match(e.hash, /^[0-9a-f]{64}$/)
  assert.is(e.detail, '{"a":{"b":null,"y":true},"i":5,"z":[1,"two"]}')
  assert.is(e.subject, 'S-105')
  assert.is(e.reason, 'reason 5')
  assert.ok(!Number.isNaN(Date.parse(e.at)) && e.at.endsWith('Z'))
  const { hash, ...body } = e
  assert.is(entryHash(body), hash)
  assert.equal(log.verify(), { ok: true, entries: 20 })
  db.close()
})

test('optional fields are stored as null and an empty log verifies', () => {
  const db = openDatabase(freshFile())
  const log = new AuditLog(db)
  assert.equal(log.verify(), { ok: true, entries: 0 })
  const e = log.append({ actor: 'monitor', action: 'alert.open' })
  assert.is(e.subject, null)
  assert.is(e.reason, null)
  assert.is(e.detail, 'null')
  assert.equal(log.head(), e)
  assert.equal(log.verify(), { ok: true, entries: 1 })
  db.close()
})

test('UPDATE and DELETE through the normal connection are refused by the triggers', () => {
  const { db, log } = filled(5)
  assert.throws(() => db.prepare("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 3").run(), /append-only: UPDATE refused/)
  assert.throws(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run(), /append-only: DELETE refused/)
  assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only: DELETE refused/)
  const e3 = [...log.entries()][2]!
  // REPLACE deletes without firing DELETE triggers; the insert guard catches it first
  assert.throws(
    () => db.prepare('INSERT OR REPLACE INTO audit_log (seq, at, actor, action, subject, reason, detail, prev_hash, hash) VALUES (3, ?, ?, ?, ?, ?, ?, ?, ?)').run(e3.at, e3.actor, e3.action, e3.subject, 'changed', e3.detail, e3.prevHash, e3.hash),
    /append-only/,
  )
  // an insert that does not follow the last entry
  assert.throws(
    () => db.prepare("INSERT INTO audit_log (seq, at, actor, action, detail, prev_hash, hash) VALUES (6, 'x', 'a', 'b', 'null', ?, ?)").run(GENESIS_HASH, 'f'.repeat(64)),
    /append-only: an entry must follow the last one/,
  )
  assert.equal(log.verify(), { ok: true, entries: 5 })
  db.close()
})

test('an altered reason (triggers dropped) fails verify naming that entry', () => {
  const { db, log } = filled(20)
  tamper(db, "UPDATE audit_log SET reason = 'routine check' WHERE seq = 17")
  assert.equal(log.verify(), { ok: false, seq: 17, problem: 'hash does not match its content' })
  db.close()
})

test('an altered entry with a recomputed hash fails verify at the next link', () => {
  const { db, log } = filled(20)
  const e = [...log.entries()][16]!
  const forged = { ...e, reason: 'routine check' }
  const { hash: _old, ...body } = forged
  tamper(db, 'UPDATE audit_log SET reason = ?, hash = ? WHERE seq = 17', forged.reason, entryHash(body))
  assert.equal(log.verify(), { ok: false, seq: 18, problem: "prevHash does not match entry 17's hash" })
  db.close()
})

test('a deleted entry fails verify naming the gap', () => {
  const { db, log } = filled(20)
  tamper(db, 'DELETE FROM audit_log WHERE seq = 9')
  assert.equal(log.verify(), { ok: false, seq: 9, problem: 'missing: entry 10 follows entry 8' })
  db.close()
  const first = filled(3)
  tamper(first.db, 'DELETE FROM audit_log WHERE seq = 1')
  assert.equal(first.log.verify(), { ok: false, seq: 1, problem: 'missing: the log starts at entry 2' })
  first.db.close()
})

test('reopening the file and appending continues the chain', () => {
  const { file, db } = filled(4)
  const lastHash = new AuditLog(db).head()!.hash
  db.close()
  const db2 = openDatabase(file)
  const log2 = new AuditLog(db2)
  const e = log2.append({ actor: 'console:op1', action: 'identity.view', subject: 'S-7', reason: 'check-in dispute' })
  assert.is(e.seq, 5)
  assert.is(e.prevHash, lastHash)
  assert.equal(log2.verify(), { ok: true, entries: 5 })
  db2.close()
})

test('two connections appending in turn keep one linear chain', () => {
  const file = freshFile()
  const a = openDatabase(file)
  const b = openDatabase(file)
  const la = new AuditLog(a)
  const lb = new AuditLog(b)
  for (let i = 0; i < 50; i++) (i % 2 ? la : lb).append({ actor: i % 2 ? 'a' : 'b', action: 'x', detail: { i } })
  assert.equal(la.verify(), { ok: true, entries: 50 })
  a.close()
  b.close()
})

// --- the command line -------------------------------------------------------------------------

/** `venue audit verify` as a process: through bin/venue.js once main registers it, else a tiny harness. */
async function venueAudit(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; via: string }> {
  const r = await run(process.execPath, [venueBin, 'audit', ...args], { timeout_ms: 30_000 })
  if (!/unknown command 'audit'/.test(r.stderr)) return { ...r, via: 'bin/venue.js' }
  const mod = fromRoot('dist/src/cli/commands/audit.js')
  const script = `import { Command } from 'commander'; const { registerAudit } = await import(${JSON.stringify(mod)}); const p = new Command('venue'); registerAudit(p); await p.parseAsync(process.argv.slice(1), { from: 'user' })`
  const h = await run(process.execPath, ['--input-type=module', '-e', script, 'audit', ...args], { timeout_ms: 30_000, cwd: fromRoot() })
  return { ...h, via: 'harness' }
}

test('venue audit verify: intact chain exits 0 with a one-line summary', async () => {
  const { file, db } = filled(12)
  db.close()
  const r = await venueAudit('verify', '--db', file)
  assert.is(r.code, 0, r.stderr)
  assert.is(r.stdout.trim(), `audit log ${file}: 12 entries, chain intact`)
  assert.equal(auditVerify(file), { code: 0, line: `audit log ${file}: 12 entries, chain intact` })
})

test('venue audit verify: tampered entry exits 1 naming it', async () => {
  const { file, db } = filled(20)
  tamper(db, "UPDATE audit_log SET reason = 'routine check' WHERE seq = 17")
  db.close()
  const r = await venueAudit('verify', '--db', file)
  assert.is(r.code, 1)
  assert.is(r.stderr.trim(), `audit log ${file}: entry 17: hash does not match its content`)
})

test('venue audit verify: missing file, non-database and file without an audit table exit 1', async () => {
  const missing = join(dir, 'no-such.db')
  const r1 = await venueAudit('verify', '--db', missing)
  assert.is(r1.code, 1)
  assert.match(r1.stderr, /cannot open: .*no such file/)
  assert.not.ok(existsSync(missing), 'verify must not create the file')
  const junk = join(dir, 'junk.db')
  writeFileSync(junk, 'this is not sqlite, just some text that is long enough to look like a header......')
  const r2 = auditVerify(junk)
  assert.is(r2.code, 1)
  assert.match(r2.line, /^audit log .*junk\.db: cannot (open|read): /)
  const other = freshFile()
  openDatabase(other, { migrate: false }).close()
  const r3 = await venueAudit('verify', '--db', other)
  assert.is(r3.code, 1)
  assert.match(r3.stderr, /no audit log in this file/)
  console.log(`    (CLI tests ran via ${r3.via})`)
})

test.run()
