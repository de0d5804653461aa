import { arr, each, isRecord, optStr, record, time, type Json } from './narrow.js'
import { parseAlert, parseCameraStatus, parseMission, parseRobotStatus, parseTrack, type Alert, type CameraStatus, type Mission, type RobotStatus, type Track } from './records.js'

/** Messages of the WebSocket /api/live, as the console server sends them. */
export type LiveMessage =
  | { type: 'hello'; user: string; role: string; now: number | null }
  | { type: 'bus'; connected: boolean }
  | { type: 'tracks'; at: number | null; tracks: Track[] }
  | { type: 'alert'; alert: Alert }
  | { type: 'robot'; status: RobotStatus }
  | { type: 'camera'; status: CameraStatus }
  | { type: 'mission'; state: Mission }
  | { type: 'telemetry'; sample: Json }

/** Parse one text frame; null for a message the page does not know (a newer server may send more). */
export function parseLiveMessage(text: string): LiveMessage | null {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  if (!isRecord(raw)) return null
  const o = raw
  switch (o['type']) {
    case 'hello':
      return { type: 'hello', user: optStr(o, 'user') ?? '', role: optStr(o, 'role') ?? '', now: time(o, 'now') ?? (typeof o['now'] === 'number' ? o['now'] : null) }
    case 'bus':
      return { type: 'bus', connected: o['connected'] === true }
    case 'tracks':
      return { type: 'tracks', at: time(o, 'at') ?? (typeof o['at'] === 'number' ? o['at'] : null), tracks: each(arr(o, 'tracks'), parseTrack) }
    case 'alert':
      return { type: 'alert', alert: parseAlert(o['alert']) }
    case 'robot':
      return { type: 'robot', status: parseRobotStatus(o['status']) }
    case 'camera':
      return { type: 'camera', status: parseCameraStatus(o['status']) }
    case 'mission':
      return { type: 'mission', state: parseMission(o['state']) }
    case 'telemetry':
      return { type: 'telemetry', sample: record(o['sample'], 'telemetry sample') }
    default:
      return null
  }
}
