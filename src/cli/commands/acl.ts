import type { Command } from 'commander'
import { loadVenue } from '../../config/index.js'
import { mosquittoAcl } from '../../broker/mosquitto-acl.js'
import { UsageError } from '../connect.js'

export function registerAcl(program: Command): void {
  program
    .command('acl')
    .description("print the role ACL in an external broker's terms (for venues that run Mosquitto instead of the embedded broker)")
    .requiredOption('-c, --config <file>', 'venue file')
    .option('--format <format>', 'mosquitto', 'mosquitto')
    .action(async (opts: { config: string; format: string }) => {
      if (opts.format !== 'mosquitto') throw new UsageError(`unknown ACL format "${opts.format}"; known: mosquitto`)
      const { venue } = await loadVenue(opts.config)
      process.stdout.write(mosquittoAcl(venue))
    })
}
