export { SimVehicle } from './vehicle.js'
export type { SimVehicleOptions } from './options.js'
export { AGV_ACTIONS } from './factsheet.js'
export { NODE_ACTION_TYPES } from './order-check.js'
