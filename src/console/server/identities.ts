import { randomBytes, createHash } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import type { Venue } from '../../config/schema/venue.js'
import type { IdentityStore } from '../../store/index.js'

function parseKey(text: string, source: string): Buffer {
  const t = text.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64')
  if (bytes.length !== 32) throw new Error(`identity key from ${source} must be 32 bytes (64 hex characters or base64)`)
  return bytes
}

/**
 * The identity directory's key: $keyEnv, else the key file (relative to the venue file), created with
 * 32 random bytes (mode 0600) the first time. It never goes into the store with the sealed records.
 */
export function loadIdentityKey(venue: Venue, venueFile: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const cfg = venue.console.identities
  const fromEnv = env[cfg.keyEnv]
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseKey(fromEnv, `environment ${cfg.keyEnv}`)
  const file = isAbsolute(cfg.keyFile) ? cfg.keyFile : resolve(dirname(venueFile), cfg.keyFile)
  try {
    return parseKey(readFileSync(file, 'utf8'), `file ${file}`)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  mkdirSync(dirname(file), { recursive: true })
  const key = randomBytes(32)
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
  return key
}

const GIVEN = ['Wei', 'Fang', 'Min', 'Jing', 'Lei', 'Yan', 'Hui', 'Tao', 'Xin', 'Ping', 'Jun', 'Li', 'Hong', 'Qiang', 'Ying', 'Bo']
const FAMILY = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Hu', 'Zhu', 'Gao', 'Lin']
const ORGS = ['Provincial Design Institute', 'City University of Technology', 'Municipal Engineering Bureau', 'Regional Audit Office', 'Hospital Equipment Centre', 'Water Resources Institute']

/** A made-up name for a demo subject, the same on every machine (derived from the id). */
export function demoIdentity(subject: string): { name: string; organisation: string } {
  const h = createHash('sha256').update(subject).digest()
  const pick = (list: readonly string[], i: number): string => list[(h[i] ?? 0) % list.length] ?? '?'
  return { name: `${pick(FAMILY, 0)} ${pick(GIVEN, 1)} (demo)`, organisation: pick(ORGS, 2) }
}

/** Seed made-up names for roster subjects that have none yet (venue file `console.identities.demoNames`). */
export function seedDemoIdentities(venue: Venue, store: IdentityStore): number {
  const subjects = [...venue.roster.projects.flatMap((p) => p.experts), ...venue.roster.staff.map((s) => s.subject)]
  let added = 0
  for (const s of subjects) {
    if (store.has(s)) continue
    store.put(s, demoIdentity(s))
    added++
  }
  return added
}
