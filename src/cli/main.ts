import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command, CommanderError } from 'commander'
import { VenueFileError } from '../config/index.js'
import { packageRoot } from '../shared/paths.js'
import { StopRequested } from '../shared/lifecycle.js'
import { UsageError } from './connect.js'
import { ScenarioFileError } from '../sim/scenario.js'
import { registerCheck } from './commands/check.js'
import { registerPasswd } from './commands/passwd.js'
import { registerBroker } from './commands/broker.js'
import { registerUp } from './commands/up.js'
import { registerAcl } from './commands/acl.js'
import { registerModels } from './commands/models.js'
import { registerFaces } from './commands/faces.js'
import { registerEdge } from './commands/edge.js'
import { registerAudit } from './commands/audit.js'
import { registerMonitor } from './commands/monitor.js'
import { registerFleet } from './commands/fleet.js'
import { registerSim } from './commands/sim.js'
import { registerTrajectories } from './commands/trajectories.js'
import { registerConsole } from './commands/console.js'
import { registerIdentities } from './commands/identities.js'

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'))
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown'
}

export function buildProgram(): Command {
  const program = new Command('venue')
    .description('Venue Sentinel: cameras, robots and rules that keep a bid-evaluation venue isolated')
    .version(version())
    .showHelpAfterError()
  registerUp(program)
  registerCheck(program)
  registerBroker(program)
  registerEdge(program)
  registerMonitor(program)
  registerFleet(program)
  registerConsole(program)
  registerIdentities(program)
  registerSim(program)
  registerPasswd(program)
  registerAcl(program)
  registerModels(program)
  registerFaces(program)
  registerAudit(program)
  registerTrajectories(program)
  return program
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv)
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode
      return
    }
    if (err instanceof StopRequested) return
    if (err instanceof VenueFileError || err instanceof UsageError || err instanceof ScenarioFileError) {
      console.error(err.message)
      process.exitCode = 1
      return
    }
    throw err
  }
}
