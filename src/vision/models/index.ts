export * from './spec.js'
export * from './cache.js'
export * from './install.js'
export * from './open.js'
