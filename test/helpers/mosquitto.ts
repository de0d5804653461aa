import { writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { userInfo } from 'node:os'
import type { Venue } from '../../src/config/index.js'
import { mosquittoAcl } from '../../src/broker/mosquitto-acl.js'
import { freePort, run, startProcess, waitForPort, type Proc } from './processes.js'
import { password } from './venue.js'
import { tempDir } from './mqtt.js'

export const MOSQUITTO = '/usr/sbin/mosquitto'

export function requireMosquitto(): void {
  if (!existsSync(MOSQUITTO)) throw new Error(`${MOSQUITTO} not found: install Debian's mosquitto and mosquitto-clients (.ci/run does)`)
}

export interface RunningMosquitto {
  url: string
  port: number
  proc: Proc
  stop: () => Promise<void>
}

/**
 * A real Mosquitto with the venue's principals (passwords `pw-<name>`) and the ACL that `venue acl`
 * generates, so the same client code can be run against it and against our broker.
 */
export async function startMosquitto(venue: Venue, opts: { maxQueued?: number } = {}): Promise<RunningMosquitto> {
  requireMosquitto()
  const dir = await tempDir('venue-mosquitto-')
  const port = await freePort()
  const passwd = join(dir.path, 'passwd')
  await writeFile(passwd, venue.principals.map((p) => `${p.name}:${password(p.name)}`).join('\n') + '\n', { mode: 0o600 })
  const hashed = await run('/usr/bin/mosquitto_passwd', ['-U', passwd])
  if (hashed.code !== 0) throw new Error(`mosquitto_passwd -U failed: ${hashed.stderr}`)
  await writeFile(join(dir.path, 'acl'), mosquittoAcl(venue))
  const conf = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous false',
    // started as root, Mosquitto would switch to its own user, who cannot read our private temp folder
    `user ${userInfo().username}`,
    `password_file ${passwd}`,
    `acl_file ${join(dir.path, 'acl')}`,
    'persistence false',
    ...(opts.maxQueued === undefined ? [] : [`max_queued_messages ${opts.maxQueued}`]),
  ]
  await writeFile(join(dir.path, 'mosquitto.conf'), conf.join('\n') + '\n')
  const proc = startProcess(MOSQUITTO, ['-c', join(dir.path, 'mosquitto.conf')])
  try {
    await waitForPort(port)
  } catch (err) {
    await proc.stop()
    throw new Error(`mosquitto did not start: ${(err as Error).message}\n${proc.output()}`)
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    proc,
    stop: async () => {
      await proc.stop()
      await dir.remove()
    },
  }
}
