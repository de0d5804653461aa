import type { Command } from 'commander'
import { hashSecret } from '../../broker/passwords.js'
import { readSecret } from '../prompt.js'

export function registerPasswd(program: Command): void {
  program
    .command('passwd')
    .description("hash a principal's secret for the venue file's principals[].secretHash (reads it from the terminal, or from standard input)")
    .action(async () => {
      const secret = await readSecret('secret: ')
      if (secret.length < 8) {
        console.error('a secret must have at least 8 characters')
        process.exitCode = 1
        return
      }
      console.log(await hashSecret(secret))
    })
}
