import type { Command } from 'commander'
import { AuditLog, formatVerifyProblem } from '../../store/audit.js'
import { hasTable, openDatabase, type Db } from '../../store/db.js'

export interface AuditVerifyOutcome {
  code: 0 | 1
  /** The one line to print: on stdout when code is 0, on stderr otherwise. */
  line: string
}

/** `venue audit verify --db FILE` without the printing, for tests and other callers. */
export function auditVerify(file: string): AuditVerifyOutcome {
  let db: Db
  try {
    // no migrations: inspect the file as it is, and never create one
    db = openDatabase(file, { mustExist: true, migrate: false })
  } catch (err) {
    return { code: 1, line: `audit log ${file}: cannot open: ${err instanceof Error ? err.message : String(err)}` }
  }
  try {
    if (!hasTable(db, 'audit_log')) return { code: 1, line: `audit log ${file}: no audit log in this file (no audit_log table)` }
    const r = new AuditLog(db).verify()
    if (r.ok) return { code: 0, line: `audit log ${file}: ${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}, chain intact` }
    return { code: 1, line: `audit log ${file}: ${formatVerifyProblem(r)}` }
  } catch (err) {
    return { code: 1, line: `audit log ${file}: cannot read: ${err instanceof Error ? err.message : String(err)}` }
  } finally {
    db.close()
  }
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit log')
  audit
    .command('verify')
    .description('walk the audit log hash chain and name the first entry that was altered or removed')
    .requiredOption('--db <file>', 'the store (SQLite file)')
    .action((opts: { db: string }) => {
      const r = auditVerify(opts.db)
      if (r.code === 0) console.log(r.line)
      else console.error(r.line)
      process.exitCode = r.code
    })
}
