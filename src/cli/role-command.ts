import type { Command } from 'commander'
import { loadVenue } from '../config/index.js'
import type { RoleOptions } from '../shared/role-options.js'
import type { Component } from '../shared/lifecycle.js'
import { Lifecycle } from '../shared/lifecycle.js'
import { createLogger } from '../shared/log.js'
import { brokerUrlOf, readRoleSecret } from './connect.js'

export interface RoleFlags {
  config: string
  brokerUrl?: string
  user?: string
  secretFile?: string
  db?: string
}

/**
 * A command that runs one MQTT role with a store (`venue monitor`, `venue fleet`): venue file, broker
 * URL, principal and its secret (from a file or $ENV, never the command line), store file.
 */
export function registerRoleCommand(
  program: Command,
  o: { name: string; description: string; secretEnv: string; dataDir: string; build: (b: RoleOptions) => Component<unknown> },
): void {
  program
    .command(o.name)
    .description(o.description)
    .requiredOption('-c, --config <file>', 'venue file')
    .option('--broker-url <url>', 'MQTT broker (default: venue file)')
    .option('--user <name>', `MQTT principal (default: ${o.name})`)
    .option('--secret-file <file>', `file holding the principal's secret (default: $${o.secretEnv})`)
    .option('--db <file>', `store file (default: ${o.dataDir}/store.sqlite beside the venue file)`)
    .action(async (flags: RoleFlags) => {
      const logger = createLogger()
      const { venue, file } = await loadVenue(flags.config)
      const role = o.build({
        venue,
        venueFile: file,
        logger,
        url: flags.brokerUrl ?? brokerUrlOf(venue),
        username: flags.user ?? o.name,
        password: readRoleSecret(flags.secretFile, o.secretEnv),
        ...(flags.db === undefined ? {} : { dbFile: flags.db }),
      })
      const life = new Lifecycle(logger)
      const stopped = life.stopOnSignals()
      await life.start(o.name, role)
      await stopped
    })
}
