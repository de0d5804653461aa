import { z } from 'zod'
import { Id } from './common.js'
import { Floor, Navigation } from './floor.js'
import { Camera } from './cameras.js'
import { Robot } from './robots.js'
import { Roster } from './roster.js'
import { Rule } from './rules.js'
import { Principal } from './principals.js'
import { BrokerConfig } from './broker.js'
import { VisionConfig } from './vision.js'
import { MonitorConfig } from './monitor.js'
import { FleetConfig } from './fleet.js'
import { ConsoleConfig } from './console.js'

export const Site = z.strictObject({
  id: Id.describe('site id: the third level of every venue topic'),
  name: z.string().min(1),
  timezone: z.string().min(1).default('Asia/Shanghai').describe('IANA time zone the roster times are in'),
})

export const Venue = z.strictObject({
  schemaVersion: z.literal(1),
  site: Site,
  broker: BrokerConfig.default(BrokerConfig.parse({})),
  floor: Floor,
  navigation: Navigation,
  cameras: z.array(Camera).default([]),
  robots: z.array(Robot).default([]),
  roster: Roster,
  rules: z.array(Rule).default([]),
  principals: z.array(Principal).min(1),
  vision: VisionConfig.default(VisionConfig.parse({})),
  monitor: MonitorConfig.default(MonitorConfig.parse({})),
  fleet: FleetConfig.default(FleetConfig.parse({})),
  console: ConsoleConfig.default(ConsoleConfig.parse({})),
})
export type Venue = z.infer<typeof Venue>
export type VenueInput = z.input<typeof Venue>
