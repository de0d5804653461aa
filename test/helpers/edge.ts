import { join } from 'node:path'
import type { Venue } from '../../src/config/index.js'
import { EdgeNode } from '../../src/edge/node.js'
import { rtspSource } from '../../src/edge/sources/index.js'
import { CameraHealth } from '../../src/edge/health/index.js'
import { silentLogger } from '../../src/shared/log.js'
import { password } from './venue.js'

/** An edge node as `venue edge` wires it (RTSP sources, camera health, outbox), as principal edge-1 of the test venue. */
export function testEdgeNode(venue: Venue, url: string, dir: string, opts: { slots?: number; outbox?: string } = {}): EdgeNode {
  return new EdgeNode({
    venue,
    venueFile: join(dir, 'venue.yaml'),
    node: 'edge-1',
    url,
    username: 'edge-1',
    password: password('edge-1'),
    logger: silentLogger(),
    slots: opts.slots ?? 1,
    outboxFile: join(dir, opts.outbox ?? 'outbox.sqlite'),
    sourceFor: (c) => rtspSource(c.rtspUrl, { id: c.id, width: c.width_px, height: c.height_px, fps: c.fps }),
    healthFor: () => new CameraHealth(Date.now()),
  })
}
