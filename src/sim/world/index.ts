export { World, type WorldOptions } from './world.js'
export type { Deviation, PersonKind, SimPerson } from './types.js'
