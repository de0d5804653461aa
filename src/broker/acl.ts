import { TopicCache } from '../shared/topic-cache.js'
import type { Principal, Venue } from '../config/index.js'
import { filterOf, topicOf } from '../contract/index.js'
import { filterCovers, topicMatches } from '../contract/topic-filter.js'

/** Diagnostics: refused publishes are re-routed here so that admins can watch them (see broker.ts). */
export const REFUSED_ROOT = '$venue/refused'

export interface Policy {
  publish: readonly string[]
  subscribe: readonly string[]
}

/**
 * What each principal may publish and read, from its role (DESIGN.md "Processes", issue 2):
 * an edge only its own node's and cameras' topics, a robot only its own VDA 5050 channels,
 * the console reads venue topics and publishes only commands; nobody publishes under `$`.
 */
export function policyFor(principal: Principal, venue: Venue): Policy {
  const site = venue.site.id
  const iface = venue.broker.vda5050Interface
  const venueAll = `venue/v1/${site}/#`
  const vda = (key: 'vdaOrder' | 'vdaInstantActions' | 'vdaState' | 'vdaVisualization' | 'vdaConnection' | 'vdaFactsheet', m?: string, s?: string) =>
    filterOf(key, { interface: iface, ...(m === undefined ? {} : { manufacturer: m }), ...(s === undefined ? {} : { serialNumber: s }) })
  const fromVehicles = (m?: string, s?: string) => [vda('vdaState', m, s), vda('vdaVisualization', m, s), vda('vdaConnection', m, s), vda('vdaFactsheet', m, s)]
  const toVehicles = (m?: string, s?: string) => [vda('vdaOrder', m, s), vda('vdaInstantActions', m, s)]

  switch (principal.role) {
    case 'edge': {
      const node = principal.edgeNode
      if (node === undefined) return { publish: [], subscribe: [] }
      const cams = venue.cameras.filter((c) => c.edgeNode === node).map((c) => c.id)
      return {
        publish: [
          topicOf('edgeStatus', { site, node }),
          ...cams.flatMap((camera) => [
            topicOf('cameraStatus', { site, camera }),
            topicOf('cameraSightings', { site, camera }),
            topicOf('snapshot', { site, camera }),
          ]),
        ],
        subscribe: [`venue/v1/${site}/edge/${node}/#`, ...cams.map((camera) => topicOf('snapshotRequest', { site, camera }))],
      }
    }
    case 'robot': {
      const robot = venue.robots.find((r) => r.id === principal.robot)
      if (robot === undefined) return { publish: [], subscribe: [] }
      const { manufacturer, serialNumber } = robot.vda5050
      return { publish: fromVehicles(manufacturer, serialNumber), subscribe: toVehicles(manufacturer, serialNumber) }
    }
    case 'monitor':
      return {
        publish: [filterOf('tracks', { site }), filterOf('alert', { site }), filterOf('missionRequest', { site }), filterOf('snapshotRequest', { site })],
        subscribe: [venueAll, ...fromVehicles()],
      }
    case 'fleet':
      return {
        publish: [filterOf('missionState', { site }), filterOf('robotStatus', { site }), filterOf('snapshotRequest', { site }), ...toVehicles()],
        subscribe: [venueAll, ...fromVehicles()],
      }
    case 'console':
      return {
        publish: [filterOf('alertAction', { site }), filterOf('missionRequest', { site }), filterOf('snapshotRequest', { site })],
        subscribe: [venueAll, ...fromVehicles()],
      }
    case 'admin':
      return { publish: ['#'], subscribe: ['#', `${REFUSED_ROOT}/#`] }
  }
}

/** Per policy, the answers given so far: every message is checked. */
const publishAnswers = new WeakMap<Policy, TopicCache<boolean>>()

export function mayPublish(policy: Policy, topic: string): boolean {
  if (topic.startsWith('$')) return false
  let answers = publishAnswers.get(policy)
  if (answers === undefined) publishAnswers.set(policy, (answers = new TopicCache()))
  return answers.get(topic, (t) => policy.publish.some((f) => topicMatches(f, t)))
}

export function maySubscribe(policy: Policy, filter: string): boolean {
  return policy.subscribe.some((f) => filterCovers(f, filter))
}
