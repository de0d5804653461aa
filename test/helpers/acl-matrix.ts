import { SITE } from './venue.js'
import { vdaConnection, vdaOrder, venueSamples as s } from './samples.js'

const v = `venue/v1/${SITE}`
const vda = (serial: string, channel: string) => `uagv/v2/Acme/${serial}/${channel}`

export interface PublishCase {
  who: string
  topic: string
  payload: unknown
  allowed: boolean
}

export interface SubscribeCase {
  who: string
  filter: string
  allowed: boolean
}

/** Who may publish what (issue 2 "Topic ACL by role"); every payload here is schema-valid. */
export const publishCases: PublishCase[] = [
  { who: 'edge-1', topic: `${v}/cameras/cam-a/sightings`, payload: s.cameraSightings('cam-a'), allowed: true },
  { who: 'edge-1', topic: `${v}/cameras/cam-b/status`, payload: s.cameraStatus('cam-b'), allowed: true },
  { who: 'edge-1', topic: `${v}/edge/edge-1/status`, payload: s.edgeStatus('edge-1'), allowed: true },
  { who: 'edge-1', topic: `${v}/cameras/cam-c/sightings`, payload: s.cameraSightings('cam-c'), allowed: false },
  { who: 'edge-1', topic: `${v}/edge/edge-2/status`, payload: s.edgeStatus('edge-2'), allowed: false },
  { who: 'edge-1', topic: `${v}/alerts/a1`, payload: s.alert(), allowed: false },
  { who: 'edge-2', topic: `${v}/cameras/cam-c/sightings`, payload: s.cameraSightings('cam-c'), allowed: true },
  { who: 'edge-1', topic: `${v}/cameras/cam-a/snapshot-requests`, payload: s.snapshotRequest('cam-a'), allowed: false },
  { who: 'monitor', topic: `${v}/cameras/cam-a/snapshot-requests`, payload: s.snapshotRequest('cam-a'), allowed: true },
  { who: 'console', topic: `${v}/cameras/cam-c/snapshot-requests`, payload: s.snapshotRequest('cam-c'), allowed: true },
  { who: 'fleet', topic: `${v}/cameras/cam-b/snapshot-requests`, payload: s.snapshotRequest('cam-b'), allowed: true },
  { who: 'robot-r1', topic: vda('P-001', 'connection'), payload: vdaConnection('Acme', 'P-001'), allowed: true },
  { who: 'robot-r1', topic: vda('D-001', 'connection'), payload: vdaConnection('Acme', 'D-001'), allowed: false },
  { who: 'robot-r1', topic: vda('P-001', 'order'), payload: vdaOrder('Acme', 'P-001'), allowed: false },
  { who: 'robot-r1', topic: `${v}/robots/r1/status`, payload: s.robotStatus('r1'), allowed: false },
  { who: 'monitor', topic: `${v}/alerts/a1`, payload: s.alert('a1'), allowed: true },
  { who: 'monitor', topic: `${v}/tracks`, payload: s.tracks(), allowed: true },
  { who: 'monitor', topic: `${v}/missions/requests`, payload: s.missionRequest(), allowed: true },
  { who: 'monitor', topic: `${v}/cameras/cam-a/sightings`, payload: s.cameraSightings('cam-a'), allowed: false },
  { who: 'monitor', topic: vda('P-001', 'order'), payload: vdaOrder('Acme', 'P-001'), allowed: false },
  { who: 'fleet', topic: vda('P-001', 'order'), payload: vdaOrder('Acme', 'P-001'), allowed: true },
  { who: 'fleet', topic: `${v}/missions/m1/state`, payload: s.missionState('m1'), allowed: true },
  { who: 'fleet', topic: `${v}/robots/r1/status`, payload: s.robotStatus('r1'), allowed: true },
  { who: 'fleet', topic: `${v}/alerts/a1`, payload: s.alert('a1'), allowed: false },
  { who: 'fleet', topic: vda('P-001', 'connection'), payload: vdaConnection('Acme', 'P-001'), allowed: false },
  { who: 'console', topic: `${v}/commands/alerts`, payload: s.alertAction('a1'), allowed: true },
  { who: 'console', topic: `${v}/missions/requests`, payload: s.missionRequest(), allowed: true },
  { who: 'console', topic: `${v}/alerts/a1`, payload: s.alert('a1'), allowed: false },
  { who: 'console', topic: `${v}/tracks`, payload: s.tracks(), allowed: false },
  { who: 'console', topic: vda('P-001', 'order'), payload: vdaOrder('Acme', 'P-001'), allowed: false },
  { who: 'admin', topic: `${v}/alerts/a2`, payload: s.alert('a2'), allowed: true },
  { who: 'admin', topic: '$SYS/fake/uptime', payload: { x: 1 }, allowed: false },
]

export const subscribeCases: SubscribeCase[] = [
  { who: 'edge-1', filter: `${v}/edge/edge-1/#`, allowed: true },
  { who: 'edge-1', filter: `${v}/#`, allowed: false },
  { who: 'edge-1', filter: `${v}/cameras/cam-a/snapshot-requests`, allowed: true },
  { who: 'edge-1', filter: `${v}/cameras/cam-c/snapshot-requests`, allowed: false },
  { who: 'edge-1', filter: '#', allowed: false },
  { who: 'robot-r1', filter: vda('P-001', 'order'), allowed: true },
  { who: 'robot-r1', filter: vda('P-001', 'instantActions'), allowed: true },
  { who: 'robot-r1', filter: vda('D-001', 'order'), allowed: false },
  { who: 'robot-r1', filter: 'uagv/v2/Acme/+/order', allowed: false },
  { who: 'robot-r1', filter: `${v}/#`, allowed: false },
  { who: 'monitor', filter: `${v}/#`, allowed: true },
  { who: 'monitor', filter: `${v}/cameras/+/sightings`, allowed: true },
  { who: 'monitor', filter: 'uagv/v2/+/+/order', allowed: false },
  { who: 'fleet', filter: 'uagv/v2/+/+/state', allowed: true },
  { who: 'fleet', filter: `${v}/missions/requests`, allowed: true },
  { who: 'console', filter: `${v}/#`, allowed: true },
  { who: 'console', filter: 'uagv/v2/+/+/order', allowed: false },
  { who: 'console', filter: '$venue/refused/#', allowed: false },
  { who: 'console', filter: '#', allowed: false },
  { who: 'admin', filter: '#', allowed: true },
]
