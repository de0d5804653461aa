export * from './schema/index.js'
export * from './problems.js'
export { parseVenue, loadVenue, type LoadedVenue } from './load.js'
