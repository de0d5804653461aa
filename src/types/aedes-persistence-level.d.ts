// aedes-persistence-level ships no types; this is the part we use (its persistence.js factory).
declare module 'aedes-persistence-level' {
  export interface LevelPersistence {
    setup(broker: unknown): Promise<void>
    destroy(): Promise<void>
  }
  export default function persistence(db: unknown): LevelPersistence
}
