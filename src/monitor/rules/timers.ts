import type { RuleKind } from '../../config/schema/rules.js'
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { makeFinding, type Finding, type RuleInstance, type RuleOf } from './types.js'

/** Dwell timers keyed by situation: fire once when a condition has held for `threshold_ms`. */
export class DwellTimers<T> {
  private readonly since = new Map<string, { start: number; fired: boolean; data: T }>()

  constructor(private readonly threshold_ms: number) {}

  /**
   * Report the situations that hold now (key -> data); every other key is cleared. Returns the data of
   * situations that reached the threshold now, each once per continuous run.
   */
  update(present: Map<string, T>, now: number, startOf?: (key: string, data: T) => number): T[] {
    for (const key of [...this.since.keys()]) if (!present.has(key)) this.since.delete(key)
    const due: T[] = []
    for (const [key, data] of present) {
      let s = this.since.get(key)
      if (!s) {
        s = { start: startOf ? startOf(key, data) : now, fired: false, data }
        this.since.set(key, s)
      }
      s.data = data
      if (!s.fired && now - s.start >= this.threshold_ms) {
        s.fired = true
        due.push(data)
      }
    }
    return due
  }

  /** Check timers without new input. */
  tick(now: number): T[] {
    const due: T[] = []
    for (const s of this.since.values()) {
      if (!s.fired && now - s.start >= this.threshold_ms) {
        s.fired = true
        due.push(s.data)
      }
    }
    return due
  }

  set(key: string, data: T, start: number): void {
    const s = this.since.get(key)
    if (!s || s.start !== start) this.since.set(key, { start, fired: false, data })
    else s.data = data
  }

  delete(key: string): void {
    this.since.delete(key)
  }

  /** When the situation `key` began, or undefined when it does not hold (findings report it as `since`). */
  startOf(key: string): number | undefined {
    return this.since.get(key)?.start
  }
}

/**
 * The common shape of a dwell rule over venue tracks: `situation` names the situation a track is in
 * (or undefined when it is fine), and each situation that has held for `dwell_s` gives one finding.
 * `finding` also gets when the situation began. With `opts.tick`, the rule also has `onTick`: the last
 * tracks count as still present until the next `onTracks`, so a dwell fires without new input.
 */
export function trackDwellRule<K extends RuleKind>(
  config: Pick<RuleOf<K>, 'id' | 'kind'>,
  dwell_s: number,
  situation: (t: PersonTrack) => string | undefined,
  finding: (t: PersonTrack, now: number, since: number) => Finding,
  opts: { tick?: boolean } = {},
): RuleInstance {
  const timers = new DwellTimers<{ key: string; t: PersonTrack }>(dwell_s * 1000)
  const toFinding = ({ key, t }: { key: string; t: PersonTrack }, now: number): Finding => finding(t, now, timers.startOf(key) ?? now)
  const rule: RuleInstance = {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const present = new Map<string, { key: string; t: PersonTrack }>()
      for (const t of tracks) {
        const key = situation(t)
        if (key !== undefined) present.set(key, { key, t })
      }
      return timers.update(present, now).map((x) => toFinding(x, now))
    },
  }
  if (opts.tick) rule.onTick = (now) => timers.tick(now).map((x) => toFinding(x, now))
  return rule
}

/** The finding of a single-track dwell rule: one person, where the track stands. */
export function trackFinding(config: Pick<RuleOf<RuleKind>, 'id' | 'kind' | 'severity'>, t: PersonTrack, title: string, now: number, since: number): Finding {
  return makeFinding(config, { title, subjects: [t.subject], zone: t.zone, floor: t.floor, cameras: t.cameras, at: now, since })
}
