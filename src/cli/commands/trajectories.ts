import { userInfo } from 'node:os'
import type { Command } from 'commander'
import { AuditLog } from '../../store/audit.js'
import { openDatabase } from '../../store/db.js'
import { TrajectoryStore } from '../../store/trajectories.js'
import { UsageError } from '../connect.js'

interface Window {
  db: string
  from: string
  to: string
  reason?: string
}

function parseTime(what: string, value: string): number {
  const ms = Date.parse(value)
  if (!Number.isFinite(ms)) throw new UsageError(`--${what} ${value}: not a date-time (ISO 8601, e.g. 2024-05-01T09:30:00+08:00)`)
  return ms
}

/**
 * Run a trajectory query on the monitor's store. Where people were is what must not leak: every query
 * is written to the audit log, with who ran it and why.
 */
function query<T>(o: Window, action: string, subject: string, run: (store: TrajectoryStore, t1: number, t2: number) => T[]): T[] {
  const t1 = parseTime('from', o.from)
  const t2 = parseTime('to', o.to)
  if (t2 < t1) throw new UsageError(`--to ${o.to} is before --from ${o.from}`)
  const db = openDatabase(o.db, { mustExist: true })
  try {
    new AuditLog(db).append({ actor: `cli:${userInfo().username}`, action, subject, reason: o.reason, detail: { from: new Date(t1).toISOString(), to: new Date(t2).toISOString() } })
    return run(new TrajectoryStore(db, { flushInterval_ms: 0 }), t1, t2)
  } finally {
    db.close()
  }
}

export function registerTrajectories(program: Command): void {
  const common = (c: Command): Command =>
    c
      .requiredOption('--db <file>', 'the monitor\'s store (SQLite file)')
      .requiredOption('--from <time>', 'start of the window (ISO 8601)')
      .requiredOption('--to <time>', 'end of the window (ISO 8601)')
      .option('--reason <text>', 'why you ask (kept in the audit log)')
  common(program.command('where').argument('<subject>', 'pseudonymous subject id (or a track id for an unknown person)'))
    .description('where was a subject between two times: one JSON line per kept trajectory point (audited)')
    .action((subject: string, o: Window) => {
      for (const p of query(o, 'trajectory.where', subject, (s, t1, t2) => s.where(subject, t1, t2)))
        console.log(JSON.stringify({ at: new Date(p.at).toISOString(), x: p.x, y: p.y, zone: p.zone }))
    })
  common(program.command('who').argument('<zone>', 'zone id'))
    .description('who was in a zone between two times: one JSON line per person (audited)')
    .action((zone: string, o: Window) => {
      for (const p of query(o, 'trajectory.who', zone, (s, t1, t2) => s.who(zone, t1, t2)))
        console.log(JSON.stringify({ subject: p.subject, first: new Date(p.first).toISOString(), last: new Date(p.last).toISOString(), points: p.points }))
    })
}
