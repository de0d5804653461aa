import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import type { Command } from 'commander'
import { loadVenue } from '../../config/index.js'
import { parseIdentityCsv } from '../../console/server/identities-csv.js'
import { loadIdentityKey } from '../../console/server/identities.js'
import { storeFileOf } from '../../shared/role-options.js'
import { AuditLog, IdentityStore, openDatabase } from '../../store/index.js'
import { UsageError } from '../connect.js'

interface ImportFlags {
  config: string
  db?: string
}

export function registerIdentities(program: Command): void {
  const cmd = program.command('identities').description('the sealed identity directory behind the console\'s supervisor reveals')
  cmd
    .command('import <file>')
    .description('add or replace identities from a CSV file (header: subject,name[,organisation]); names are sealed with the identity key')
    .requiredOption('-c, --config <file>', 'venue file (for the key and the store)')
    .option('--db <file>', 'store file (default: monitor.dataDir/store.sqlite beside the venue file)')
    .action(async (file: string, flags: ImportFlags) => {
      const { venue, file: venueFile } = await loadVenue(flags.config)
      const parsed = parseIdentityCsv(readFileSync(file, 'utf8'))
      if (!parsed.ok) throw new UsageError(`${file}: ${parsed.problems.length} problem(s), nothing imported\n  ${parsed.problems.join('\n  ')}`)
      const known = new Set([...venue.roster.projects.flatMap((p) => p.experts), ...venue.roster.staff.map((s) => s.subject)])
      const db = openDatabase(storeFileOf({ venueFile, ...(flags.db === undefined ? {} : { dbFile: flags.db }) }, venue.monitor.dataDir))
      try {
        const store = new IdentityStore(db, loadIdentityKey(venue, venueFile))
        db.transaction(() => {
          for (const r of parsed.rows) store.put(r.subject, r.organisation === undefined ? { name: r.name } : { name: r.name, organisation: r.organisation })
        })()
        new AuditLog(db).append({ actor: `cli:${userInfo().username}`, action: 'identity.import', detail: { file, subjects: parsed.rows.length } })
      } finally {
        db.close()
      }
      const outside = parsed.rows.filter((r) => !known.has(r.subject)).length
      console.log(`${parsed.rows.length} identit${parsed.rows.length === 1 ? 'y' : 'ies'} imported${outside > 0 ? ` (${outside} not in today's roster)` : ''}`)
    })
}
