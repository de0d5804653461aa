// VDA 5050 2.x payload schemas (VDA 5050 2.0.0 and 2.1.0; 2.1 additions are optional fields).
// Topics: {interface}/v2/{manufacturer}/{serialNumber}/{order|instantActions|state|visualization|connection|factsheet}.
export * from './common.js'
export * from './order.js'
export * from './instant-actions.js'
export * from './state.js'
export * from './visualization.js'
export * from './connection.js'
export * from './factsheet.js'
