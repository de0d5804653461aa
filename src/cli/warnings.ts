import type { Venue } from '../config/index.js'
import type { Logger } from '../shared/log.js'
import { principalsWithDevSecrets } from './dev-secrets.js'

export async function warnAboutDevSecrets(venue: Venue, logger: Logger): Promise<void> {
  const names = await principalsWithDevSecrets(venue)
  if (names.length === 0) return
  const line = '!'.repeat(78)
  logger.warn(
    { principals: names },
    `\n${line}\n  PUBLIC DEVELOPMENT SECRETS IN USE for ${names.length} principal(s): ${names.join(', ')}.\n  Anyone can connect as them. Never run a real venue like this: set new secrets\n  with \`venue passwd\` and put the hashes in the venue file.\n${line}`,
  )
}
