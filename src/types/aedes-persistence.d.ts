// aedes-persistence's deep modules are plain CommonJS; its own declarations live under types/.
declare module 'aedes-persistence/asyncPersistence.js' {
  import MemoryPersistence = require('aedes-persistence/types/asyncPersistence')
  export = MemoryPersistence
}
declare module 'aedes-persistence/callBackPersistence.js' {
  export class CallBackPersistence {
    constructor(factory: (opts: object) => object, opts?: object)
    setup(broker: unknown): Promise<void>
    destroy(): Promise<void>
  }
}
